import Crypto
import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Subscribers and issues of the newsletter.
///
/// Subscribing is double opt-in: an address is only mailed issues once its owner opened the
/// confirmation link. Every issue carries a link (and the `List-Unsubscribe` headers) that
/// unsubscribes in one step without signing in; the link is signed, so nobody can
/// unsubscribe someone else.
struct NewsletterStore {
    static let confirmationSeconds: Int64 = 7 * 86_400
    static let batchSize = 200

    enum Status: String, CaseIterable, Sendable {
        case pending
        case confirmed
        case unsubscribed
    }

    struct Subscriber: Sendable {
        let id: Int64
        let email: String
        let status: Status
        let source: String
        let createdAt: Int64
        let confirmedAt: Int64?
    }

    struct Issue: Sendable {
        let id: Int64
        let subject: String
        let introduction: String
        let itemIDs: [Int64]
        let status: String
        let createdAt: Int64
        let total: Int
    }

    let sql: any SQLDatabase
    let now: Int64

    // MARK: Subscribing

    /// Starts (or restarts) a subscription and returns the confirmation token to mail; nil
    /// when the address is confirmed already (nothing to do, and the page says the same).
    func subscribe(_ email: EmailAddress, source: String) async throws -> String? {
        let token = SecretToken.generate()
        let hash = SecretToken.hash(token)
        if let row = try await sql.select().columns("id", "status").from("newsletter_subscribers")
            .where("email_key", .equal, email.lookupKey).first() {
            if try row.decode(column: "status", as: String.self) == Status.confirmed.rawValue { return nil }
            try await sql.update("newsletter_subscribers").set("status", to: Status.pending.rawValue).set("confirm_hash", to: hash)
                .set("confirm_expires_at", to: now + Self.confirmationSeconds).set("email", to: email.value)
                .where("id", .equal, try row.decode(column: "id", as: Int64.self)).run()
            return token
        }
        try await sql.insert(into: "newsletter_subscribers")
            .columns("email", "email_key", "status", "source", "confirm_hash", "confirm_expires_at", "created_at")
            .values(SQLBind(email.value), SQLBind(email.lookupKey), SQLBind(Status.pending.rawValue), SQLBind(source), SQLBind(hash),
                    SQLBind(now + Self.confirmationSeconds), SQLBind(now))
            .run()
        return token
    }

    /// Confirms the subscription of a token; its address, or nil for an unknown or expired token.
    func confirm(token: String) async throws -> String? {
        try await sql.raw("""
            UPDATE newsletter_subscribers SET status = \(bind: Status.confirmed.rawValue), confirmed_at = \(bind: now), \
            confirm_hash = NULL, confirm_expires_at = NULL \
            WHERE confirm_hash = \(bind: SecretToken.hash(token)) AND confirm_expires_at >= \(bind: now) RETURNING email
            """).first()?.decode(column: "email", as: String.self)
    }

    /// Unsubscribes, and drops the issues queued for the address and not sent yet; the
    /// address, or nil when the id is unknown.
    func unsubscribe(id: Int64) async throws -> String? {
        guard let email = try await sql.raw("""
            UPDATE newsletter_subscribers SET status = \(bind: Status.unsubscribed.rawValue), unsubscribed_at = \(bind: now), \
            confirm_hash = NULL WHERE id = \(bind: id) RETURNING email
            """).first()?.decode(column: "email", as: String.self)
        else { return nil }
        try await sql.raw("""
            DELETE FROM outbox WHERE recipient = \(bind: email) AND sent_at IS NULL AND kind LIKE 'newsletter-%' AND kind <> 'newsletter-confirm'
            """).run()
        return email
    }

    /// The signature of a subscriber's unsubscribe link.
    static func unsubscribeSignature(id: Int64, key: SymmetricKey) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("newsletter-unsubscribe:\(id)".utf8), using: key)
        return Data(code).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    static func unsubscribeURL(base: String, id: Int64, key: SymmetricKey) -> String {
        base + "/newsletter/unsubscribe?s=\(id)&t=\(unsubscribeSignature(id: id, key: key))"
    }

    func counts() async throws -> [Status: Int] {
        var counts: [Status: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM newsletter_subscribers GROUP BY status").all() {
            if let status = Status(rawValue: try row.decode(column: "status", as: String.self)) {
                counts[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    func subscribers(limit: Int = 100_000, offset: Int = 0) async throws -> [Subscriber] {
        try await sql.raw("""
            SELECT id, email, status, source, created_at, confirmed_at FROM newsletter_subscribers ORDER BY id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """).all().map { row in
            Subscriber(id: try row.decode(column: "id", as: Int64.self), email: try row.decode(column: "email", as: String.self),
                       status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                       source: try row.decode(column: "source", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
                       confirmedAt: try row.decode(column: "confirmed_at", as: Int64?.self))
        }
    }

    // MARK: Issues

    func createIssue(subject: String, introduction: String, itemIDs: [Int64], by label: String) async throws -> Int64 {
        guard let row = try await sql.insert(into: "newsletter_issues")
            .columns("subject", "introduction", "items", "status", "created_at", "created_by", "total")
            .values(SQLBind(subject), SQLBind(introduction), SQLBind(itemIDs.map(String.init).joined(separator: ",")), SQLBind("draft"),
                    SQLBind(now), SQLBind(label), SQLBind(0))
            .returning("id").first()
        else { throw Abort(.internalServerError) }
        return try row.decode(column: "id", as: Int64.self)
    }

    func issues() async throws -> [Issue] {
        try await sql.select().columns("id", "subject", "introduction", "items", "status", "created_at", "total").from("newsletter_issues")
            .orderBy("id", .descending).all().map(Self.issue)
    }

    func issue(_ id: Int64) async throws -> Issue? {
        try await sql.select().columns("id", "subject", "introduction", "items", "status", "created_at", "total").from("newsletter_issues")
            .where("id", .equal, id).first().map(Self.issue)
    }

    static func issue(_ row: any SQLRow) throws -> Issue {
        Issue(id: try row.decode(column: "id", as: Int64.self), subject: try row.decode(column: "subject", as: String.self),
              introduction: try row.decode(column: "introduction", as: String.self),
              itemIDs: try row.decode(column: "items", as: String.self).split(separator: ",").compactMap { Int64($0) },
              status: try row.decode(column: "status", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
              total: try row.decode(column: "total", as: Int.self))
    }

    /// Starts sending: the batches go to every subscriber confirmed now.
    func startSending(_ id: Int64) async throws -> Bool {
        let confirmed = try await counts()[.confirmed] ?? 0
        return try await sql.raw("""
            UPDATE newsletter_issues SET status = 'sending', started_at = \(bind: now), total = \(bind: confirmed) \
            WHERE id = \(bind: id) AND status = 'draft' RETURNING id
            """).first() != nil
    }

    /// How many of an issue's mails are queued and sent.
    func progress(_ id: Int64) async throws -> (queued: Int, sent: Int) {
        let queued = try await sql.raw("SELECT COUNT(*) AS n FROM newsletter_deliveries WHERE issue_id = \(bind: id)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let sent = try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = \(bind: "newsletter-\(id)") AND sent_at IS NOT NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return (queued, sent)
    }
}
