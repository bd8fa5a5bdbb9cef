import Crypto
import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// Keeps rendered public pages in memory and serves them again while they are current.
///
/// Every request reads the site's content version (one row) and the next moment a scheduled
/// item becomes public. An entry is served only if it was rendered at the same content version
/// and its expiry has not passed, so a write by any app instance sharing the database makes
/// every instance's copies stale at once. Pages whose text depends on the clock (a call that is
/// open until its deadline, an upcoming event) expire at the moment they would change.
final class PageCache: Sendable {
    struct Entry: Sendable {
        let version: Int64
        /// Seconds since 1970 after which the entry must be rendered again.
        let expires: Int64
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer
        let etag: String
    }

    /// The longest an entry lives even when nothing changes, to bound memory held by rare pages.
    static let maximumAge: Int64 = 600

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    func entry(for key: String, version: Int64, now: Int64) -> Entry? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.version == version, now < entry.expires else {
                entries[key] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ entry: Entry, for key: String) {
        entries.withLockedValue { entries in
            if entries.count >= capacity, entries[key] == nil {
                // Drop an arbitrary eighth rather than track recency on every read.
                for staleKey in entries.keys.prefix(max(1, capacity / 8)) { entries[staleKey] = nil }
            }
            entries[key] = entry
        }
    }

    var count: Int { entries.withLockedValue { $0.count } }
}

/// The moment before which the page being rendered stays as it is, collected while rendering.
final class PageExpiry: Sendable {
    private let earliest = NIOLockedValueBox<Int64>(.max)

    /// The page changes at `moment` (seconds since 1970) if that is still ahead.
    func changes(at moment: Int64, now: Int64) {
        guard moment > now else { return }
        earliest.withLockedValue { $0 = min($0, moment) }
    }

    var moment: Int64 { earliest.withLockedValue { $0 } }
}

extension Request {
    private struct PageExpiryKey: StorageKey {
        typealias Value = PageExpiry
    }

    var pageExpiry: PageExpiry {
        if let existing = storage[PageExpiryKey.self] { return existing }
        let created = PageExpiry()
        storage[PageExpiryKey.self] = created
        return created
    }
}

extension Application {
    private struct PageCacheKey: StorageKey {
        typealias Value = PageCache
    }

    /// Set once by `configure` before the server starts (storage is not safe to fill from
    /// concurrent requests).
    var pageCache: PageCache {
        get { storage[PageCacheKey.self] ?? PageCache() }
        set { storage[PageCacheKey.self] = newValue }
    }
}

/// Serves public GET pages from the `PageCache` and answers revalidations with 304.
struct PageCacheMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A signed-in person's pages name them: never kept, never served to anyone else.
        guard request.method == .GET || request.method == .HEAD, request.signedIn == nil else {
            return try await next.respond(to: request)
        }
        let sql = try request.sql
        let now = request.application.clock.now()
        // Read once per request: `SiteLinksMiddleware` may have read it already.
        let state = try await request.contentState(sql, now: now)
        request.storage[ContentState.StorageKey.self] = state
        let cache = request.application.pageCache
        let key = request.url.string
        if let entry = cache.entry(for: key, version: state.version, now: now) {
            return response(for: entry, request: request)
        }
        let response = try await next.respond(to: request)
        guard response.status == .ok || response.status == .notFound,
              response.headers.contentType == .html,
              let body = response.body.buffer
        else { return response }
        let expires = min(now + PageCache.maximumAge, state.nextScheduled ?? .max, request.pageExpiry.moment)
        let digest = SHA256.hash(data: Data(body.readableBytesView))
        let etag = "\"" + digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
        var headers = response.headers
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: .eTag, value: etag)
        let entry = PageCache.Entry(version: state.version, expires: expires, status: response.status,
                                    headers: headers, body: body, etag: etag)
        cache.store(entry, for: key)
        return self.response(for: entry, request: request)
    }

    private func response(for entry: PageCache.Entry, request: Request) -> Response {
        if entry.status == .ok, let tags = request.headers.first(name: .ifNoneMatch),
           tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == entry.etag }) {
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .eTag, value: entry.etag)
            headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: entry.status, headers: entry.headers, body: .init(buffer: entry.body))
    }
}

/// What the page cache must know about the database on every request.
struct ContentState: Decodable, Sendable {
    struct StorageKey: Vapor.StorageKey {
        typealias Value = ContentState
    }

    let version: Int64
    /// When the next scheduled item becomes public, if any is waiting.
    let nextScheduled: Int64?

    static func read(_ sql: any SQLDatabase, now: Int64) async throws -> ContentState {
        let publicStatuses = WorkflowStatus.publicStatuses.map(\.rawValue)
        return try await sql.raw("""
            SELECT content_version AS version, (SELECT MIN(published_at) FROM items \
            WHERE status IN (\(binds: publicStatuses)) AND published_at > \(bind: now)) AS next_scheduled \
            FROM site_state WHERE id = 1
            """).first(as: ContentState.self) ?? ContentState(version: 0, nextScheduled: nil)
    }

    /// Raises the content version after a write that changes what pages show: every instance's
    /// cached pages, site links and catalogs are then rebuilt on their next request.
    static func raiseVersion(on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE site_state SET content_version = content_version + 1 WHERE id = 1").run()
    }
}

extension Request {
    /// The content state the page cache read for this request, or a fresh read.
    func contentState(_ sql: any SQLDatabase, now: Int64) async throws -> ContentState {
        if let state = storage[ContentState.StorageKey.self] { return state }
        return try await ContentState.read(sql, now: now)
    }
}
