/// Every published entry of a library (case studies, toolkits, any other type) reduced to what filtering,
/// counting and ordering need, with one posting set per facet value: a snapshot that answers a
/// faceted query, counts included, in memory. The app builds it from the database and replaces
/// it when the content changes.
public struct FacetCatalog<Facet: CatalogFacet>: Sendable {
    /// A published entry as the catalog keeps it (`year`: the year the library filters and
    /// sorts by, the launch of a case or the last update of a toolkit).
    public struct Entry: Sendable, Equatable {
        public let id: Int64
        public let slug: String
        public let title: String
        public let publishedAt: Int64
        public let year: Int?
        /// Indices into `terms`, in vocabulary then position order.
        public let termIndices: [Int32]

        public init(id: Int64, slug: String, title: String, publishedAt: Int64, year: Int?, termIndices: [Int32] = []) {
            self.id = id
            self.slug = slug
            self.title = title
            self.publishedAt = publishedAt
            self.year = year
            self.termIndices = termIndices
        }
    }

    /// A facet value.
    public struct Term: Sendable, Equatable {
        public let id: Int64
        public let facet: Facet
        public let slug: String
        public let name: String
        /// Display order within its vocabulary.
        public let position: Int

        public init(id: Int64, facet: Facet, slug: String, name: String, position: Int) {
            self.id = id
            self.facet = facet
            self.slug = slug
            self.name = name
            self.position = position
        }
    }

    public let entries: [Entry]
    public let terms: [Term]
    /// The entries (by index in `entries`) that carry each term, parallel to `terms`.
    private let postings: [Bitset]
    private let termIndexBySlug: [Facet: [String: Int]]
    /// Each facet's terms (indices into `terms`), in `terms` order.
    private let termIndicesByFacet: [Facet: [Int]]
    private let entryIndexByID: [Int64: Int]
    /// Entry indices newest first (ties: higher id first), by title, by year.
    private let newestOrder: [Int32]
    private let titleOrder: [Int32]
    private let yearOrder: [Int32]

    /// - Parameters:
    ///   - entries: the published entries, in any order; their `termIndices` are filled from `assignments`.
    ///   - terms: the values of every facet's vocabulary.
    ///   - assignments: (entry id, term id) pairs; pairs naming unknown entries or terms are ignored.
    public init(entries unordered: [Entry], terms: [Term], assignments: [(entryID: Int64, termID: Int64)]) {
        let byTime = unordered.sorted { ($0.publishedAt, $0.id) > ($1.publishedAt, $1.id) }
        var entryIndexByID: [Int64: Int] = [:]
        entryIndexByID.reserveCapacity(byTime.count)
        for (index, item) in byTime.enumerated() { entryIndexByID[item.id] = index }
        var termIndexByID: [Int64: Int] = [:]
        var termIndexBySlug: [Facet: [String: Int]] = [:]
        var termIndicesByFacet: [Facet: [Int]] = [:]
        for (index, term) in terms.enumerated() {
            termIndexByID[term.id] = index
            termIndexBySlug[term.facet, default: [:]][term.slug] = index
            termIndicesByFacet[term.facet, default: []].append(index)
        }
        var postings = Array(repeating: Bitset(capacity: byTime.count), count: terms.count)
        var termIndicesByEntry = Array(repeating: [Int32](), count: byTime.count)
        for (entryID, termID) in assignments {
            guard let entryIndex = entryIndexByID[entryID], let termIndex = termIndexByID[termID] else { continue }
            postings[termIndex].insert(entryIndex)
            termIndicesByEntry[entryIndex].append(Int32(termIndex))
        }
        self.entries = byTime.enumerated().map { index, item in
            let ordered = termIndicesByEntry[index].sorted {
                (terms[Int($0)].facet.order, terms[Int($0)].position) < (terms[Int($1)].facet.order, terms[Int($1)].position)
            }
            return Entry(id: item.id, slug: item.slug, title: item.title, publishedAt: item.publishedAt,
                         year: item.year, termIndices: ordered)
        }
        self.terms = terms
        self.postings = postings
        self.termIndexBySlug = termIndexBySlug
        self.termIndicesByFacet = termIndicesByFacet
        self.entryIndexByID = entryIndexByID
        let indices = Array(Int32(0)..<Int32(byTime.count))
        newestOrder = indices
        let titleKeys = byTime.map { SearchText.normalize($0.title) }
        titleOrder = indices.sorted { (titleKeys[Int($0)], $0) < (titleKeys[Int($1)], $1) }
        yearOrder = indices.sorted { (byTime[Int($0)].year ?? .min, -$0) > (byTime[Int($1)].year ?? .min, -$1) }
    }

