import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

struct SitePage: Decodable, Sendable {
    let id: Int64
    let slug: String
    let title: String
    let body: String
    let inNavigation: Bool
    let inFooter: Bool
    let position: Int
    let updatedAt: Int64

    var path: String { SiteURL.Routes.sitePage.path(slug) }
}

/// The links every page shows to the site pages chosen for the navigation and the footer.
struct SiteLinks: Sendable {
    var navigation: [(title: String, path: String)] = []
    var footer: [(title: String, path: String)] = []
    /// The page that explains how to validate the site's authenticity, linked from the banner.
    var validation: String?

    static let validationSlug = "how-to-validate-authenticity"
}

struct SitePageStore {
    let sql: any SQLDatabase
    let now: Int64

    func all() async throws -> [SitePage] {
        try await pages { $0 }
    }

    func find(id: Int64) async throws -> SitePage? { try await pages { $0.where("id", .equal, id) }.first }
    func find(slug: String) async throws -> SitePage? { try await pages { $0.where("slug", .equal, slug) }.first }

    private func pages(_ narrowed: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [SitePage] {
        try await narrowed(sql.select().columns("id", "slug", "title", "body", "in_navigation", "in_footer", "position", "updated_at").from("site_pages"))
            .orderBy("position").orderBy("title").all(as: SitePage.self)
    }


    enum Problem: Error { case slugTaken }

    /// Creates or updates a page; raises the content version, so every instance's pages show
    /// the new links at once.
    func save(id: Int64?, slug: String, title: String, body: String, inNavigation: Bool, inFooter: Bool, position: Int) async throws -> Int64 {
        if let other = try await find(slug: slug), other.id != id { throw Problem.slugTaken }
        let saved: Int64
        if let id {
            try await sql.update("site_pages").set("slug", to: slug).set("title", to: title).set("body", to: body)
                .set("in_navigation", to: inNavigation).set("in_footer", to: inFooter).set("position", to: position).set("updated_at", to: now)
                .where("id", .equal, id).run()
            saved = id
        } else {
            guard let row = try await sql.insert(into: "site_pages")
                .columns("slug", "title", "body", "in_navigation", "in_footer", "position", "created_at", "updated_at")
                .values(SQLBind(slug), SQLBind(title), SQLBind(body), SQLBind(inNavigation), SQLBind(inFooter), SQLBind(position), SQLBind(now), SQLBind(now))
                .returning("id").first()
            else { throw Abort(.internalServerError) }
            saved = try row.decode(column: "id", as: Int64.self)
        }
        try await bumpVersion()
        return saved
    }

    func delete(id: Int64) async throws -> Bool {
        let deleted = try await sql.raw("DELETE FROM site_pages WHERE id = \(bind: id) RETURNING id").first() != nil
        if deleted { try await bumpVersion() }
        return deleted
    }

    func links() async throws -> SiteLinks {
        var links = SiteLinks()
        for page in try await all() {
            if page.inNavigation { links.navigation.append((page.title, page.path)) }
            if page.inFooter { links.footer.append((page.title, page.path)) }
            if page.slug == SiteLinks.validationSlug { links.validation = page.path }
        }
        return links
    }

    private func bumpVersion() async throws {
        try await ContentState.raiseVersion(on: sql)
    }
}

/// The site links of the content version a request sees, kept in memory per version: any
/// instance's change raises the version, so no instance shows stale links.
final class SiteLinksCache: Sendable {
    private let cached = NIOLockedValueBox<(version: Int64, links: SiteLinks)?>(nil)

    func links(version: Int64, load: () async throws -> SiteLinks) async throws -> SiteLinks {
        if let (cachedVersion, links) = cached.withLockedValue({ $0 }), cachedVersion == version { return links }
        let links = try await load()
        cached.withLockedValue { $0 = (version, links) }
        return links
    }
}

extension Application {
    private struct SiteLinksCacheKey: StorageKey {
        typealias Value = SiteLinksCache
    }

    var siteLinksCache: SiteLinksCache {
        get { storage[SiteLinksCacheKey.self] ?? SiteLinksCache() }
        set { storage[SiteLinksCacheKey.self] = newValue }
    }
}

extension Request {
    private struct SiteLinksKey: StorageKey {
        typealias Value = SiteLinks
    }

    /// The links of the layout, set by `SiteLinksMiddleware`.
    var siteLinks: SiteLinks {
        get { storage[SiteLinksKey.self] ?? SiteLinks() }
        set { storage[SiteLinksKey.self] = newValue }
    }
}

/// Reads the content version once per request (the page cache uses the same reading) and
/// gives the layout the links of that version.
struct SiteLinksMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        if !path.hasPrefix("/api/"), !path.hasPrefix("/assets/") {
            let sql = try request.sql
            let now = request.application.clock.now()
            let state = try await request.contentState(sql, now: now)
            request.storage[ContentState.StorageKey.self] = state
            request.siteLinks = try await request.application.siteLinksCache.links(version: state.version) {
                try await SitePageStore(sql: sql, now: now).links()
            }
        }
        return try await next.respond(to: request)
    }
}
