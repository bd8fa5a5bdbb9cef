/// The orders a faceted library offers, each read from `sort=` in its query string. Every
/// library names its own (the case library sorts by launch year, the toolkit navigator by how
/// often readers saved or used a toolkit), and each maps to one of the catalog's orderings.
public protocol LibrarySort: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String, AllCases == [Self] {
    /// How the catalog orders the entries for this choice.
    var ordering: LibraryOrdering { get }
    /// Best match first: the default when there are keywords.
    static var relevance: Self { get }
    /// Newest first: the default without keywords.
    static var newest: Self { get }
}

extension LibrarySort {
    /// Localisation key of the choice's label in the sort menu.
    public var labelKey: L10nKey { L10nKey("librarySort.\(rawValue)") }
}

/// The orderings a `FacetCatalog` can give its entries.
public enum LibraryOrdering: Sendable, Equatable {
    /// Full-text score, highest first.
    case relevance
    /// Publication time, newest first.
    case newest
    case oldest
    /// The entry's year, latest first.
    case year
    /// Alphabetical by title.
    case title
    /// A count the caller supplies per entry (times saved, times used), largest first.
    case count
}

/// How a library shows its results.
public enum LibraryView: String, CaseIterable, Sendable, Codable {
    case list
    /// On a map of the facet the library maps (`CatalogFacet.mapped`).
    case map
}
