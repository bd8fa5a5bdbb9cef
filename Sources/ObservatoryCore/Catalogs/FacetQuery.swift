import Foundation

/// Everything a visitor chose in a library, read from and written back to the query string in
/// one canonical order, so that equal views have equal URLs.
public struct FacetQuery<Facet: CatalogFacet>: Sendable, Equatable {
    /// The keywords as typed (trimmed, without control characters).
    public var keywords: String?
    /// Selected term slugs per facet, without duplicates, in alphabetical order.
    public var selections: [Facet: [String]] = [:]
    /// Year range of the entries, both ends included.
    public var yearFrom: Int?
    public var yearTo: Int?
    /// The chosen order; nil means the default (relevance with keywords, otherwise newest).
    public var sort: Facet.Sort?
    public var perPage = FacetQuery.defaultPerPage
    public var page: PageNumber = .first
    public var view = LibraryView.list
    /// How keywords are matched: `match=all` asks for every word, `spelling=off` for the words
    /// as typed.
    public var searchOptions = SearchOptions()

    public static var perPageChoices: [Int] { [12, 24, 48] }
    public static var defaultPerPage: Int { 12 }
    public static var years: ClosedRange<Int> { 1950...2100 }
    /// At most this many values may be selected in one facet.
    public static var maxValuesPerFacet: Int { 60 }

    public init() {}

    /// The keywords as a full-text query; nil without keywords or when nothing searchable is left.
    public var searchQuery: SearchQuery? { SearchQuery(keywords: keywords) }

    /// Keywords were given but every word was too common (or punctuation) to search for.
    public var keywordsIgnored: Bool { keywords != nil && searchQuery == nil }

    /// The chosen order, or the default; relevance only where there are keywords to rank by.
    public var effectiveSort: Facet.Sort {
        guard let sort, sort != .relevance else { return defaultSort }
        return sort
    }

    /// Whether any filter (keywords, a facet value or a year) narrows the results.
    public var isFiltered: Bool {
        keywords != nil || !selections.isEmpty || yearFrom != nil || yearTo != nil
    }

    public func selected(_ facet: Facet) -> [String] { selections[facet] ?? [] }

    /// Adds or removes one facet value.
    public func toggling(_ facet: Facet, _ slug: String) -> FacetQuery {
        var copy = self
        var values = selected(facet)
        if let index = values.firstIndex(of: slug) { values.remove(at: index) } else { values.append(slug) }
        copy.selections[facet] = values.isEmpty ? nil : values.sorted()
        copy.page = 1
        return copy
    }

    /// The same filters, showing only `slug` in `facet` (a country on the map).
    public func only(_ facet: Facet, _ slug: String) -> FacetQuery {
        var copy = self
        copy.selections[facet] = [slug]
        copy.page = 1
        return copy
    }

    /// The query string pairs in canonical order; defaults are left out.
    public var parameters: [(name: String, value: String)] {
        var pairs: [(String, String)] = []
        if let keywords { pairs.append(("q", keywords)) }
        for facet in Facet.allCases {
            for value in selected(facet) { pairs.append((facet.rawValue, value)) }
        }
        if let yearFrom { pairs.append(("from", String(yearFrom))) }
        if let yearTo { pairs.append(("to", String(yearTo))) }
        if let sort, sort != defaultSort { pairs.append(("sort", sort.rawValue)) }
        if perPage != Self.defaultPerPage { pairs.append(("per_page", String(perPage))) }
        if view != .list { pairs.append(("view", view.rawValue)) }
        pairs += searchOptions.parameters
        if page.value > 1 { pairs.append(("page", String(page.value))) }
        return pairs
    }

    private var defaultSort: Facet.Sort { searchQuery == nil ? .newest : .relevance }

