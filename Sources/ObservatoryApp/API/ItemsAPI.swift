import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The read API (`/api/v1`): items of every type with the listings' filters and keyset
/// paging, one item, vocabularies with counts, calls with their status and deadline.
/// Described by `/api/openapi.json`.
struct ItemsAPI: RouteCollection {
    static let maximumLimit = 100

    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.apiItems, use: items)
        everyone.get(SiteURL.Routes.apiItem, use: item)
        everyone.get(SiteURL.Routes.apiVocabularies, use: vocabularies)
        everyone.get(SiteURL.Routes.apiCalls, use: calls)
    }

    struct ItemSummary: Content {
        let id: Int64
        let type: String
        let slug: String
        let title: String
        let summary: String
        let url: String
        let published_at: String
        let authors: [String]
    }

    struct ItemPage: Content {
        let items: [ItemSummary]
        let total: Int
        let limit: Int
        /// Pass as `cursor` for the next items; absent on the last page.
        let next_cursor: String?
        let links: [String: String]
    }

    static func summary(_ item: ListedItem, base: String) -> ItemSummary {
        ItemSummary(id: item.id, type: item.type.rawValue, slug: item.slug, title: item.title, summary: item.summary,
                    url: base + SiteURL.item(item.type, slug: item.slug).path,
                    published_at: MomentFormatter.rfc3339(item.publishedAt, in: TimeZone(identifier: "UTC")!), authors: item.authors.map(\.name))
    }

    func items(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let parameters = QueryParameters(request)
        var filter = ListingFilter()
        filter.types = try parameters.types(context.localizer)
        filter.keywords = try parameters.keywords(context.localizer)
        let options = try parameters.searchOptions(context.localizer)
        (filter.matchAll, filter.asTyped) = (options.matchAll, !options.correctSpelling)
        let sort = try? request.query.get(String.self, at: "sort")
        switch sort {
        case nil, "newest": filter.sort = .newest
        case "oldest": filter.sort = .oldest
        default: throw Abort(.badRequest, reason: context("api.error.sort"))
        }
        if let raw = try? request.query.get(String.self, at: "limit") {
            guard let limit = Int(raw), (1...Self.maximumLimit).contains(limit) else {
                throw Abort(.badRequest, reason: context("api.error.limit", ["max": String(Self.maximumLimit)]))
            }
            filter.pageSize = limit
        } else {
            filter.pageSize = 20
        }
        if let raw = try? request.query.get(String.self, at: "cursor") {
            guard let cursor = ListingCursor(token: raw) else { throw Abort(.badRequest, reason: context("api.error.cursor")) }
            filter.after = cursor
        }
        let queries = ContentQueries(sql: try request.sql, now: context.now)
        for (vocabulary, name) in [(Vocabulary.tag, "tag"), (.country, "country"), (.sector, "sector")] {
            guard let typed = try? request.query.get(String.self, at: name) else { continue }
            let slug = vocabulary == .country ? Countries.canonicalSlug(typed) : typed
            guard let (termID, _) = try await queries.term(vocabulary: vocabulary, slug: slug) else {
                throw Abort(.badRequest, reason: context("api.error.term", ["name": name, "value": String(slug.prefix(100))]))
            }
            filter.termIDs.append(termID)
        }
        let listing = try await queries.listing(filter, search: try await request.searchIndex(for: filter, now: context.now))
        let base = context.settings.baseURL
        var next: String?
        if listing.items.count == filter.pageSize, let last = listing.items.last {
            next = ListingCursor(publishedAt: last.publishedAt, id: last.id).token
        }
        var links = ["self": base + request.url.string]
        if let next {
            var pairs = QueryParameters(request).pairs.filter { $0.name != "cursor" }.map { ($0.name, $0.value) }
            pairs.append(("cursor", next))
            links["next"] = base + SiteURL.Routes.apiItems.path(query: pairs)
        }
        let total = filter.types.isEmpty ? listing.countsByType.values.reduce(0, +)
            : filter.types.reduce(0) { $0 + (listing.countsByType[$1] ?? 0) }
        return try APIResponse.json(ItemPage(items: listing.items.map { Self.summary($0, base: base) }, total: total,
                                             limit: filter.pageSize, next_cursor: next, links: links), request: request)
    }

    struct ItemDetailBody: Content {
        let id: Int64
        let type: String
        let slug: String
        let title: String
        let summary: String
        let url: String
        let published_at: String
        let updated_at: String
        let language: String
        let authors: [String]
        let body_html: String
        let terms: [String: [String]]
        let fields: [String: [String]]
    }

    func item(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let rawType = request.parameters.get("type"), let type = ContentType(rawValue: rawType) else {
            throw Abort(.notFound, reason: context("api.error.type"))
        }
        guard let slug = request.parameters.get("slug"),
              let detail = try await ContentQueries(sql: try request.sql, now: context.now).item(type: type, slug: slug)
        else { throw Abort(.notFound, reason: context("api.error.item")) }
        let utc = TimeZone(identifier: "UTC")!
        var terms: [String: [String]] = [:]
        for term in detail.terms { terms[term.vocabulary.rawValue, default: []].append(term.name) }
        var fields: [String: [String]] = [:]
        for (name, rows) in detail.fields {
            fields[name] = rows.map { row in row.text ?? row.number.map(String.init) ?? "" }
        }
        let body = ItemDetailBody(
            id: detail.item.id, type: type.rawValue, slug: detail.item.slug, title: detail.item.title, summary: detail.item.summary,
            url: context.settings.baseURL + SiteURL.item(type, slug: detail.item.slug).path,
            published_at: MomentFormatter.rfc3339(detail.item.publishedAt, in: utc), updated_at: MomentFormatter.rfc3339(detail.updatedAt, in: utc),
            language: detail.language, authors: detail.item.authors.map(\.name), body_html: detail.bodyHTML, terms: terms, fields: fields)
        return try APIResponse.json(body, request: request, lastModified: detail.updatedAt)
    }

    struct VocabularyBody: Content {
        struct Term: Content {
            let slug: String
            let name: String
            let count: Int
        }

        let name: String
        let terms: [Term]
    }

    func vocabularies(_ request: Request) async throws -> Response {
        let now = request.application.clock.now()
        var byVocabulary: [(String, [VocabularyBody.Term])] = []
        for row in try await ContentQueries(sql: try request.sql, now: now).termCounts() {
            let term = VocabularyBody.Term(slug: row.slug, name: row.name, count: row.itemCount)
            if byVocabulary.last?.0 == row.vocabulary { byVocabulary[byVocabulary.count - 1].1.append(term) } else { byVocabulary.append((row.vocabulary, [term])) }
        }
        return try APIResponse.json(byVocabulary.map { VocabularyBody(name: $0.0, terms: $0.1) }, request: request)
    }

    struct CallBody: Content {
        let slug: String
        let title: String
        let url: String
        let status: String
        let opens_at: String?
        let closes_at: String
        let timezone: String
        let extended: Bool
        let questionnaire: String
    }

    func calls(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let sql = try request.sql
        let store = CallStore(sql: sql, now: context.now)
        let slugs = try await ContentQueries(sql: sql, now: context.now).slugs(of: .call, limit: 500)
        var calls: [CallBody] = []
        for slug in slugs {
            guard let call = try await store.find(slug: slug) else { continue }
            let status: String = switch call.schedule.phase(at: context.now) {
            case .upcoming: "upcoming"
            case .open: "open"
            case .closed: "closed"
            }
            calls.append(CallBody(slug: call.slug, title: call.title, url: context.settings.baseURL + SiteURL.item(.call, slug: call.slug).path,
                                  status: status, opens_at: call.schedule.opensAt.map { MomentFormatter.rfc3339($0, in: call.timeZone) },
                                  closes_at: MomentFormatter.rfc3339(call.schedule.closesAt, in: call.timeZone), timezone: call.timeZone.identifier,
                                  extended: call.extended, questionnaire: "\(call.questionnaireKey)@\(call.questionnaireVersion)"))
        }
        return try APIResponse.json(calls, request: request)
    }
}

