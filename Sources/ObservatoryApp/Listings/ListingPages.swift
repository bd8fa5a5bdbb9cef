import Fluent
import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The unified listing (`/search` with "Filter by: Post Type") and the archives by type,
/// month, term and author.
struct ListingPages: RouteCollection {
    /// What a listing lists.
    enum Kind: Sendable {
        /// Every public item, newest first (the site's main feed).
        case everything
        case search
        case archive(ContentType)
        case month
        case term(Vocabulary)
        case author
    }

    func boot(routes: any RoutesBuilder) throws {
        register(routes, SiteURL.Routes.search, .search, page: true)
        // The case library and the toolkit navigator have their own faceted pages; their feeds are here.
        for type in ContentType.allCases where type != .caseStudy {
            register(routes, SiteURL.Routes.archive(type), .archive(type), page: type != .toolkit)
        }
        // The router needs one parameter name per position, and `/blog/:slug` is a blog post,
        // so the year of `/blog/2016/10` is read from the parameter called `slug`.
        register(routes, SiteURL.Routes.month, .month, page: true)
        for vocabulary in SiteURL.termPathSegments.keys {
            register(routes, SiteURL.Routes.term(vocabulary), .term(vocabulary), page: true)
        }
        register(routes, SiteURL.Routes.author, .author, page: true)
        register(routes, SiteURL.Routes.home, .everything, page: false)
    }

    /// The page at `address` and its feeds at `address/feed.rss`, `address/feed.atom` and `address/feed.json`.
    private func register(_ routes: any RoutesBuilder, _ address: some SiteAddress, _ kind: Kind, page: Bool) {
        if page {
            routes.get(address) { request async throws -> Response in
                do {
                    return try await self.page(request, kind).encodeResponse(for: request)
                } catch let abort as Abort where abort.status == .notFound {
                    // The address of a term merged into another leads to that one.
                    if case .term(let vocabulary) = kind, let slug = request.parameters.get("slug"),
                       let target = try await VocabularyStore(sql: try request.sql).redirect(vocabulary: vocabulary, slug: slug) {
                        return request.redirect(to: SiteURL.term(vocabulary: vocabulary, slug: target).path, redirectType: .permanent)
                    }
                    throw abort
                }
            }
        }
        for format in FeedFormat.allCases {
            routes.get(address.address.appending(format.fileName).pathComponents) { try await self.feed($0, kind, format) }
        }
    }

    /// A listing as a request asks for it: the filter, the title and the addresses of its pages.
    struct Resolved {
        var filter: ListingFilter
        let title: String
        /// Page `n` of the listing.
        let url: (Int) -> String
        /// The listing's path, feeds are below it.
        let path: String
        /// The part of the query string that feeds keep (search filters).
        let query: [(String, String)]
        var breadcrumb: HTML = ""
    }

    func resolve(_ kind: Kind, _ request: Request, _ context: PageContext) async throws -> Resolved {
        let parameters = QueryParameters(request)
        let queries = try queries(request, context)
        var filter = ListingFilter(pageSize: context.settings.pageSize)
        filter.page = try parameters.page(context.localizer)
        switch kind {
        case .everything:
            return Resolved(filter: filter, title: context.settings.siteName, url: { _ in SiteURL.home.path }, path: "", query: [])
        case .search:
            filter.types = try parameters.types(context.localizer)
            filter.keywords = try parameters.keywords(context.localizer)
            filter.sort = try parameters.sort(context.localizer)
            let options = try parameters.searchOptions(context.localizer)
            (filter.matchAll, filter.asTyped) = (options.matchAll, !options.correctSpelling)
            let chosen = filter
            let query = Array(SiteURL.queryPairs(types: chosen.types, keywords: chosen.keywords, sort: nil, options: options))
            return Resolved(filter: filter, title: context("search.title"), url: {
                SiteURL.search(types: chosen.types, keywords: chosen.keywords, sort: chosen.sort, options: options, page: $0).path
            }, path: SiteURL.Routes.search.path, query: query)
        case .archive(let type):
            filter.types = [type]
            return Resolved(filter: filter, title: context(type.pluralKey), url: { SiteURL.archive(type, page: $0).path },
                            path: SiteURL.archive(type).path, query: [])
        case .month:
            guard let year = request.parameters.get("slug", as: Int.self), (1900...9999).contains(year),
                  let month = request.parameters.get("month", as: Int.self), (1...12).contains(month)
            else { throw Abort(.notFound) }
            let zone = context.settings.timeZone
            let start = MomentFormatter.startOfMonth(year: year, month: month, in: zone)
            let end = month == 12
                ? MomentFormatter.startOfMonth(year: year + 1, month: 1, in: zone)
                : MomentFormatter.startOfMonth(year: year, month: month + 1, in: zone)
            filter.types = [.post]
            filter.publishedRange = start..<end
            var resolved = Resolved(filter: filter, title: context("archive.month", ["month": context.formatter.monthYear(year: year, month: month)]),
                                    url: { SiteURL.month(year: year, month: month, page: $0).path },
                                    path: SiteURL.month(year: year, month: month).path, query: [])
            resolved.breadcrumb = "<p class=\"breadcrumb\"><a href=\"\(SiteURL.archive(.post).path)\">\(context(ContentType.post.pluralKey))</a></p>"
            return resolved
        case .term(let vocabulary):
            guard let slug = request.parameters.get("slug"), let (termID, term) = try await queries.term(vocabulary: vocabulary, slug: slug) else {
                throw Abort(.notFound)
            }
            filter.termIDs = [termID]
            return Resolved(filter: filter, title: context("archive.term", ["vocabulary": context(vocabulary.labelKey), "term": term.name]),
                            url: { SiteURL.term(vocabulary: vocabulary, slug: slug, page: $0).path },
                            path: SiteURL.term(vocabulary: vocabulary, slug: slug).path, query: [])
        case .author:
            guard let slug = request.parameters.get("slug"), let (authorID, author) = try await queries.author(slug: slug) else {
                throw Abort(.notFound)
            }
            filter.authorID = authorID
            return Resolved(filter: filter, title: context("archive.author", ["author": author.name]),
                            url: { SiteURL.author(slug: slug, page: $0).path }, path: SiteURL.author(slug: slug).path, query: [])
        }
    }

