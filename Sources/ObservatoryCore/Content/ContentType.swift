/// The kinds of content an observatory publishes. The raw value is the identifier used in URLs
/// (`/search?type=case_study`), the import format and the database.
public enum ContentType: String, CaseIterable, Sendable, Codable, Hashable {
    case post
    case caseStudy = "case_study"
    case toolkit
    case publication
    case event
    case call
    case news

    /// The path segment of the type's public archive and single pages (`/innovations/<slug>`).
    public var pathSegment: String {
        switch self {
        case .post: "blog"
        case .caseStudy: "innovations"
        case .toolkit: "toolkits"
        case .publication: "publications"
        case .event: "events"
        case .call: "calls"
        case .news: "news"
        }
    }

    public init?(pathSegment: String) {
        guard let match = Self.allCases.first(where: { $0.pathSegment == pathSegment }) else { return nil }
        self = match
    }

    /// Localisation key of the singular label ("Case study").
    public var singularKey: L10nKey { L10nKey("type.\(rawValue).one") }
    /// Localisation key of the plural label ("Case studies").
    public var pluralKey: L10nKey { L10nKey("type.\(rawValue).many") }

    /// The structured fields this type carries beside the common ones.
    public var fields: [FieldDefinition] { FieldSchemas.fields(of: self) }

    public func field(named name: String) -> FieldDefinition? {
        fields.first { $0.name == name }
    }

    /// All identifiers, comma separated, for error messages that name the valid types.
    public static var identifierList: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
