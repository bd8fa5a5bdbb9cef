import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The case study library: faceted search with live counts (`/innovations`), its map view,
/// side-by-side comparison (`/innovations/compare`) and the same search as JSON (`/api/v1/cases`).
struct CaseLibraryPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.Routes.caseLibrary, use: library)
        routes.get(SiteURL.Routes.caseCompare, use: compare)
        for format in FeedFormat.allCases {
            routes.get(SiteURL.Routes.caseLibrary.appending(format.fileName)) {
                try await feed($0, format)
            }
        }
    }

    /// The newest cases that match the library's filters (any view's query string), as a feed.
    func feed(_ request: Request, _ format: FeedFormat) async throws -> Response {
        let context = PageContext(request: request)
        var query: CaseQuery
        do throws(CaseQueryError) {
            query = try CaseQuery(parameters: QueryParameters(request).pairs)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        query.sort = .newest
        query.page = 1
        query.perPage = CaseQuery.perPageChoices.last ?? 48
        let page = try await search(query, request: request, context: context)
        let base = context.settings.baseURL
        var filters = query
        filters.sort = nil
        filters.perPage = CaseQuery.defaultPerPage
        let pairs = filters.parameters.map { ($0.name, $0.value) }.filter { $0.0 != "view" }
        let title = context(ContentType.caseStudy.pluralKey)
        let feed = Feed(
            title: "\(title) – \(context.settings.siteName)",
            description: context("feed.description", ["title": title, "site": context.settings.siteName]),
            pageURL: base + SiteURL.cases(filters).path, feedURL: base + SiteURL.Routes.caseLibrary.appending(format.fileName).path(query: pairs),
            language: context.localizer.language,
            entries: page.entries.prefix(Feed.length).map { item in
                Feed.Entry(url: base + SiteURL.item(.caseStudy, slug: item.slug).path, title: item.title, summary: page.summaries[item.id] ?? "",
                           published: item.publishedAt, updated: item.publishedAt, authors: [], category: context(ContentType.caseStudy.singularKey))
            })
        return feed.response(format)
    }

    /// The API route is registered apart: it answers JSON, errors included, and is not cached as a page.
    func bootAPI(routes: any RoutesBuilder) {
        routes.get(SiteURL.Routes.caseLibraryAPI, use: api)
    }

    func library(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let query: CaseQuery
        do throws(CaseQueryError) {
            query = try CaseQuery(parameters: QueryParameters(request).pairs)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        // Every view has one address: filters chosen in any order, empty form fields and
        // defaults lead to the same canonical URL, which caches and shares well.
        let canonical = SiteURL.cases(query).path
        if canonical != request.url.string {
            return request.redirect(to: canonical, redirectType: .normal)
        }
        let page = try await search(query, request: request, context: context)
        let status: HTTPResponseStatus = page.result.isPastEnd ? .notFound : .ok
        let title = context(ContentType.caseStudy.pluralKey)
        let content = CaseLibraryView.page(page, context)
        var filters = query
        filters.sort = nil
        filters.page = 1
        filters.perPage = CaseQuery.defaultPerPage
        let feedQuery = filters.parameters.map { ($0.name, $0.value) }.filter { $0.0 != "view" }
        let head = Layout.Head(canonical: canonical, feeds: ListingPages.feedLinks(path: SiteURL.Routes.caseLibrary.path, query: feedQuery,
                                                                                 title: title, context))
        return Layout.page(context, title: title, description: context("cases.description"), head: head, content: content)
            .htmlResponse(status: status)
    }

    func compare(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        var slugs: [String] = []
        for value in QueryParameters(request).values("c") where !value.isEmpty && !slugs.contains(value) {
            slugs.append(value)
        }
        guard slugs.count <= CompareView.maximum else {
            throw Abort(.badRequest, reason: context("compare.error.tooMany", ["max": String(CompareView.maximum)]))
        }
        let queries = ContentQueries(sql: try request.sql, now: context.now)
        var details: [ItemDetail] = []
        for slug in slugs {
            guard Slug.isValid(slug), let detail = try await queries.item(type: .caseStudy, slug: slug) else {
                throw Abort(.notFound, reason: context("compare.error.unknown", ["slug": String(slug.prefix(100))]))
            }
            details.append(detail)
        }
        let title = context("compare.title")
        return Layout.page(context, title: title, content: CompareView.page(details, context)).htmlResponse(status: .ok)
    }

    func api(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        do {
            let query = try CaseQuery(parameters: QueryParameters(request).pairs)
            let page = try await search(query, request: request, context: context)
            return try CasesJSON.response(page, context, status: page.result.isPastEnd ? .notFound : .ok)
        } catch let error as CaseQueryError {
            return try CasesJSON.error(error.message(context.localizer), status: .badRequest)
        } catch let error as any AbortError {
            return try CasesJSON.error(error.reason, status: error.status)
        }
    }

    // MARK: - Search

    /// The library's one pipeline, on this instance's case catalog.
    private func search(_ query: CaseQuery, request: Request, context: PageContext) async throws -> LibraryPage<CaseFacet> {
        let sql = try request.sql
        let state = try await request.contentState(sql, now: context.now)
        return try await LibrarySearch(store: request.application.caseCatalogStore, sql: sql)
            .page(query, state: state, context: context, options: query.searchOptions, search: request.application.searchIndexStore)
    }
}
