import Testing
@testable import ObservatoryCore

@Suite("Case catalog: faceted search in memory")
struct CaseCatalogTests {
    /// A random but reproducible library: every case has one level, one to three countries,
    /// zero to two recognitions and a launch year (some have none).
    struct Library {
        var cases: [CaseCatalog.Entry] = []
        var terms: [CaseCatalog.Term] = []
        var assignments: [(entryID: Int64, termID: Int64)] = []
        var termsOfCase: [Int64: Set<Int64>] = [:]

        init(count: Int, seed: UInt64) {
            var random = SampleRandom(seed: seed, index: 0, stream: 0)
            let vocabularies: [(CaseFacet, [String])] = [
                (.country, ["kenya", "chile", "france", "japan", "peru"]),
                (.level, ["national", "regional", "local"]),
                (.recognition, ["shortlisted", "award-winner"]),
            ]
            var nextTermID: Int64 = 100
            var termIDs: [CaseFacet: [Int64]] = [:]
            for (facet, slugs) in vocabularies {
                for (position, slug) in slugs.enumerated() {
                    terms.append(.init(id: nextTermID, facet: facet, slug: slug, name: slug.capitalized, position: position))
                    termIDs[facet, default: []].append(nextTermID)
                    nextTermID += 1
                }
            }
            for index in 0..<count {
                let id = Int64(index + 1)
                let year: Int? = random.next() % 10 == 0 ? nil : 2000 + Int(random.next() % 20)
                // Some cases share a publication time, so ties must be broken by id.
                cases.append(.init(id: id, slug: "case-\(id)", title: "Case \(random.next() % 1000)",
                                   publishedAt: 1_600_000_000 + Int64(random.next() % 50) * 86_400, year: year))
                var chosen: Set<Int64> = []
                let countries = termIDs[.country]!
                for _ in 0..<(1 + Int(random.next() % 3)) { chosen.insert(countries[Int(random.next() % UInt64(countries.count))]) }
                chosen.insert(termIDs[.level]![Int(random.next() % 3)])
                if random.next() % 4 == 0 { chosen.insert(termIDs[.recognition]![Int(random.next() % 2)]) }
                termsOfCase[id] = chosen
                for termID in chosen { assignments.append((id, termID)) }
            }
        }

        var catalog: CaseCatalog { CaseCatalog(entries: cases, terms: terms, assignments: assignments) }

        func termID(_ facet: CaseFacet, _ slug: String) -> Int64 {
            terms.first { $0.facet == facet && $0.slug == slug }!.id
        }

        /// The ids matching the query with one facet's selection ignored, counted the slow way.
        func bruteForce(_ query: CaseQuery, ignoring ignored: CaseFacet? = nil, keywords: Set<Int64>? = nil) -> [Int64] {
            cases.filter { item in
                if let keywords, !keywords.contains(item.id) { return false }
                if query.yearFrom != nil || query.yearTo != nil {
                    guard let year = item.year else { return false }
                    if let from = query.yearFrom, year < from { return false }
                    if let to = query.yearTo, year > to { return false }
                }
                for (facet, slugs) in query.selections where facet != ignored {
                    let wanted = Set(slugs.map { termID(facet, $0) })
                    if wanted.isDisjoint(with: termsOfCase[item.id]!) { return false }
                }
                return true
            }.map(\.id)
        }
    }

    @Test(arguments: [
        [("country", "kenya")],
        [("country", "kenya"), ("country", "peru"), ("level", "local")],
        [("country", "chile"), ("level", "national"), ("level", "regional"), ("recognition", "award-winner")],
        [("from", "2005"), ("to", "2010"), ("level", "local")],
        [("to", "2003")],
        [],
    ])
    func countsEveryValueWithTheOtherFacetsApplied(_ pairs: [(String, String)]) throws {
        let library = Library(count: 700, seed: 7)
        let catalog = library.catalog
        let query = try CaseQuery(parameters: pairs.map { (name: $0.0, value: $0.1) })
        let keywords = Set(library.cases.map(\.id).filter { $0 % 3 != 0 })
        let scores = Dictionary(uniqueKeysWithValues: keywords.map { ($0, Double($0 % 7)) })
        for keywordSet in [nil, keywords] {
            let result = try catalog.search(query, keywordMatches: keywordSet == nil ? nil : scores)
            #expect(result.total == library.bruteForce(query, keywords: keywordSet).count)
            for facet in [CaseFacet.country, .level, .recognition] {
                let base = library.bruteForce(query, ignoring: facet, keywords: keywordSet)
                for value in result.facets[facet] ?? [] {
                    let expected = base.filter { library.termsOfCase[$0]!.contains(value.term.id) }.count
                    #expect(value.count == expected, "\(facet) \(value.term.slug)")
                    #expect(value.selected == query.selected(facet).contains(value.term.slug))
                }
            }
            var withoutYears = query
            withoutYears.yearFrom = nil
            withoutYears.yearTo = nil
            let yearBase = library.bruteForce(withoutYears, keywords: keywordSet)
            for (year, count) in result.yearCounts {
                #expect(count == yearBase.filter { id in library.cases[Int(id) - 1].year == year }.count)
            }
            let matching = Set(library.bruteForce(query, keywords: keywordSet))
            for value in result.mappedCounts {
                #expect(value.count == matching.filter { library.termsOfCase[$0]!.contains(value.term.id) }.count)
            }
        }
    }