    /// The feeds of a listing, for its page's `<head>`.
    static func feedLinks(path: String, query: [(String, String)], title: String, _ context: PageContext) -> [FeedLink] {
        FeedFormat.allCases.map { format in
            FeedLink(format: format, title: context("feed.title", ["title": title, "format": context(format.nameKey)]),
                     href: path + "/" + format.fileName + SiteURL.queryString(query))
        }
    }

    func page(_ request: Request, _ kind: Kind) async throws -> Response {
        let context = PageContext(request: request)
        let resolved = try await resolve(kind, request, context)
        let queries = try queries(request, context)
        let listing = try await queries.listing(resolved.filter, search: try await request.searchIndex(for: resolved.filter, now: context.now))
        let feeds = Self.feedLinks(path: resolved.path, query: resolved.query, title: resolved.title, context)
        let feedLinks: [HTML] = feeds.map { "<a href=\"\($0.href)\" type=\"\($0.format.mediaType)\">\(context($0.format.nameKey))</a>" }
        var body: HTML = """
        \(resolved.breadcrumb)<h1>\(resolved.title)</h1>
        <p class="feeds">\(context("feed.subscribe")) \(feedLinks.joined(separator: " · "))</p>
        """
        switch kind {
        case .search:
            var notice: HTML = ""
            if resolved.filter.keywordsIgnored, let keywords = resolved.filter.keywords {
                notice = "<p class=\"notice\">\(context("search.commonWordsOnly", ["keywords": keywords]))</p>"
            } else if let keywords = resolved.filter.keywords {
                let filter = resolved.filter
                let allTypes = listing.countsByType.values.reduce(0, +)
                notice = SearchNotesView.html(
                    listing.notes, keywords: keywords, context,
                    asTyped: SiteURL.search(types: filter.types, keywords: keywords, sort: filter.sort,
                                            options: SearchOptions(matchAll: filter.matchAll, correctSpelling: false)).path,
                    widened: listing.total == 0 && allTypes > 0 && !filter.types.isEmpty
                        ? (SiteURL.search(keywords: keywords, sort: filter.sort, options: filter.searchOptions).path, allTypes) : nil)
            }
            body = "\(body)\(filterForm(listing, context))\(notice)\(results(listing, context, url: resolved.url))"
        case .archive(.post):
            let aside = monthIndex(try await queries.publicationTimes(type: .post), context)
            body = "\(body)<div class=\"with-aside\"><div>\(results(listing, context, url: resolved.url))</div>\(aside)</div>"
        case .archive(.event):
            let calendar: HTML = "<p class=\"calendar-link\"><a href=\"\(SiteURL.Routes.calendarEvents.path)\" type=\"text/calendar\">\(context("calendar.subscribe"))</a></p>"
            let when = (try? request.query.get(String.self, at: "when")) ?? "upcoming"
            let tabs: [HTML] = [("upcoming", "events.upcoming"), ("past", "events.past"), ("all", "events.all")].map { value, key in
                let href = SiteURL.Routes.archive(.event).path(query: value == "upcoming" ? [] : [("when", value)])
                return value == when ? "<li><strong aria-current=\"page\">\(context(L10nKey(key)))</strong></li>"
                    : "<li><a href=\"\(href)\">\(context(L10nKey(key)))</a></li>"
            }
            let nav: HTML = "<nav aria-label=\"\(context("events.when"))\"><ul class=\"inline-list tabs\">\(tabs)</ul></nav>"
            if when == "upcoming" || when == "past" {
                let page = resolved.filter.page
                let (events, total) = try await queries.events(upcoming: when == "upcoming", now: context.now, limit: resolved.filter.pageSize,
                                                              offset: page.offset(pageSize: resolved.filter.pageSize))
                // An upcoming event moves to the past when it starts: the cached page changes then.
                for event in events where event.startsAt > context.now { context.expiry.changes(at: event.startsAt, now: context.now) }
                let pages = PageNumber.count(total: total, pageSize: resolved.filter.pageSize)
                let url: (Int) -> String = { number in
                    var pairs: [(String, String)] = when == "past" ? [("when", "past")] : []
                    if number > 1 { pairs.append(("page", String(number))) }
                    return SiteURL.Routes.archive(.event).path(query: pairs)
                }
                let entries: [HTML] = events.map { event in
                    let zone = event.zone.flatMap(TimeZone.init(identifier:)) ?? context.settings.timeZone
                    return """
                    <li class="card">
                    <p class="card-meta"><span class="type-label type-event">\(context(ContentType.event.singularKey))</span> · \(context.moment(event.startsAt, in: zone))</p>
                    <h2 class="card-title"><a href="\(SiteURL.item(.event, slug: event.item.slug).path)">\(event.item.title)</a></h2>
                    <p class="card-excerpt">\(event.item.summary)</p>
                    </li>
                    """
                }
                let list: HTML = if page.value > pages, total > 0 {
                    Layout.pastEndNotice(page: page, pages: pages, context, url: url)
                } else if events.isEmpty {
                    "<p>\(context(when == "past" ? "events.nonePast" : "events.noneUpcoming"))</p>"
                } else {
                    "<ul class=\"cards\">\(entries)</ul>"
                }
                let counter: HTML = "<p class=\"result-count\" role=\"status\">\(context("listing.count", ["count": String(total)]))</p>"
                let pager: HTML = pages > 1 ? Layout.pager(current: page, count: pages, context, url: url) : ""
                body = "\(body)\(calendar)\(nav)\(counter)\(list)\(pager)"
            } else {
                body = "\(body)\(calendar)\(nav)<div class=\"with-aside\"><div>\(results(listing, context, url: resolved.url))</div></div>"
            }
        case .archive:
            body = "\(body)<div class=\"with-aside\"><div>\(results(listing, context, url: resolved.url))</div></div>"
        default:
            body = "\(body)\(results(listing, context, url: resolved.url))"
        }
        let canonical = resolved.url(resolved.filter.page.value)
        let head = Layout.Head(canonical: canonical, feeds: feeds)
        let status: HTTPResponseStatus = listing.filter.page.value > listing.pageCount ? .notFound : .ok
        return Layout.page(context, title: resolved.title, head: head, content: body).htmlResponse(status: status)
    }

