/// What the toolkit navigator filters and counts by (`/toolkits?discipline=…&task=…`).
public enum ToolkitFacet: String, CatalogFacet {
    case discipline
    case task
    case userType = "user_type"
    case level
    case format
    case licence
    case reuse
    case sector
    case tag

    public var vocabulary: Vocabulary {
        switch self {
        case .discipline: .discipline
        case .task: .task
        case .userType: .userType
        case .level: .level
        case .format: .toolkitFormat
        case .licence: .licence
        case .reuse: .reuse
        case .sector: .sector
        case .tag: .tag
        }
    }

    public var labelKey: L10nKey { L10nKey("toolkitFacet.\(rawValue)") }
    public var listsByCount: Bool { self == .sector || self == .tag }
    public var listedValueLimit: Int? { self == .tag ? 25 : nil }

    public static var mapped: ToolkitFacet? { nil }
    public static var sorts: [CaseSort] { [.relevance, .newest, .oldest, .title, .saved, .used] }
    public static var filtersByYear: Bool { false }
}

/// What a signed-in reader says about a toolkit.
public enum ToolkitMark: String, CaseIterable, Sendable {
    case saved
    case used
}
