import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// What search engines and other sites read: `/robots.txt`, `/sitemap.xml` (an index over
/// sitemaps of at most 50,000 addresses each) and oEmbed for item pages.
struct DiscoveryPages: RouteCollection {
    static let urlsPerSitemap = 50_000

    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.robots, use: robots)
        everyone.get(SiteURL.Routes.sitemapIndex, use: sitemapIndex)
        everyone.get(SiteURL.Routes.sitemapPart, use: sitemap)
        everyone.get(SiteURL.Routes.oembed, use: oembed)
    }

    func robots(_ request: Request) -> Response {
        let base = request.application.siteSettings.baseURL
        let text = """
        User-agent: *
        Allow: /
        Disallow: /admin
        Disallow: /account
        Disallow: /submissions
        Disallow: /attachments

        Sitemap: \(base)\(SiteURL.Routes.sitemapIndex.path)

        """
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    private func queries(_ request: Request) throws -> ContentQueries {
        ContentQueries(sql: try request.sql, now: request.application.clock.now())
    }

    func sitemapIndex(_ request: Request) async throws -> Response {
        let base = request.application.siteSettings.baseURL
        let count = try await queries(request).publicItemCount()
        let parts = PageNumber.count(total: count, pageSize: Self.urlsPerSitemap)
        let entries = (["pages.xml"] + (1...parts).map { "items-\($0).xml" }).map {
            "<sitemap><loc>\(Feed.xml(base + SiteURL.Routes.sitemapPart.path($0)))</loc></sitemap>"
        }
        return Self.xml("""
        <?xml version="1.0" encoding="UTF-8"?>
        <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        \(entries.joined(separator: "\n"))
        </sitemapindex>

        """)
    }

    func sitemap(_ request: Request) async throws -> Response {
        let base = request.application.siteSettings.baseURL
        let file = request.parameters.get("file") ?? ""
        var urls: [(String, Int64?)] = []
        if file == "pages.xml" {
            let paths = [SiteURL.home.path, SiteURL.search().path, SiteURL.contact.path, SiteURL.cases(CaseQuery()).path]
                + ContentType.allCases.filter { $0 != .caseStudy }.map { SiteURL.archive($0).path }
            urls = paths.map { (base + $0, nil) }
        } else if file.hasPrefix("items-"), file.hasSuffix(".xml"), let part = PageNumber(parsing: file.dropFirst(6).dropLast(4)) {
            let rows = try await queries(request).sitemapItems(limit: Self.urlsPerSitemap, offset: part.offset(pageSize: Self.urlsPerSitemap))
            guard !rows.isEmpty || part == .first else { throw Abort(.notFound) }
            for row in rows {
                guard let type = ContentType(rawValue: row.type) else { continue }
                urls.append((base + SiteURL.item(type, slug: row.slug).path, row.updatedAt))
            }
        } else {
            throw Abort(.notFound)
        }
        let entries = urls.map { url, modified in
            "<url><loc>\(Feed.xml(url))</loc>\(modified.map { "<lastmod>\(Feed.rfc3339($0))</lastmod>" } ?? "")</url>"
        }
        return Self.xml("""
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        \(entries.joined(separator: "\n"))
        </urlset>

        """)
    }

    static func xml(_ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// oEmbed (https://oembed.com) for item pages: a link card with title and author.
    func oembed(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let settings = context.settings
        guard let url = try? request.query.get(String.self, at: "url") else {
            throw Abort(.badRequest, reason: context("oembed.missingURL"))
        }
        if let format = try? request.query.get(String.self, at: "format"), format != "json" {
            throw Abort(.notImplemented, reason: context("oembed.jsonOnly"))
        }
        guard url.hasPrefix(settings.baseURL + "/"), let path = URL(string: url)?.path else { throw Abort(.notFound) }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 2, let type = ContentType.allCases.first(where: { $0.pathSegment == parts[0] }),
              let detail = try await ContentQueries(sql: try request.sql, now: context.now).item(type: type, slug: parts[1])
        else { throw Abort(.notFound) }
        struct OEmbed: Encodable {
            let version = "1.0"
            let type = "link"
            let title: String
            let author_name: String?
            let provider_name: String
            let provider_url: String
            let cache_age = 3_600
        }
        let answer = OEmbed(title: detail.item.title, author_name: detail.item.authors.first?.name,
                            provider_name: settings.siteName, provider_url: settings.baseURL + SiteURL.home.path)
        var headers = HTTPHeaders()
        headers.contentType = .json
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(answer)))
    }
}

/// schema.org data for an item page, as JSON-LD.
enum StructuredData {
    static func item(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        let settings = context.settings
        let item = detail.item
        let url = settings.baseURL + SiteURL.item(item.type, slug: item.slug).path
        let utc = TimeZone(identifier: "UTC")!
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "url": url,
            "name": item.title,
            "description": item.summary,
            "datePublished": MomentFormatter.rfc3339(item.publishedAt, in: utc),
            "dateModified": MomentFormatter.rfc3339(detail.updatedAt, in: utc),
            "inLanguage": detail.language,
            "publisher": ["@type": "Organization", "name": settings.organisation, "url": settings.baseURL + SiteURL.home.path],
        ]
        if !item.authors.isEmpty { object["author"] = item.authors.map { ["@type": "Person", "name": $0.name] } }
        switch item.type {
        case .post, .news:
            object["@type"] = item.type == .post ? "BlogPosting" : "NewsArticle"
            object["headline"] = item.title
        case .event:
            object["@type"] = "Event"
            if let starts = detail.number("starts_at") { object["startDate"] = MomentFormatter.rfc3339(starts, in: utc) }
            if let ends = detail.number("ends_at") { object["endDate"] = MomentFormatter.rfc3339(ends, in: utc) }
            let online = detail.number("online") == 1
            var places: [[String: Any]] = []
            if let city = detail.text("location") {
                places.append(["@type": "Place", "name": city, "address": ["@type": "PostalAddress", "addressLocality": city,
                                                                          "addressCountry": detail.fields["location"]?.first?.qualifier ?? ""]])
            }
            if online { places.append(["@type": "VirtualLocation", "url": url]) }
            if !places.isEmpty { object["location"] = places.count == 1 ? places[0] : places }
            object["eventAttendanceMode"] = online && places.count == 1 ? "https://schema.org/OnlineEventAttendanceMode"
                : online ? "https://schema.org/MixedEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode"
        case .caseStudy:
            object["@type"] = "CreativeWork"
            object["genre"] = "Case study"
            if let country = detail.terms(in: .country).first { object["spatialCoverage"] = ["@type": "Country", "name": country.name] }
            if let year = detail.number("year_launched") { object["temporalCoverage"] = String(year) }
            object["keywords"] = detail.terms(in: .innovationTag).map(\.name).joined(separator: ", ")
        case .toolkit, .publication, .call:
            object["@type"] = "CreativeWork"
            object["genre"] = context(item.type.singularKey)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "" }
        // "<" never appears raw, so the data cannot close its script element.
        let json = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        return "<script type=\"application/ld+json\">\(HTML.trusted(json))</script>"
    }

    /// oEmbed discovery for an item page.
    static func oembedLink(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        let url = context.settings.baseURL + SiteURL.item(detail.item.type, slug: detail.item.slug).path
        return "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"\(SiteURL.Routes.oembed.path(query: [("url", url), ("format", "json")]))\" title=\"\(detail.item.title)\">"
    }
}
