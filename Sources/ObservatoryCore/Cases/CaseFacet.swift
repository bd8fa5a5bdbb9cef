/// The classifications the case library can be filtered and counted by. The raw value is the
/// query parameter (`/innovations?country=kenya&level=local-government`); the order of the
/// cases is the order of the filter panel and of the canonical query string.
public enum CaseFacet: String, CatalogFacet {
    case country
    case level
    case organisation
    case sector
    case innovationTag = "innovation_tag"
    case status
    case facet
    case recognition
    case tag

    /// The vocabulary whose terms are the facet's values.
    public var vocabulary: Vocabulary {
        switch self {
        case .country: .country
        case .level: .levelOfGovernment
        case .organisation: .organisationType
        case .sector: .primarySector
        case .innovationTag: .innovationTag
        case .status: .innovationStatus
        case .facet: .innovationFacet
        case .recognition: .recognition
        case .tag: .tag
        }
    }

    /// Localisation key of the facet's heading ("Level of government").
    public var labelKey: L10nKey { L10nKey("facet.\(rawValue)") }

    /// Values are listed by count, largest first, where the vocabulary has no natural order;
    /// lifecycle stages and small fixed lists keep their own order.
    public var listsByCount: Bool {
        switch self {
        case .country, .sector, .innovationTag, .tag: true
        case .level, .organisation, .status, .facet, .recognition: false
        }
    }

    /// Open vocabularies can grow to thousands of terms: only the most frequent are listed
    /// (selected values always are).
    public var listedValueLimit: Int? { self == .tag ? 25 : nil }

    public static var mapped: CaseFacet? { .country }
    public typealias Sort = CaseSort
    public static var filtersByYear: Bool { true }
}

/// The orders of the case library.
public enum CaseSort: String, LibrarySort {
    /// Best match first; only with keywords.
    case relevance
    case newest
    case oldest
    /// Most recently launched first.
    case year
    /// Alphabetical by title.
    case title

    public var ordering: LibraryOrdering {
        switch self {
        case .relevance: .relevance
        case .newest: .newest
        case .oldest: .oldest
        case .year: .year
        case .title: .title
        }
    }
}

public typealias CaseQuery = FacetQuery<CaseFacet>
public typealias CaseQueryError = FacetQueryError<CaseFacet>
public typealias CaseCatalog = FacetCatalog<CaseFacet>
public typealias CaseSearchResult = FacetSearchResult<CaseFacet>