/// JSON answers of the API with validators: an ETag from the body (and Last-Modified when
/// known), 304 to a matching conditional request.
enum APIResponse {
    static func json(_ value: some Encodable, request: Request, lastModified: Int64? = nil, status: HTTPResponseStatus = .ok,
                     isPrivate: Bool = false) throws -> Response {
        let data = try encode(value)
        let etag = etag(of: data)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        // One person's entries are never kept by shared caches.
        headers.replaceOrAdd(name: .cacheControl, value: isPrivate ? "private, no-store" : "public, max-age=60")
        if let lastModified {
            headers.replaceOrAdd(name: .lastModified, value: InternetDate.string(lastModified, zone: "GMT"))
        }
        let tags = request.headers.first(name: .ifNoneMatch)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var notModified = tags.map { $0.contains(etag) || $0.contains("*") } ?? false
        if tags == nil, let lastModified, let since = request.headers.first(name: .ifModifiedSince),
           let date = Self.httpDate(since), Int64(date.timeIntervalSince1970) >= lastModified {
            notModified = true
        }
        if notModified, status == .ok, [.GET, .HEAD].contains(request.method) { return Response(status: .notModified, headers: headers) }
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: data))
    }

    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// The strong validator of a body: a hash of its bytes.
    static func etag(of data: Data) -> String {
        "\"" + SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }

    static func etag(of value: some Encodable) throws -> String { etag(of: try encode(value)) }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// For every `/api/` address: authentication by personal token, errors as RFC 9457