    func feed(_ request: Request, _ kind: Kind, _ format: FeedFormat) async throws -> Response {
        let context = PageContext(request: request)
        var resolved = try await resolve(kind, request, context)
        // A feed is the newest items, whatever order the page was sorted in.
        resolved.filter.sort = .newest
        resolved.filter.page = 1
        resolved.filter.pageSize = Feed.length
        let listing = try await queries(request, context).listing(resolved.filter,
                                                                  search: try await request.searchIndex(for: resolved.filter, now: context.now))
        let base = context.settings.baseURL
        let feed = Feed(
            title: kind.isEverything ? context.settings.siteName : "\(resolved.title) – \(context.settings.siteName)",
            description: context("feed.description", ["title": kind.isEverything ? context("feed.everything") : resolved.title,
                                                      "site": context.settings.siteName]),
            pageURL: base + (resolved.path.isEmpty ? SiteURL.home.path : resolved.path) + SiteURL.queryString(resolved.query),
            feedURL: base + resolved.path + "/" + format.fileName + SiteURL.queryString(resolved.query),
            language: context.localizer.language,
            entries: listing.items.map { Feed.Entry(item: $0, base: base, context) })
        return feed.response(format)
    }

    // MARK: - Parts

    private func queries(_ request: Request, _ context: PageContext) throws -> ContentQueries {
        ContentQueries(sql: try request.sql, now: context.now)
    }

