/// The classifications a faceted library (the case library, the toolkit navigator, any next one) filters
/// and counts by. The raw value is the query parameter; the order of the cases is the order of
/// the filter panel and of the canonical query string.
public protocol CatalogFacet: RawRepresentable, CaseIterable, Hashable, Sendable, Codable where RawValue == String, AllCases == [Self] {
    /// The vocabulary whose terms are the facet's values.
    var vocabulary: Vocabulary { get }
    /// Localisation key of the facet's heading.
    var labelKey: L10nKey { get }
    /// Values listed by count, largest first (else in the vocabulary's order).
    var listsByCount: Bool { get }
    /// At most this many values listed (selected ones always are); nil for all.
    var listedValueLimit: Int? { get }
    /// The facet whose results per value are also counted with every filter applied (the
    /// case library's map of countries); nil when there is none.
    static var mapped: Self? { get }
    /// The orders the library offers.
    associatedtype Sort: LibrarySort
    /// Whether the library filters by a range of years (the entries' `FacetCatalog.Entry.year`).
    static var filtersByYear: Bool { get }
    /// The slug a value typed in another accepted form stands for (a country's ISO 3166
    /// alpha-2 code, `FI` for `finland`); the value itself otherwise.
    func canonicalValue(_ value: String) -> String
}

extension CatalogFacet {
    public func canonicalValue(_ value: String) -> String {
        vocabulary == .country ? Countries.canonicalSlug(value) : value
    }

    /// Position in `allCases`, for ordering an entry's terms.
    public var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public init?(vocabulary: Vocabulary) {
        guard let match = Self.allCases.first(where: { $0.vocabulary == vocabulary }) else { return nil }
        self = match
    }
}
