import ObservatoryCore
import SQLKit
import Vapor

/// The front page: featured items, the latest across every type, open calls and upcoming events.
struct HomePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: show)
    }

    func show(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let queries = ContentQueries(sql: try request.sql, now: context.now)
        let featured = try await queries.latest(featuredOnly: true, limit: 3)
        let latest = try await queries.latest(limit: 8)
        let calls = try await queries.upcoming(type: .call, field: "closes_at", from: context.now, limit: 3)
        let events = try await queries.upcoming(type: .event, field: "starts_at", from: context.now, limit: 3)
        for (_, moment) in calls + events { context.changes(at: moment) }

        let featuredSection: HTML = featured.isEmpty ? "" : """
        <section aria-labelledby="featured-heading">
        <h2 id="featured-heading">\(context("home.featured"))</h2>
        \(Layout.itemList(featured, context, headingLevel: 3))
        </section>
        """
        let content: HTML = """
        <section class="intro">
        <h1>\(context.settings.siteName)</h1>
        <p>\(context("home.intro"))</p>
        <form class="quick-search" method="get" action="\(SiteURL.Routes.search.path)" role="search">
        <label for="home-q">\(context("home.searchLabel"))</label>
        <input type="search" id="home-q" name="q" maxlength="\(SearchQuery.maximumKeywordLength)">
        <button type="submit">\(context("layout.search"))</button>
        </form>
        </section>
        \(featuredSection)
        <div class="home-columns">
        <section aria-labelledby="latest-heading">
        <h2 id="latest-heading">\(context("home.latest"))</h2>
        \(Layout.itemList(latest, context, headingLevel: 3))
        <p><a href="\(SiteURL.search().path)">\(context("home.allContent"))</a></p>
        </section>
        <div>
        \(dated(calls, heading: "home.openCalls", id: "calls-heading", empty: "home.noOpenCalls", label: "call.deadline", context))
        \(dated(events, heading: "home.upcomingEvents", id: "events-heading", empty: "home.noUpcomingEvents", label: "event.starts", context))
        </div>
        </div>
        """
        let head = Layout.Head(canonical: SiteURL.home.path, feeds: ListingPages.feedLinks(path: "", query: [], title: context("feed.everything"), context))
        return Layout.page(context, title: nil, description: context("home.description", ["site": context.settings.siteName]), head: head, content: content)
    }

    private func dated(_ entries: [(ListedItem, Int64)], heading: L10nKey, id: String, empty: L10nKey, label: L10nKey, _ context: PageContext) -> HTML {
        let list: HTML = entries.isEmpty ? "<p>\(context(empty))</p>" : """
        <ul class="dated">\(entries.map { item, moment in
            """
            <li><a href="\(SiteURL.item(item.type, slug: item.slug).path)">\(item.title)</a>
            <span class="secondary">\(context(label)) \(context.publicationDate(moment))</span></li>
            """ as HTML
        })</ul>
        """
        return "<section aria-labelledby=\"\(id)\"><h2 id=\"\(id)\">\(context(heading))</h2>\(list)</section>"
    }
}