    /// Reads the query string pairs. Unknown parameters are ignored (the canonical URL drops
    /// them); malformed values are errors that say what is accepted.
    public init(parameters: [(name: String, value: String)]) throws(FacetQueryError<Facet>) {
        for (name, rawValue) in parameters {
            let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
            if let facet = Facet(rawValue: name) {
                guard !value.isEmpty else { continue }
                guard value.count <= 100, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                    throw .unknownValue(facet: facet, value: String(value.prefix(100)))
                }
                let value = facet.canonicalValue(value)
                var values = selections[facet] ?? []
                if !values.contains(value) { values.append(value) }
                guard values.count <= Self.maxValuesPerFacet else { throw .tooManyValues(facet: facet) }
                selections[facet] = values
                continue
            }
            switch name {
            case "q":
                guard let cleaned = SearchQuery.cleanedKeywords(rawValue) else { continue }
                guard cleaned.count <= SearchQuery.maximumKeywordLength else { throw .keywordsTooLong }
                keywords = cleaned
            case "from", "to":
                guard !value.isEmpty, Facet.filtersByYear else { continue }
                guard let year = Int(value), Self.years.contains(year) else {
                    throw .year(value: String(value.prefix(20)), bounds: Self.years)
                }
                if name == "from" { yearFrom = year } else { yearTo = year }
            case "sort":
                guard !value.isEmpty else { continue }
                guard let chosen = Facet.Sort(rawValue: value) else { throw .sort(value: String(value.prefix(40))) }
                sort = chosen
            case "per_page":
                guard !value.isEmpty else { continue }
                guard let count = Int(value), Self.perPageChoices.contains(count) else {
                    throw .perPage(value: String(value.prefix(20)))
                }
                perPage = count
            case "page":
                guard !value.isEmpty else { continue }
                guard let number = PageNumber(parsing: value) else { throw .page(value: String(value.prefix(20))) }
                page = number
            case "match", "spelling":
                guard !value.isEmpty else { continue }
                guard searchOptions.read(name: name, value: value) else {
                    throw .option(name: name, value: String(value.prefix(20)))
                }
            case "view":
                guard !value.isEmpty else { continue }
                guard let chosen = LibraryView(rawValue: value), chosen == .list || Facet.mapped != nil else {
                    throw .view(value: String(value.prefix(20)))
                }
                view = chosen
            default:
                continue
            }
        }
        for (facet, values) in selections { selections[facet] = values.sorted() }
        // A range typed the wrong way round means the same years.
        if let from = yearFrom, let to = yearTo, from > to { (yearFrom, yearTo) = (to, from) }
    }
}

/// Why a library query string cannot be read, with the localised sentence that says so.
public enum FacetQueryError<Facet: CatalogFacet>: Error, Equatable, Sendable {
    case unknownValue(facet: Facet, value: String)
    case tooManyValues(facet: Facet)
    case keywordsTooLong
    case year(value: String, bounds: ClosedRange<Int>)
    case sort(value: String)
    case perPage(value: String)
    case page(value: String)
    case view(value: String)
    case option(name: String, value: String)

    public func message(_ localizer: Localizer) -> String {
        switch self {
        case .unknownValue(let facet, let value):
            localizer("library.error.unknownValue", ["value": value, "facet": localizer(facet.labelKey)])
        case .tooManyValues(let facet):
            localizer("library.error.tooManyValues", ["facet": localizer(facet.labelKey), "max": String(FacetQuery<Facet>.maxValuesPerFacet)])
        case .keywordsTooLong:
            localizer("error.keywordsTooLong")
        case .year(let value, let bounds):
            localizer("library.error.year", ["value": value, "min": String(bounds.lowerBound), "max": String(bounds.upperBound)])
        case .sort(let value):
            localizer("error.sort", ["value": value, "valid": Facet.Sort.allCases.map(\.rawValue).joined(separator: ", ")])
        case .perPage(let value):
            localizer("library.error.perPage", ["value": value, "valid": FacetQuery<Facet>.perPageChoices.map(String.init).joined(separator: ", ")])
        case .page(let value):
            localizer("error.page", ["value": value])
        case .view(let value):
            localizer("library.error.view", ["value": value, "valid": (Facet.mapped == nil ? [LibraryView.list] : LibraryView.allCases).map(\.rawValue).joined(separator: ", ")])
        case .option(let name, let value):
            SearchOptions.message(name: name, value: value, localizer)
        }
    }
}
