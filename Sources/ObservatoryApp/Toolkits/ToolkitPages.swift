import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The toolkit navigator (`/toolkits`): the case library's faceted machinery over toolkits
/// (discipline, task, user type, level, format, licence, reuse, sector, tag) with counts, and
/// what readers do with toolkits: signed-in readers mark one "saved" or "used", and the
/// navigator sorts by those counts. Not kept in the page cache: the counts change with every
/// mark, the catalog answers from memory.
struct ToolkitPages: RouteCollection {
    typealias Query = FacetQuery<ToolkitFacet>

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get("toolkits", use: navigator)
        routes.access(.signedIn).post("toolkits", ":slug", "marks", use: mark)
    }

    static func path(_ query: Query) -> String {
        "/toolkits" + SiteURL.queryString(query.parameters.map { ($0.name, $0.value) })
    }

    /// Times each toolkit was marked `kind`, by item id.
    static func counts(_ kind: ToolkitMark, _ sql: any SQLDatabase) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await sql.raw("SELECT item_id, COUNT(*) AS n FROM toolkit_marks WHERE kind = \(bind: kind.rawValue) GROUP BY item_id").all() {
            counts[try row.decode(column: "item_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    func navigator(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let query: Query
        do throws(FacetQueryError<ToolkitFacet>) {
            query = try Query(parameters: QueryParameters(request).pairs)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        let sql = try request.sql
        let state = try await request.contentState(sql, now: context.now)
        let entry = try await request.application.toolkitCatalogStore.catalog(sql, state: state, now: context.now)
        let queries = CaseLibraryQueries(sql: sql)
        var matches: FacetCatalog<ToolkitFacet>.KeywordMatches?
        if let searchQuery = query.searchQuery {
            matches = try await entry.keywordMatches(searchQuery) { try await queries.keywordMatches($0) }
        }
        let saved = try await Self.counts(.saved, sql)
        let used = try await Self.counts(.used, sql)
        let result: FacetSearchResult<ToolkitFacet>
        do throws(FacetQueryError<ToolkitFacet>) {
            result = try entry.catalog.search(query, keywords: matches, counts: query.effectiveSort == .used ? used : saved)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        let (summaries, snippets) = try await queries.texts(of: result.cases.map(\.id), query: query.searchQuery)
        var mine: Set<String> = []
        if let signedIn = request.signedIn, !result.cases.isEmpty {
            for row in try await sql.select().columns("item_id", "kind").from("toolkit_marks").where("account_id", .equal, signedIn.accountID)
                .where("item_id", .in, result.cases.map(\.id)).all() {
                mine.insert("\(try row.decode(column: "item_id", as: Int64.self)):\(try row.decode(column: "kind", as: String.self))")
            }
        }
        let cards: [HTML] = result.cases.map { item in
            let catalog = entry.catalog
            var facts: [String] = []
            for facet in [ToolkitFacet.discipline, .format, .licence, .reuse] { facts += catalog.terms(of: item, in: facet).map(\.name) }
            let counts = context("toolkits.counts", ["saved": String(saved[item.id] ?? 0), "used": String(used[item.id] ?? 0)])
            let actions: HTML
            if request.signedIn != nil {
                let buttons: [HTML] = ToolkitMark.allCases.map { kind in
                    let on = mine.contains("\(item.id):\(kind.rawValue)")
                    return """
                    <form method="post" action="/toolkits/\(item.slug)/marks" class="inline-form">\(FormBuilder.csrf(request.csrfToken))
                    <input type="hidden" name="kind" value="\(kind.rawValue)"><input type="hidden" name="back" value="\(request.url.string)">
                    <button type="submit" class="secondary" aria-pressed="\(on ? "true" : "false")">\(context(L10nKey("toolkits.mark.\(kind.rawValue)")))<span class="visually-hidden">: \(item.title)</span></button></form>
                    """
                }
                actions = "<div class=\"toolkit-actions\">\(buttons)</div>"
            } else {
                actions = "<p class=\"muted\"><a href=\"\(SiteURL.signIn(next: request.url.string).path)\">\(context("toolkits.signIn"))</a></p>"
            }
            return """
            <li class="card">
            <p class="card-meta">\(facts.joined(separator: " · "))</p>
            <h2 class="card-title"><a href="\(SiteURL.item(.toolkit, slug: item.slug).path)">\(item.title)</a></h2>
            \(Layout.excerpt(snippet: snippets[item.id], summary: summaries[item.id] ?? ""))
            <p class="toolkit-counts">\(counts)</p>
            \(actions)
            </li>
            """
        }
        let pageURL = { (page: Int) -> String in
            var target = query
            target.page = PageNumber(clamping: page)
            return Self.path(target)
        }
        let list: HTML = result.isPastEnd ? Layout.pastEndNotice(page: query.page, pages: result.pageCount, context, url: pageURL)
            : result.cases.isEmpty ? "<p class=\"notice\">\(context("toolkits.empty"))</p>"
            : "<ul class=\"cards\">\(cards)</ul>\(Layout.pager(current: query.page, count: result.pageCount, context, url: pageURL))"
        let title = context(ContentType.toolkit.pluralKey)
        let feeds = ListingPages.feedLinks(path: "/toolkits", query: [], title: title, context)
        let content: HTML = """
        <h1>\(title)</h1>
        <p class="lead">\(context("toolkits.intro"))</p>
        <p class="skip-filters"><a href="#results">\(context("cases.skipToResults", ["count": String(result.total)]))</a></p>
        <div class="library">
        \(FacetPanel.panel(result, entry.catalog, context, action: "/toolkits", label: "toolkits.filtersLabel"))
        <div class="library-results" id="results" tabindex="-1">
        \(FacetPanel.chips(result, entry.catalog, context, path: Self.path))
        <p class="result-count" role="status">\(context("toolkits.count", ["count": String(result.total)]))</p>
        \(list)
        </div>
        </div>
        """
        return Layout.page(context, title: title, head: Layout.Head(canonical: Self.path(query), feeds: feeds), content: content)
            .htmlResponse(status: result.isPastEnd ? .notFound : .ok)
    }

    /// Marks a toolkit saved or used, or takes the mark back.
    func mark(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        guard let kind = ToolkitMark(rawValue: request.formValue("kind")) else { throw Abort(.badRequest, reason: context("toolkits.error.kind")) }
        let sql = try request.sql
        guard let slug = request.parameters.get("slug"),
              let detail = try await ContentQueries(sql: sql, now: context.now).item(type: .toolkit, slug: slug)
        else { throw Abort(.notFound) }
        let itemID = detail.item.id
        let removed = try await sql.raw("""
            DELETE FROM toolkit_marks WHERE account_id = \(bind: signedIn.accountID) AND item_id = \(bind: itemID) AND kind = \(bind: kind.rawValue) RETURNING item_id
            """).first() != nil
        if !removed {
            try await sql.raw("""
                INSERT INTO toolkit_marks (account_id, item_id, kind, created_at) VALUES (\(bind: signedIn.accountID), \(bind: itemID), \(bind: kind.rawValue), \
                \(bind: context.now)) ON CONFLICT (account_id, item_id, kind) DO NOTHING
                """).run()
        }
        // Back to where the reader was, only within the site.
        let target = LocalPath(request.formValue("back"))?.value ?? SiteURL.item(.toolkit, slug: slug).path
        return request.redirect(to: target, redirectType: .normal)
    }
}