/// problem details, CORS for reading from any site (preflight included).
struct APIMiddleware: AsyncMiddleware {
    struct Problem: Encodable {
        var type = "about:blank"
        let title: String
        let status: Int
        let detail: String?
        var errors: [APIProblem.FieldError]? = nil
        var deadline: String? = nil
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.path.hasPrefix("/api/") else { return try await next.respond(to: request) }
        if request.method == .OPTIONS {
            let response = Response(status: .noContent)
            response.headers.replaceOrAdd(name: "Access-Control-Allow-Methods", value: "GET, HEAD, OPTIONS")
            response.headers.replaceOrAdd(name: "Access-Control-Allow-Headers", value: "Accept, If-None-Match, If-Modified-Since, Authorization")
            response.headers.replaceOrAdd(name: "Access-Control-Max-Age", value: "86400")
            return cors(response)
        }
        let response: Response
        do {
            // Writing is open only where a write route exists; anything else is answered 405.
            if request.route == nil, ![.GET, .HEAD].contains(request.method) {
                throw Abort(.methodNotAllowed, headers: ["Allow": "GET, HEAD, OPTIONS"], reason: PageContext(request: request)("api.error.method"))
            }
            if request.isTokenRequest { try await authenticate(request) }
            response = try await next.respond(to: request)
        } catch {
            response = problem(for: error, request: request)
        }
        return cors(response)
    }

    /// A request with an `Authorization` header is the token's account, or refused with 401.
    func authenticate(_ request: Request) async throws {
        let context = PageContext(request: request)
        guard let bearer = request.headers.bearerAuthorization,
              let (signedIn, access) = try await APITokenStore(sql: try request.sql, now: request.application.clock.now())
                .authenticate(bearer.token)
        else {
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"api\", error=\"invalid_token\""],
                        reason: context("api.error.token"))
        }
        request.signedIn = signedIn
        request.apiAccess = access
    }

    func problem(for error: any Error, request: Request) -> Response {
        let status = (error as? any AbortError)?.status ?? .internalServerError
        var detail: String?
        if let abort = error as? any AbortError, abort.reason != status.reasonPhrase { detail = abort.reason }
        if status == .internalServerError { request.logger.report(error: error) }
        var problem = Problem(title: status.reasonPhrase, status: Int(status.code), detail: detail)
        if let extended = error as? APIProblem {
            problem.errors = extended.errors
            problem.deadline = extended.deadline
        }
        var headers = (error as? any AbortError)?.headers ?? HTTPHeaders()
        if status == .unauthorized, !headers.contains(name: "WWW-Authenticate") {
            headers.replaceOrAdd(name: "WWW-Authenticate", value: "Bearer realm=\"api\"")
        }
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json")
        let body = (try? APIResponse.encode(problem)) ?? Data()
        return Response(status: status, headers: headers, body: .init(data: body))
    }

    private func cors(_ response: Response) -> Response {
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        response.headers.replaceOrAdd(name: "Access-Control-Expose-Headers", value: "ETag, Last-Modified, Retry-After, Location")
        return response
    }
}
