/// Where an item stands in its editorial life.
///
/// Only `published` and `scheduled` items whose publication time has come are public: a
/// scheduled item therefore appears on time even when no process was running at that moment.
public enum WorkflowStatus: String, CaseIterable, Sendable, Codable {
    case draft
    case scheduled
    case published
    case unpublished

    /// Statuses whose items are public once their publication time has passed.
    public static let publicStatuses: [WorkflowStatus] = [.published, .scheduled]

    public var isPublicOnceDue: Bool { Self.publicStatuses.contains(self) }
}