    public var count: Int { entries.count }

    public func term(_ facet: Facet, slug: String) -> Term? {
        termIndexBySlug[facet]?[slug].map { terms[$0] }
    }

    public func terms(of item: Entry, in facet: Facet) -> [Term] {
        item.termIndices.map { terms[Int($0)] }.filter { $0.facet == facet }
    }

    public func entry(id: Int64) -> Entry? { entryIndexByID[id].map { entries[$0] } }

    /// The years that occur, lowest and highest.
    public var yearBounds: ClosedRange<Int>? {
        let years = entries.compactMap(\.year)
        guard let low = years.min(), let high = years.max() else { return nil }
        return low...high
    }

    // MARK: - Searching

    /// The entries a keyword query matched, in the catalog's own numbering: built once per query
    /// and catalog, so it can be kept and reused while the catalog is current.
    public struct KeywordMatches: Sendable {
        let members: Bitset
        /// Full-text score by entry index; higher is better.
        let scores: [Int: Double]

        public var count: Int { scores.count }
    }

    /// `scores` (full-text score by item id) restricted to the catalog's entries.
    public func keywordMatches(_ scores: [Int64: Double]) -> KeywordMatches {
        var members = Bitset(capacity: count)
        var byIndex: [Int: Double] = [:]
        byIndex.reserveCapacity(min(scores.count, count))
        for (id, score) in scores {
            guard let index = entryIndexByID[id] else { continue }
            members.insert(index)
            byIndex[index] = score
        }
        return KeywordMatches(members: members, scores: byIndex)
    }

    /// Answers `query` with its page of entries, the total, every facet's disjunctive counts and
    /// the counts per value of the mapped facet.
    ///
    /// - Parameter keywordMatches: the full-text score of every entry the keywords match, or nil
    ///   when the query has no keywords.
    /// - Throws: `FacetQueryError.unknownValue` when a selected value is not a term of its facet.
    public func search(_ query: FacetQuery<Facet>, keywordMatches: [Int64: Double]?, counts: [Int64: Int] = [:]) throws(FacetQueryError<Facet>) -> FacetSearchResult<Facet> {
        try search(query, keywords: keywordMatches.map(self.keywordMatches), counts: counts)
    }

    /// Answers `query`; `keywords` are the matches of its keywords, nil without keywords;
    /// `counts` rank the entries for the orders by a count (`LibraryOrdering.count`).
    public func search(_ query: FacetQuery<Facet>, keywords: KeywordMatches? = nil, counts: [Int64: Int] = [:]) throws(FacetQueryError<Facet>) -> FacetSearchResult<Facet> {
        // Union of the selected values' postings, per facet that has a selection.
        var unions: [Facet: Bitset] = [:]
        for facet in Facet.allCases {
            let slugs = query.selected(facet)
            guard !slugs.isEmpty else { continue }
            var union = Bitset(capacity: count)
            for slug in slugs {
                guard let index = termIndexBySlug[facet]?[slug] else { throw .unknownValue(facet: facet, value: slug) }
                union.formUnion(postings[index])
            }
            unions[facet] = union
        }
        let base = keywords?.members ?? Bitset(capacity: count, filled: true)
        let yearFilter = yearMask(from: query.yearFrom, to: query.yearTo)

        // Each facet counts over the results of every *other* filter (disjunctive faceting).
        func results(excluding excluded: Facet?, withYears: Bool) -> Bitset {
            var mask = base
            if withYears, let yearFilter { mask.formIntersection(yearFilter) }
            for (facet, union) in unions where facet != excluded { mask.formIntersection(union) }
            return mask
        }
        let matching = results(excluding: nil, withYears: true)
        var facets: [Facet: [FacetSearchResult<Facet>.FacetValue]] = [:]
        var mappedCounts: [FacetSearchResult<Facet>.FacetValue] = []
        for facet in Facet.allCases {
            let mask = unions[facet] == nil ? matching : results(excluding: facet, withYears: true)
            let selected = Set(query.selected(facet))
            var values: [FacetSearchResult<Facet>.FacetValue] = []
            for index in termIndicesByFacet[facet] ?? [] {
                let term = terms[index]
                values.append(.init(term: term, count: postings[index].intersectionCount(mask), selected: selected.contains(term.slug)))
                if facet == Facet.mapped {
                    mappedCounts.append(.init(term: term, count: postings[index].intersectionCount(matching), selected: selected.contains(term.slug)))
                }
            }
            facets[facet] = values
        }
        var yearCounts: [Int: Int] = [:]
        for index in results(excluding: nil, withYears: false).members {
            if let year = entries[index].year { yearCounts[year, default: 0] += 1 }
        }

        let total = matching.count
        let pageCount = max(1, (total + query.perPage - 1) / query.perPage)
        let offset = query.page.offset(pageSize: query.perPage)
        var page: [Entry] = []
        if offset < total {
            switch query.effectiveSort.ordering {
            case .relevance:
                let scores = keywords?.scores ?? [:]
                let ranked = matching.members.map { (score: scores[$0] ?? 0, index: $0) }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
                page = ranked.dropFirst(offset).prefix(query.perPage).map { entries[$0.index] }
            case .newest: page = pick(newestOrder, matching, offset: offset, limit: query.perPage, reversed: false)
            case .oldest: page = pick(newestOrder, matching, offset: offset, limit: query.perPage, reversed: true)
            case .year: page = pick(yearOrder, matching, offset: offset, limit: query.perPage, reversed: false)
            case .title: page = pick(titleOrder, matching, offset: offset, limit: query.perPage, reversed: false)
            case .count:
                // Largest count first; equal counts newest first.
                let ranked = matching.members.map { (count: counts[entries[$0].id] ?? 0, index: $0) }
                    .sorted { $0.count != $1.count ? $0.count > $1.count : $0.index < $1.index }
                page = ranked.dropFirst(offset).prefix(query.perPage).map { entries[$0.index] }
            }
        }
        return FacetSearchResult(
            query: query, total: total, pageCount: pageCount, entries: page, facets: facets,
            yearCounts: yearCounts.sorted { $0.key < $1.key }.map { (year: $0.key, count: $0.value) },
            mappedCounts: mappedCounts.filter { $0.count > 0 }.sorted { ($1.count, $0.term.name) < ($0.count, $1.term.name) })
    }

