/// Where an entry to a call stands.
public enum SubmissionStatus: String, CaseIterable, Sendable, Codable {
    case draft
    case submitted
    case inReview = "in_review"
    case changesRequested = "changes_requested"
    /// Accepted and published as a case study.
    case published
    case notPublished = "reviewed_not_published"
    case rejected
    case pendingDeletion = "pending_deletion"

    public var nameKey: String { "submission.status.\(rawValue)" }

    /// Statuses in which the submitter (and collaborators) may change the answers.
    public var isEditableBySubmitter: Bool { self == .draft || self == .changesRequested }

    /// Statuses waiting for an editor.
    public var awaitsEditor: Bool { self == .submitted || self == .inReview }
}

/// What someone does to an entry.
public enum SubmissionAction: String, CaseIterable, Sendable {
    case submit
    /// The submitter takes a submitted entry back to change it, before review starts.
    case withdraw
    case startReview = "start_review"
    case requestChanges = "request_changes"
    case publish
    case decline
    case reject
    case markForDeletion = "mark_for_deletion"
    case restore

    public var nameKey: String { "submission.action.\(rawValue)" }

    /// Actions that need a message to the submitter.
    public var needsMessage: Bool { self == .requestChanges || self == .reject }
}

/// The review workflow as a state machine: which action leads where, and who may take it.
public enum SubmissionWorkflow {
    public enum Actor: Sendable, Equatable {
        /// The owner or an invited collaborator.
        case submitter
        case editor
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notAllowed(from: SubmissionStatus, action: SubmissionAction)
        case messageRequired
    }

    static let transitions: [SubmissionAction: (from: Set<SubmissionStatus>, to: SubmissionStatus, by: Set<Actor>)] = [
        .submit: ([.draft, .changesRequested], .submitted, [.submitter]),
        .withdraw: ([.submitted], .draft, [.submitter]),
        .startReview: ([.submitted], .inReview, [.editor]),
        .requestChanges: ([.submitted, .inReview], .changesRequested, [.editor]),
        .publish: ([.submitted, .inReview], .published, [.editor]),
        .decline: ([.submitted, .inReview], .notPublished, [.editor]),
        .reject: ([.submitted, .inReview], .rejected, [.editor]),
        .markForDeletion: ([.draft, .changesRequested, .notPublished, .rejected], .pendingDeletion, [.submitter, .editor]),
        .restore: ([.pendingDeletion], .draft, [.editor]),
    ]

    /// The status after `action`, or why it is refused.
    public static func next(from status: SubmissionStatus, _ action: SubmissionAction, by actor: Actor, message: String? = nil) throws -> SubmissionStatus {
        guard let transition = transitions[action], transition.from.contains(status), transition.by.contains(actor) else {
            throw Refusal.notAllowed(from: status, action: action)
        }
        if action.needsMessage, (message ?? "").allSatisfy(\.isWhitespace) { throw Refusal.messageRequired }
        return transition.to
    }

    /// The actions `actor` may take from `status`, in a stable order.
    public static func actions(from status: SubmissionStatus, by actor: Actor) -> [SubmissionAction] {
        SubmissionAction.allCases.filter { action in
            guard let transition = transitions[action] else { return false }
            return transition.from.contains(status) && transition.by.contains(actor)
        }
    }
}