    @Test func ordersAndPagesEveryWay() throws {
        let library = Library(count: 200, seed: 3)
        let catalog = library.catalog
        var query = try CaseQuery(parameters: [(name: "level", value: "local")])
        let matching = Set(library.bruteForce(query))
        let byID = Dictionary(uniqueKeysWithValues: library.cases.map { ($0.id, $0) })
        func allPages(_ sort: CaseSort, scores: [Int64: Double]? = nil) throws -> [Int64] {
            var ids: [Int64] = []
            query.sort = sort
            query.perPage = 12
            query.page = 1
            while true {
                let result = try catalog.search(query, keywordMatches: scores)
                ids += result.entries.map(\.id)
                if query.page.value >= result.pageCount { break }
                query.page = PageNumber(clamping: query.page.value + 1)
            }
            return ids
        }
        let newest = matching.sorted { (byID[$0]!.publishedAt, $0) > (byID[$1]!.publishedAt, $1) }
        #expect(try allPages(.newest) == newest)
        #expect(try allPages(.oldest) == newest.reversed())
        let titles = try allPages(.title).map { byID[$0]!.title }
        #expect(titles == titles.sorted())
        let years = try allPages(.year).map { byID[$0]!.year ?? 0 }
        #expect(years == years.sorted(by: >))
        let scores = Dictionary(uniqueKeysWithValues: matching.map { ($0, Double($0 % 5)) })
        query.keywords = "budget"
        let ranked = try allPages(.relevance, scores: scores)
        #expect(ranked.count == matching.count)
        // Best score first; equal scores newest first, then higher id.
        for (left, right) in zip(ranked, ranked.dropFirst()) {
            let (a, b) = (scores[left]!, scores[right]!)
            #expect(a > b || (a == b && (byID[left]!.publishedAt, left) > (byID[right]!.publishedAt, right)))
        }
    }

    @Test func rejectsUnknownValuesAndHandlesPagesPastTheEnd() throws {
        let catalog = Library(count: 30, seed: 1).catalog
        let unknown = try CaseQuery(parameters: [(name: "country", value: "atlantis")])
        #expect(throws: CaseQueryError.unknownValue(facet: .country, value: "atlantis")) { try catalog.search(unknown) }
        var far = CaseQuery()
        far.page = 99
        let result = try catalog.search(far)
        #expect(result.entries.isEmpty)
        #expect(result.isPastEnd)
        #expect(result.total == 30)
    }

    @Test func keepsSelectedValuesListedAtZero() throws {
        let library = Library(count: 50, seed: 11)
        let query = try CaseQuery(parameters: [(name: "recognition", value: "award-winner"), (name: "from", value: "2100")])
        let result = try library.catalog.search(query)
        #expect(result.total == 0)
        let listed = result.listedValues(.recognition)
        #expect(listed.map(\.term.slug) == ["award-winner"])
        #expect(listed.first?.count == 0)
    }

    @Test func bitsetOperations() {
        var a = Bitset(capacity: 130)
        for member in [0, 63, 64, 129] { a.insert(member) }
        var b = Bitset(capacity: 130, filled: true)
        #expect(b.count == 130)
        b.formIntersection(a)
        #expect(b.members == [0, 63, 64, 129])
        #expect(a.intersectionCount(Bitset(capacity: 130, filled: true)) == 4)
        #expect(!a.contains(1))
    }
}