    private func yearMask(from: Int?, to: Int?) -> Bitset? {
        guard from != nil || to != nil else { return nil }
        let range = (from ?? .min)...(to ?? .max)
        var mask = Bitset(capacity: count)
        for (index, item) in entries.enumerated() {
            if let year = item.year, range.contains(year) { mask.insert(index) }
        }
        return mask
    }

    private func pick(_ order: [Int32], _ matching: Bitset, offset: Int, limit: Int, reversed: Bool) -> [Entry] {
        var skipped = 0
        var page: [Entry] = []
        func visit(_ index: Int32) -> Bool {
            guard matching.contains(Int(index)) else { return true }
            if skipped < offset {
                skipped += 1
                return true
            }
            page.append(entries[Int(index)])
            return page.count < limit
        }
        if reversed {
            for index in order.reversed() where !visit(index) { break }
        } else {
            for index in order where !visit(index) { break }
        }
        return page
    }
}

/// One page of a library query with the counts that go with it.
public struct FacetSearchResult<Facet: CatalogFacet>: Sendable {
    public struct FacetValue: Sendable, Equatable {
        public let term: FacetCatalog<Facet>.Term
        /// Results the value would give with the other facets' filters applied.
        public let count: Int
        public let selected: Bool
    }

    public let query: FacetQuery<Facet>
    public let total: Int
    public let pageCount: Int
    public let entries: [FacetCatalog<Facet>.Entry]
    /// Every value of every facet, in vocabulary order.
    public let facets: [Facet: [FacetValue]]
    /// Results per year with every filter but the year range applied.
    public let yearCounts: [(year: Int, count: Int)]
    /// Results per value of the mapped facet (all filters applied), largest first; values
    /// without results left out. Empty when the library maps no facet.
    public let mappedCounts: [FacetValue]

    /// A facet's values as the filter panel lists them: those with results and those selected,
    /// by count or in vocabulary order, cut to the facet's limit (selected values always stay).
    public func listedValues(_ facet: Facet) -> [FacetValue] {
        var values = (facets[facet] ?? []).filter { $0.count > 0 || $0.selected }
        if facet.listsByCount {
            values.sort { ($1.count, $0.term.name) < ($0.count, $1.term.name) }
        } else {
            values.sort { $0.term.position < $1.term.position }
        }
        if let limit = facet.listedValueLimit, values.count > limit {
            let kept = values.prefix(limit)
            values = Array(kept) + values.dropFirst(limit).filter(\.selected)
        }
        return values
    }

    public var isPastEnd: Bool { query.page.value > pageCount }
}
