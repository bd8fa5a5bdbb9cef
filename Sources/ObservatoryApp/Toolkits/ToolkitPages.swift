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
        routes.access(.everyone).get(SiteURL.Routes.toolkitNavigator, use: navigator)
        routes.access(.signedIn).post(SiteURL.Routes.toolkitMarks, use: mark)
    }

    static func path(_ query: Query) -> String {
        SiteURL.Routes.toolkitNavigator.path(query: query.parameters.map { ($0.name, $0.value) })
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
        let marks = ToolkitMarkStore(sql: sql)
        let saved = try await marks.counts(.saved)
        let used = try await marks.counts(.used)
        let page = try await LibrarySearch(store: request.application.toolkitCatalogStore, sql: sql)
            .page(query, state: state, context: context, counts: query.effectiveSort.mark == .used ? used : saved,
                  options: query.searchOptions, search: request.application.searchIndexStore)
        let result = page.result
        var mine: Set<ToolkitMarkKey> = []
        if let signedIn = request.signedIn {
            mine = try await marks.marks(accountID: signedIn.accountID, itemIDs: result.entries.map(\.id))
        }
        let cards: [HTML] = result.entries.map { item in
            let catalog = page.catalog
            var facts: [String] = []
            for facet in [ToolkitFacet.discipline, .format, .licence, .reuse] { facts += catalog.terms(of: item, in: facet).map(\.name) }
            let counts = context("toolkits.counts", ["saved": String(saved[item.id] ?? 0), "used": String(used[item.id] ?? 0)])
            let actions: HTML
            if request.signedIn != nil {
                let buttons: [HTML] = ToolkitMark.allCases.map { kind in
                    let on = mine.contains(ToolkitMarkKey(itemID: item.id, mark: kind))
                    return """
                    <form method="post" action="\(SiteURL.Routes.toolkitMarks.path(item.slug))" class="inline-form">\(FormBuilder.csrf(request.csrfToken))
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
            \(Layout.excerpt(snippet: page.snippets[item.id], summary: page.summaries[item.id] ?? ""))
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
            : result.entries.isEmpty ? "<p class=\"notice\">\(context("toolkits.empty"))</p>"
            : "<ul class=\"cards\">\(cards)</ul>\(Layout.pager(current: query.page, count: result.pageCount, context, url: pageURL))"
        let title = context(ContentType.toolkit.pluralKey)
        let feeds = ListingPages.feedLinks(path: SiteURL.Routes.toolkitNavigator.path, query: [], title: title, context)
        let content: HTML = """
        <h1>\(title)</h1>
        <p class="lead">\(context("toolkits.intro"))</p>
        <p class="skip-filters"><a href="#results">\(context("library.skipToResults", ["count": String(result.total)]))</a></p>
        <div class="library">
        \(FacetPanel.panel(result, page.catalog, context, action: SiteURL.Routes.toolkitNavigator.path, label: "toolkits.filtersLabel"))
        <div class="library-results" id="results" tabindex="-1">
        \(FacetPanel.chips(result, page.catalog, context, path: Self.path))
        \(SearchNotesView.library(page, context, path: Self.path))
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
        try await ToolkitMarkStore(sql: sql).toggle(kind, itemID: detail.item.id, accountID: signedIn.accountID, now: context.now)
        // Back to where the reader was, only within the site.
        let target = LocalPath(request.formValue("back"))?.value ?? SiteURL.item(.toolkit, slug: slug).path
        return request.redirect(to: target, redirectType: .normal)
    }
}
