import Fluent
import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The unified listing (`/search` with "Filter by: Post Type") and the archives by type,
/// month, term and author.
struct ListingPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("search", use: search)
        // The case library has its own faceted page.
        for type in ContentType.allCases where type != .caseStudy {
            routes.get(PathComponent(stringLiteral: type.pathSegment)) { try await archive($0, type: type) }
        }
        // The router needs one parameter name per position, and `/blog/:slug` is a blog post,
        // so the year of `/blog/2016/10` is read from the parameter called `slug`.
        routes.get("blog", ":slug", ":month", use: month)
        for (vocabulary, segment) in SiteURL.termPathSegments {
            routes.get(PathComponent(stringLiteral: segment), ":slug") { try await term($0, vocabulary: vocabulary) }
        }
        routes.get("authors", ":slug", use: author)
    }

    func search(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let parameters = QueryParameters(request)
        var filter = ListingFilter(pageSize: context.settings.pageSize)
        filter.types = try parameters.types(context.localizer)
        filter.keywords = try parameters.keywords(context.localizer)
        filter.sort = try parameters.sort(context.localizer)
        filter.page = try parameters.page(context.localizer)
        let listing = try await queries(request, context).listing(filter)
        let url = { (page: Int) in
            SiteURL.search(types: filter.types, keywords: filter.keywords, sort: filter.sort, page: page).path
        }
        var notice: HTML = ""
        if filter.keywordsIgnored, let keywords = filter.keywords {
            notice = "<p class=\"notice\">\(context("search.commonWordsOnly", ["keywords": keywords]))</p>"
        }
        let content: HTML = """
        <h1>\(context("search.title"))</h1>
        \(filterForm(listing, context))
        \(notice)
        \(results(listing, context, url: url))
        """
        return respond(listing, context, title: context("search.title"), content: content)
    }

    func archive(_ request: Request, type: ContentType) async throws -> Response {
        let context = PageContext(request: request)
        var filter = ListingFilter(types: [type], pageSize: context.settings.pageSize)
        filter.page = try QueryParameters(request).page(context.localizer)
        let queries = queries(request, context)
        let listing = try await queries.listing(filter)
        var aside: HTML = ""
        if type == .post {
            aside = monthIndex(try await queries.publicationTimes(type: .post), context)
        }
        let title = context(type.pluralKey)
        let content: HTML = """
        <h1>\(title)</h1>
        <div class="with-aside">
        <div>\(results(listing, context) { SiteURL.archive(type, page: $0).path })</div>
        \(aside)
        </div>
        """
        return respond(listing, context, title: title, content: content)
    }

    func month(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let year = request.parameters.get("slug", as: Int.self), (1900...9999).contains(year),
              let month = request.parameters.get("month", as: Int.self), (1...12).contains(month)
        else { throw Abort(.notFound) }
        let zone = context.settings.timeZone
        let start = MomentFormatter.startOfMonth(year: year, month: month, in: zone)
        let end = month == 12
            ? MomentFormatter.startOfMonth(year: year + 1, month: 1, in: zone)
            : MomentFormatter.startOfMonth(year: year, month: month + 1, in: zone)
        var filter = ListingFilter(types: [.post], publishedRange: start..<end, pageSize: context.settings.pageSize)
        filter.page = try QueryParameters(request).page(context.localizer)
        let listing = try await queries(request, context).listing(filter)
        let title = context("archive.month", ["month": context.formatter.monthYear(year: year, month: month)])
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.archive(.post).path)">\(context(ContentType.post.pluralKey))</a></p>
        <h1>\(title)</h1>
        \(results(listing, context) { SiteURL.month(year: year, month: month, page: $0).path })
        """
        return respond(listing, context, title: title, content: content)
    }

    func term(_ request: Request, vocabulary: Vocabulary) async throws -> Response {
        let context = PageContext(request: request)
        let queries = queries(request, context)
        guard let slug = request.parameters.get("slug"),
              let (termID, term) = try await queries.term(vocabulary: vocabulary, slug: slug)
        else { throw Abort(.notFound) }
        var filter = ListingFilter(termID: termID, pageSize: context.settings.pageSize)
        filter.page = try QueryParameters(request).page(context.localizer)
        let listing = try await queries.listing(filter)
        let title = context("archive.term", ["vocabulary": context(vocabulary.labelKey), "term": term.name])
        let content: HTML = """
        <h1>\(title)</h1>
        \(results(listing, context) { SiteURL.term(vocabulary: vocabulary, slug: slug, page: $0).path })
        """
        return respond(listing, context, title: title, content: content)
    }

    func author(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let queries = queries(request, context)
        guard let slug = request.parameters.get("slug"), let (authorID, author) = try await queries.author(slug: slug) else {
            throw Abort(.notFound)
        }
        var filter = ListingFilter(authorID: authorID, pageSize: context.settings.pageSize)
        filter.page = try QueryParameters(request).page(context.localizer)
        let listing = try await queries.listing(filter)
        let title = context("archive.author", ["author": author.name])
        let content: HTML = """
        <h1>\(title)</h1>
        \(results(listing, context) { SiteURL.author(slug: slug, page: $0).path })
        """
        return respond(listing, context, title: title, content: content)
    }

    // MARK: - Parts

    private func queries(_ request: Request, _ context: PageContext) -> ContentQueries {
        ContentQueries(sql: request.db as! any SQLDatabase, now: context.now)
    }

    /// A page past the last one is "not found", but still shows where the results are.
    private func respond(_ listing: Listing, _ context: PageContext, title: String, content: HTML) -> Response {
        let status: HTTPResponseStatus = listing.filter.page > listing.pageCount ? .notFound : .ok
        return Layout.page(context, title: title, content: content).htmlResponse(status: status)
    }

    private func results(_ listing: Listing, _ context: PageContext, url: (Int) -> String) -> HTML {
        let counter: HTML = "<p class=\"result-count\" role=\"status\">\(context("listing.count", ["count": String(listing.total)]))</p>"
        if listing.filter.page > listing.pageCount {
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
            ? "" : "<a class=\"clear\" href=\"/search\">\(context("search.clear"))</a>"
        let sorts: [HTML] = ListingSort.allCases.map { sort in
            let selected: HTML = filter.effectiveSort == sort ? " selected" : ""
            return "<option value=\"\(sort.rawValue)\"\(selected)>\(context(L10nKey("sort.\(sort.rawValue)")))</option>"
        }
        return """
        <form class="filters" method="get" action="/search" role="search">
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
