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
    public typealias Sort = ToolkitSort
    public static var filtersByYear: Bool { false }
}

/// The orders of the toolkit navigator.
public enum ToolkitSort: String, LibrarySort {
    /// Best match first; only with keywords.
    case relevance
    case newest
    case oldest
    /// Alphabetical by title.
    case title
    /// Most saved by readers first.
    case saved
    /// Most used by readers first.
    case used

    public var ordering: LibraryOrdering {
        switch self {
        case .relevance: .relevance
        case .newest: .newest
        case .oldest: .oldest
        case .title: .title
        case .saved, .used: .count
        }
    }

    /// The mark whose counts rank the toolkits, for the orders by popularity.
    public var mark: ToolkitMark? {
        switch self {
        case .saved: .saved
        case .used: .used
        default: nil
        }
    }
}

/// What a signed-in reader says about a toolkit.
public enum ToolkitMark: String, CaseIterable, Sendable {
    case saved
    case used
}
