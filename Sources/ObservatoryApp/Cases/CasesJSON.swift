import Foundation
import ObservatoryCore
import Vapor

/// `/api/v1/cases`: the case library's answer as JSON — the page of results, every facet's
/// counts, the total and links to the neighbouring pages — for the same query parameters as
/// `/innovations`.
enum CasesJSON {
    struct Body: Encodable {
        let total: Int
        let page: Int
        let perPage: Int
        let pages: Int
        let sort: String
        let links: Links
        let results: [Result]
        let facets: [String: [FacetValue]]
        let years: [YearCount]

        enum CodingKeys: String, CodingKey {
            case total, page, perPage = "per_page", pages, sort, links, results, facets, years
        }
    }

    struct Links: Encodable {
        let this: String
        let html: String
        let next: String?
        let prev: String?

        enum CodingKeys: String, CodingKey {
            case this = "self", html, next, prev
        }
    }

    struct Result: Encodable {
        let id: Int64
        let slug: String
        let title: String
        let url: String
        let summary: String
        /// The text around the matched words, with the matches in `<mark>` (escaped HTML).
        let snippetHTML: String?
        let publishedAt: String
        let yearLaunched: Int?
        let terms: [String: [Term]]

        enum CodingKeys: String, CodingKey {
            case id, slug, title, url, summary, snippetHTML = "snippet_html", publishedAt = "published_at"
            case yearLaunched = "year_launched", terms
        }
    }

    struct Term: Encodable {
        let value: String
        let name: String
    }

    struct FacetValue: Encodable {
        let value: String
        let name: String
        let count: Int
        let selected: Bool
    }

    struct YearCount: Encodable {
        let year: Int
        let count: Int
    }


    static func response(_ page: LibraryPage<CaseFacet>, _ context: PageContext, status: HTTPResponseStatus) throws -> Response {
        let result = page.result
        let query = result.query
        let base = context.settings.baseURL
        func apiURL(page: Int) -> String {
            var target = query
            target.page = PageNumber(clamping: page)
            return base + SiteURL.casesAPI(target).path
        }
        let results: [Result] = result.entries.map { item in
            var terms: [String: [Term]] = [:]
            for facet in CaseFacet.allCases {
                let values = page.catalog.terms(of: item, in: facet)
                if !values.isEmpty { terms[facet.rawValue] = values.map { Term(value: $0.slug, name: $0.name) } }
            }
            let snippet = page.snippets[item.id].flatMap { SearchSnippet.hasMatch($0) ? SearchSnippet.html($0) : nil }
            return Result(
                id: item.id, slug: item.slug, title: item.title,
                url: base + SiteURL.item(.caseStudy, slug: item.slug).path,
                summary: page.summaries[item.id] ?? "", snippetHTML: snippet,
                publishedAt: MomentFormatter.rfc3339(item.publishedAt, in: TimeZone(identifier: "UTC")!),
                yearLaunched: item.year, terms: terms)
        }
        var facets: [String: [FacetValue]] = [:]
        for facet in CaseFacet.allCases {
            facets[facet.rawValue] = result.listedValues(facet).map {
                FacetValue(value: $0.term.slug, name: $0.term.name, count: $0.count, selected: $0.selected)
            }
        }
        var htmlQuery = query
        htmlQuery.view = .list
        let body = Body(
            total: result.total, page: query.page.value, perPage: query.perPage, pages: result.pageCount,
            sort: query.effectiveSort.rawValue,
            links: Links(this: apiURL(page: query.page.value), html: base + SiteURL.cases(htmlQuery).path,
                         next: query.page.value < result.pageCount ? apiURL(page: query.page.value + 1) : nil,
                         prev: query.page.value > 1 ? apiURL(page: min(query.page.value - 1, result.pageCount)) : nil),
            results: results, facets: facets,
            years: result.yearCounts.map { YearCount(year: $0.year, count: $0.count) })
        return try json(body, status: status)
    }

    /// An error as RFC 9457 problem details, like every error of the API.
    static func error(_ message: String, status: HTTPResponseStatus) throws -> Response {
        let response = try json(APIMiddleware.Problem(title: status.reasonPhrase, status: Int(status.code), detail: message), status: status)
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        return response
    }

    private static func json(_ value: some Encodable, status: HTTPResponseStatus) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
