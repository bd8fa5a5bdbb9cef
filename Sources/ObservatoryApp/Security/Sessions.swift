import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// The signed-in account behind a request, read from its server-side session.
struct SignedIn: Sendable {
    let accountID: Int64
    let email: String
    let name: String
    let role: Role
    let status: AccountStatus
    let emailVerified: Bool
    /// The stored (hashed) id of the session, to close it.
    let sessionHash: String
    /// The token every form of this session carries.
    let csrfToken: String

    var standing: Standing { Standing(role: role, status: status, emailVerified: emailVerified) }
}

/// Server-side sessions in the database, so every app instance behind a load balancer knows
/// them and signing out ends a session everywhere at once.
///
/// The cookie holds a random token; the table keeps its SHA-256. A session ends after
/// `sessionIdleSeconds` without a request and `sessionMaximumSeconds` after signing in.
struct SessionStore {
    static let cookieName = "observatory_session"
    /// How stale `last_seen_at` may get before a request writes it again.
    static let touchInterval: Int64 = 60

    let sql: any SQLDatabase
    let settings: SiteSettings
    let now: Int64

    /// A session joined with its account, as `resume` reads it.
    private struct Row: Decodable, Sendable {
        let accountID: Int64
        let csrfToken: String
        let sessionRole: String
        let createdAt: Int64
        let lastSeenAt: Int64
        let email: String
        let name: String
        let role: String
        let status: String
        let emailVerifiedAt: Int64?
    }

    /// Opens a session for an account and returns the token for the cookie.
    func open(accountID: Int64, role: Role, ip: String, userAgent: String) async throws -> String {
        let token = SecretToken.generate()
        try await sql.insert(into: "sessions")
            .columns("id_hash", "account_id", "csrf_token", "role", "created_at", "last_seen_at", "ip", "user_agent")
            .values(SecretToken.hash(token), accountID, SecretToken.generate(), role.rawValue, now, now,
                    ip, String(userAgent.prefix(300)))
            .run()
        return token
    }

    /// The live session for a cookie token, touched; nil (and the row deleted) once it expired.
    func resume(token: String) async throws -> (SignedIn, sessionRole: String, createdAt: Int64)? {
        let hash = SecretToken.hash(token)
        guard let row = try await sql.raw("""
            SELECT s.account_id, s.csrf_token, s.role AS session_role, s.created_at, s.last_seen_at, \
            a.email, a.name, a.role, a.status, a.email_verified_at \
            FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = \(bind: hash)
            """).first(as: Row.self)
        else { return nil }
        let status = AccountStatus(rawValue: row.status) ?? .suspended
        if now - row.lastSeenAt > settings.sessionIdleSeconds || now - row.createdAt > settings.sessionMaximumSeconds || status == .suspended {
            try await close(hash: hash)
            return nil
        }
        if now - row.lastSeenAt >= Self.touchInterval {
            try await sql.update("sessions").set("last_seen_at", to: now).where("id_hash", .equal, hash).run()
        }
        let signedIn = SignedIn(
            accountID: row.accountID,
            email: row.email,
            name: row.name,
            role: Role(rawValue: row.role) ?? .contributor,
            status: status,
            emailVerified: row.emailVerifiedAt != nil,
            sessionHash: hash,
            csrfToken: row.csrfToken)
        return (signedIn, row.sessionRole, row.createdAt)
    }

    /// How many sessions of an account are open besides `hash` (the one asking).
    func countOthers(accountID: Int64, besides hash: String) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sessions")
            .where("account_id", .equal, accountID).where("id_hash", .notEqual, hash)
            .first(decodingColumn: "n", as: Int.self) ?? 0
    }

    func close(hash: String) async throws {
        try await sql.delete(from: "sessions").where("id_hash", .equal, hash).run()
    }

    /// Ends every session of an account, but `keeping` one (the session that asked).
    func closeAll(accountID: Int64, keeping hash: String? = nil) async throws {
        var query = sql.delete(from: "sessions").where("account_id", .equal, accountID)
        if let hash { query = query.where("id_hash", .notEqual, hash) }
        try await query.run()
    }
}

/// What must change in the browser's cookies once the response is ready.
final class CookieChanges: Sendable {
    enum Change: Sendable {
        case set(String)
        case clear
    }

    private let changes = NIOLockedValueBox<[String: Change]>([:])

    func record(_ change: Change, for name: String) { changes.withLockedValue { $0[name] = change } }
    var all: [String: Change] { changes.withLockedValue { $0 } }
}

extension Request {
    private struct SignedInKey: StorageKey {
        typealias Value = SignedIn
    }

    private struct CookieChangesKey: StorageKey {
        typealias Value = CookieChanges
    }

    /// The account signed in on this request, if any.
    var signedIn: SignedIn? {
        get { storage[SignedInKey.self] }
        set { storage[SignedInKey.self] = newValue }
    }

    var cookieChanges: CookieChanges {
        if let existing = storage[CookieChangesKey.self] { return existing }
        let created = CookieChanges()
        storage[CookieChangesKey.self] = created
        return created
    }

    var sessionStore: SessionStore {
        get throws { SessionStore(sql: try sql, settings: application.siteSettings, now: application.clock.now()) }
    }

    /// Signs an account in: any session the browser had is closed and a new one (with a new
    /// id and a new form token) is opened, so an id planted before signing in is worthless.
    func openSession(accountID: Int64, role: Role) async throws {
        let store = try sessionStore
        if let current = signedIn { try await store.close(hash: current.sessionHash) }
        if let planted = cookies[SessionStore.cookieName]?.string {
            try await store.close(hash: SecretToken.hash(planted))
        }
        let token = try await store.open(accountID: accountID, role: role, ip: clientAddress,
                                         userAgent: headers.first(name: .userAgent) ?? "")
        cookieChanges.record(.set(token), for: SessionStore.cookieName)
        if let (session, _, _) = try await store.resume(token: token) { signedIn = session }
    }

    /// Signs out: the session ends on the server and the cookie is removed.
    func closeSession() async throws {
        if let current = signedIn { try await sessionStore.close(hash: current.sessionHash) }
        signedIn = nil
        cookieChanges.record(.clear, for: SessionStore.cookieName)
    }
}

/// Reads the session cookie of every request, and writes cookie changes into every response,
/// error pages included.
struct SessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // API requests with a token are that token's account, whatever cookies come along.
        if !request.isTokenRequest, let token = request.cookies[SessionStore.cookieName]?.string, !token.isEmpty {
            let store = try request.sessionStore
            if let (session, sessionRole, _) = try await store.resume(token: token) {
                request.signedIn = session
                if sessionRole != session.role.rawValue {
                    // The account's role changed since this session opened: continue under a new id.
                    try await request.openSession(accountID: session.accountID, role: session.role)
                }
            } else {
                request.cookieChanges.record(.clear, for: SessionStore.cookieName)
            }
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = ErrorPages().page(for: error, request: request)
        }
        let secure = request.application.siteSettings.isHTTPS
        for (name, change) in request.cookieChanges.all {
            switch change {
            case .set(let value):
                response.cookies[name] = HTTPCookies.Value(string: value, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
            case .clear:
                response.cookies[name] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
                                                           path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
            }
        }
        if request.signedIn != nil || !request.cookieChanges.all.isEmpty {
            // Pages for one person must never be kept by a shared cache.
            response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        }
        return response
    }
}
