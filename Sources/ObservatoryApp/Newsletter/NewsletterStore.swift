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

        /// The columns as stored: the status is text, read into `Status` below.
        fileprivate struct Row: Decodable, Sendable {
            let id: Int64
            let email: String
            let status: String
            let source: String
            let createdAt: Int64
            let confirmedAt: Int64?
        }

        fileprivate init(row: Row) {
            id = row.id
            email = row.email
            status = Status(rawValue: row.status) ?? .pending
            source = row.source
            createdAt = row.createdAt
            confirmedAt = row.confirmedAt
        }
    }

    struct Issue: Sendable {
        let id: Int64
        let subject: String
        let introduction: String
        let itemIDs: [Int64]
        let status: String
        let createdAt: Int64
        let total: Int

        static let columns = ["id", "subject", "introduction", "items", "status", "created_at", "total"]

        /// The columns as stored: the chosen items are one comma-separated text.
        fileprivate struct Row: Decodable, Sendable {
            let id: Int64
            let subject: String
            let introduction: String
            let items: String
            let status: String
            let createdAt: Int64
            let total: Int
        }

        fileprivate init(row: Row) {
            id = row.id
            subject = row.subject
            introduction = row.introduction
            itemIDs = row.items.split(separator: ",").compactMap { Int64($0) }
            status = row.status
            createdAt = row.createdAt
            total = row.total
        }
    }

    /// A published item an editor may put in a new issue.
    struct RecentItem: Sendable {
        let id: Int64
        let title: String
        let type: ContentType
        let publishedAt: Int64
    }

    /// A published item as an issue presents it.
    struct PublishedItem: Sendable {
        let id: Int64
        let type: ContentType
        let slug: String
        let title: String
        let summary: String
    }

    /// A confirmed subscriber an issue is about to be queued for.
    struct Recipient: Decodable, Sendable {
        let id: Int64
        let email: String
    }

    private struct SubscriberState: Decodable, Sendable {
        let id: Int64
        let status: String
    }

    private struct StatusCount: Decodable, Sendable {
        let status: String
        let n: Int
    }

    private struct RecentItemRow: Decodable, Sendable {
        let id: Int64
        let type: String
        let title: String
        let publishedAt: Int64
    }

    private struct PublishedItemRow: Decodable, Sendable {
        let id: Int64
        let type: String
        let slug: String
        let title: String
        let summary: String
    }

    let sql: any SQLDatabase
    let now: Int64

    // MARK: Subscribing

    /// Starts (or restarts) a subscription and returns the confirmation token to mail; nil
    /// when the address is confirmed already (nothing to do, and the page says the same).
    func subscribe(_ email: EmailAddress, source: String) async throws -> String? {
        let token = SecretToken.generate()
        let hash = SecretToken.hash(token)
        if let existing = try await sql.select().columns("id", "status").from("newsletter_subscribers")
            .where("email_key", .equal, email.lookupKey).first(as: SubscriberState.self) {
            if existing.status == Status.confirmed.rawValue { return nil }
            try await sql.update("newsletter_subscribers").set("status", to: Status.pending.rawValue).set("confirm_hash", to: hash)
                .set("confirm_expires_at", to: now + Self.confirmationSeconds).set("email", to: email.value)
                .where("id", .equal, existing.id).run()
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
            """).first(decodingColumn: "email", as: String.self)
    }

    /// Unsubscribes, and drops the issues queued for the address and not sent yet; the
    /// address, or nil when the id is unknown.
    func unsubscribe(id: Int64) async throws -> String? {
        guard let email = try await sql.raw("""
            UPDATE newsletter_subscribers SET status = \(bind: Status.unsubscribed.rawValue), unsubscribed_at = \(bind: now), \
            confirm_hash = NULL WHERE id = \(bind: id) RETURNING email
            """).first(decodingColumn: "email", as: String.self)
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
        base + SiteURL.Routes.newsletterUnsubscribe.path(query: [("s", String(id)), ("t", unsubscribeSignature(id: id, key: key))])
    }

    func counts() async throws -> [Status: Int] {
        var counts: [Status: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM newsletter_subscribers GROUP BY status").all(as: StatusCount.self) {
            if let status = Status(rawValue: row.status) {
                counts[status] = row.n
            }
        }
        return counts
    }

    func subscribers(limit: Int = 100_000, offset: Int = 0) async throws -> [Subscriber] {
        try await sql.raw("""
            SELECT id, email, status, source, created_at, confirmed_at FROM newsletter_subscribers ORDER BY id LIMIT \(literal: limit) OFFSET \(literal: offset)
            """).all(as: Subscriber.Row.self).map(Subscriber.init(row:))
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
        try await sql.select().columns(Issue.columns).from("newsletter_issues")
            .orderBy("id", .descending).all(as: Issue.Row.self).map(Issue.init(row:))
    }

    func issue(_ id: Int64) async throws -> Issue? {
        try await sql.select().columns(Issue.columns).from("newsletter_issues")
            .where("id", .equal, id).first(as: Issue.Row.self).map(Issue.init(row:))
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
        let queued = try await sql.raw("SELECT COUNT(*) AS n FROM newsletter_deliveries WHERE issue_id = \(bind: id)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let sent = try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = \(bind: "newsletter-\(id)") AND sent_at IS NOT NULL")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        return (queued, sent)
    }

    // MARK: Sending

    /// The next confirmed subscribers who do not have the issue yet, a batch at a time.
    func nextRecipients(of issueID: Int64) async throws -> [Recipient] {
        try await sql.raw("""
            SELECT s.id, s.email FROM newsletter_subscribers s WHERE s.status = 'confirmed' AND NOT EXISTS \
            (SELECT 1 FROM newsletter_deliveries d WHERE d.issue_id = \(bind: issueID) AND d.subscriber_id = s.id) \
            ORDER BY s.id LIMIT \(literal: Self.batchSize)
            """).all(as: Recipient.self)
    }

    /// Notes that the issue is queued for a subscriber; the table's key refuses a second time.
    func recordDelivery(issueID: Int64, subscriberID: Int64) async throws {
        try await sql.insert(into: "newsletter_deliveries").columns("issue_id", "subscriber_id", "queued_at")
            .values(SQLBind(issueID), SQLBind(subscriberID), SQLBind(now)).run()
    }

    /// Marks an issue sent once every subscriber has it.
    func finishSending(_ id: Int64) async throws {
        try await sql.raw("UPDATE newsletter_issues SET status = 'sent', finished_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    // MARK: Items

    /// The published items editors choose from for a new issue, newest first; items of a
    /// type the site no longer has are left out.
    func recentItems(limit: Int) async throws -> [RecentItem] {
        try await sql.raw("""
            SELECT id, type, title, published_at FROM items WHERE status IN (\(binds: WorkflowStatus.publicStatuses.map(\.rawValue))) \
            AND published_at <= \(bind: now) ORDER BY published_at DESC, id DESC LIMIT \(literal: limit)
            """).all(as: RecentItemRow.self).compactMap { row in
            ContentType(rawValue: row.type).map { RecentItem(id: row.id, title: row.title, type: $0, publishedAt: row.publishedAt) }
        }
    }

    /// Those of `ids` that are still published, in no particular order.
    func publishedItems(ids: [Int64]) async throws -> [PublishedItem] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT id, type, slug, title, summary FROM items WHERE id IN (\(binds: ids)) \
            AND status IN (\(binds: WorkflowStatus.publicStatuses.map(\.rawValue))) AND published_at <= \(bind: now)
            """).all(as: PublishedItemRow.self).compactMap { row in
            ContentType(rawValue: row.type).map { PublishedItem(id: row.id, type: $0, slug: row.slug, title: row.title, summary: row.summary) }
        }
    }
}
