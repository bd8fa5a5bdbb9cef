import Testing
@testable import ObservatoryCore

@Suite("Case library query string")
struct CaseQueryTests {
    private func parse(_ pairs: [(String, String)]) throws(CaseQueryError) -> CaseQuery {
        try CaseQuery(parameters: pairs.map { (name: $0.0, value: $0.1) })
    }

    private func canonical(_ query: CaseQuery) -> String {
        query.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    @Test func writesParametersInOneOrderWithoutDefaults() throws {
        let query = try parse([
            ("page", "2"), ("sort", "title"), ("level", "local-government"), ("country", "kenya"), ("country", "chile"),
            ("q", "  open data "), ("to", "2020"), ("from", "2010"), ("per_page", "24"), ("view", "list"),
            ("country", "kenya"), ("utm_source", "mail"), ("tag", ""),
        ])
        #expect(canonical(query) == "q=open data&country=chile&country=kenya&level=local-government&from=2010&to=2020&sort=title&per_page=24&page=2")
        // Reading the canonical form back gives the same query.
        #expect(try parse(query.parameters.map { ($0.name, $0.value) }) == query)
    }

    @Test func leavesOutTheDefaultOrderForTheQuery() throws {
        #expect(canonical(try parse([("sort", "newest")])) == "")
        #expect(canonical(try parse([("q", "budget"), ("sort", "relevance")])) == "q=budget")
        #expect(canonical(try parse([("q", "budget"), ("sort", "newest")])) == "q=budget&sort=newest")
        #expect(try parse([("sort", "relevance")]).effectiveSort == .newest)
        #expect(try parse([("q", "the of")]).effectiveSort == .newest)
        #expect(try parse([("q", "the of")]).keywordsIgnored)
    }

    @Test func swapsAReversedYearRange() throws {
        let query = try parse([("from", "2020"), ("to", "2012")])
        #expect(query.yearFrom == 2012)
        #expect(query.yearTo == 2020)
    }

    @Test func rejectsMalformedValuesWithTheReason() {
        let english = Localizer.english
        let cases: [([(String, String)], CaseQueryError, String)] = [
            ([("page", "-1")], .page(value: "-1"), "“-1” is not a page number"),
            ([("page", "abc")], .page(value: "abc"), "whole number"),
            ([("per_page", "100000")], .perPage(value: "100000"), "choose 12, 24, 48"),
            ([("from", "1850")], .year(value: "1850", bounds: 1950...2100), "from 1950 to 2100"),
            ([("to", "twenty")], .year(value: "twenty", bounds: 1950...2100), "“twenty” is not a launch year"),
            ([("sort", "popular")], .sort(value: "popular"), "Valid orders are: relevance, newest, oldest, year, title"),
            ([("view", "globe")], .view(value: "globe"), "Valid views are: list, map"),
            ([("country", "<script>")], .unknownValue(facet: .country, value: "<script>"), "There is no Country “<script>”"),
            ([("q", String(repeating: "a", count: 201))], .keywordsTooLong, "200 characters"),
        ]
        for (pairs, expected, fragment) in cases {
            #expect(throws: expected) { try parse(pairs) }
            #expect(expected.message(english).contains(fragment), "\(expected.message(english))")
        }
        let many = (0...CaseQuery.maxValuesPerFacet).map { ("tag", "t\($0)") }
        #expect(throws: CaseQueryError.tooManyValues(facet: .tag)) { try parse(many) }
    }

    @Test func keepsKeywordsAsTypedButWithoutControlCharacters() throws {
        let query = try parse([("q", "\u{0}open\u{7} \"data\" NEAR title:* -x")])
        #expect(query.keywords == "open \"data\" NEAR title:* -x")
        #expect(try parse([("q", "   ")]).keywords == nil)
    }

    @Test func togglesValuesAndResetsThePage() throws {
        var query = try parse([("country", "kenya"), ("page", "3")])
        query = query.toggling(.country, "chile")
        #expect(query.selected(.country) == ["chile", "kenya"])
        #expect(query.page == 1)
        query = query.toggling(.country, "chile").toggling(.country, "kenya")
        #expect(query.selections.isEmpty)
        #expect(query.only(.level, "other").selected(.level) == ["other"])
    }
}