    private func results(_ listing: Listing, _ context: PageContext, url: (Int) -> String) -> HTML {
        let counter: HTML = "<p class=\"result-count\" role=\"status\">\(context("listing.count", ["count": String(listing.total)]))</p>"
        if listing.filter.page.value > listing.pageCount {
            return "\(counter)\(Layout.pastEndNotice(page: listing.filter.page, pages: listing.pageCount, context, url: url))"
        }
        if listing.items.isEmpty {
            return "\(counter)<p class=\"notice\">\(context("listing.empty"))</p>"
        }
        return """
        \(counter)
        \(Layout.itemList(listing.items, context))
        \(Layout.pager(current: listing.filter.page, count: listing.pageCount, context, url: url))
        """
    }

    /// The search form: keywords and "Filter by: Post Type" with the count next to each type.
    private func filterForm(_ listing: Listing, _ context: PageContext) -> HTML {
        let filter = listing.filter
        let options: [HTML] = ContentType.allCases.map { type in
            let checked: HTML = filter.types.contains(type) ? " checked" : ""
            let count = listing.countsByType[type] ?? 0
            return """
            <li><input type="checkbox" id="type-\(type.rawValue)" name="type" value="\(type.rawValue)"\(checked)>
            <label for="type-\(type.rawValue)">\(context(type.pluralKey)) <span class="count">(\(count))</span></label></li>
            """
        }
        let clear: HTML = filter.types.isEmpty && filter.keywords == nil && filter.sort == nil
            ? "" : "<a class=\"clear\" href=\"\(SiteURL.search().path)\">\(context("search.clear"))</a>"
        let sorts: [HTML] = ListingSort.allCases.map { sort in
            let selected: HTML = filter.effectiveSort == sort ? " selected" : ""
            return "<option value=\"\(sort.rawValue)\"\(selected)>\(context(L10nKey("sort.\(sort.rawValue)")))</option>"
        }
        return """
        <form class="filters" method="get" action="\(SiteURL.Routes.search.path)" role="search">
        <div class="field">
        <label for="q">\(context("search.keywords"))</label>
        <input type="search" id="q" name="q" value="\(filter.keywords ?? "")" maxlength="\(SearchQuery.maximumKeywordLength)">
        </div>
        <fieldset>
        <legend>\(context("search.filterBy")) <strong>\(context("search.postType"))</strong></legend>
        <ul class="type-options">\(options)</ul>
        </fieldset>
        <div class="field">
        <label for="sort">\(context("search.sort"))</label>
        <select id="sort" name="sort">\(sorts)</select>
        </div>
        <div class="actions"><button type="submit">\(context("search.apply"))</button> \(clear)</div>
        </form>
        """
    }

    /// Links to each month that has blog posts, newest first, with counts.
    private func monthIndex(_ times: [Int64], _ context: PageContext) -> HTML {
        var counts: [(year: Int, month: Int, count: Int)] = []
        // Times come newest first: one calendar computation per month, not per item.
        var monthStart = Int64.max
        for time in times {
            if time >= monthStart, !counts.isEmpty {
                counts[counts.count - 1].count += 1
                continue
            }
            let (date, _) = MomentFormatter.local(time, in: context.settings.timeZone)
            monthStart = MomentFormatter.startOfMonth(year: date.year, month: date.month, in: context.settings.timeZone)
            counts.append((date.year, date.month, 1))
        }
        guard !counts.isEmpty else { return "" }
        let links: [HTML] = counts.map { entry in
            "<li><a href=\"\(SiteURL.month(year: entry.year, month: entry.month).path)\">\(context.formatter.monthYear(year: entry.year, month: entry.month))</a> <span class=\"count\">(\(entry.count))</span></li>"
        }
        return """
        <aside class="archive-months" aria-labelledby="months-heading">
        <h2 id="months-heading">\(context("archive.months"))</h2>
        <ul>\(links)</ul>
        </aside>
        """
    }
}

extension ListingPages.Kind {
    var isEverything: Bool {
        if case .everything = self { return true }
        return false
    }
}

extension Feed.Entry {
    init(item: ListedItem, base: String, _ context: PageContext) {
        self.init(url: base + SiteURL.item(item.type, slug: item.slug).path, title: item.title, summary: item.summary,
                  published: item.publishedAt, updated: item.publishedAt, authors: item.authors.map(\.name),
                  category: context(item.type.singularKey))
    }
}
