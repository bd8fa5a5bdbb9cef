import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// Writes an issue's mail and queues it in the outbox, a batch of subscribers at a time.
struct NewsletterSending {
    struct Item: Sendable {
        let title: String
        let summary: String
        let url: String
    }

    let database: any Database
    let settings: SiteSettings
    let key: SymmetricKey
    let now: Int64

    var sql: any SQLDatabase { database as! any SQLDatabase }

    /// The published items an issue presents, in the order chosen.
    func items(of issue: NewsletterStore.Issue) async throws -> [Item] {
        guard !issue.itemIDs.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT id, type, slug, title, summary FROM items WHERE id IN (\(binds: issue.itemIDs)) \
            AND status IN (\(binds: WorkflowStatus.publicStatuses.map(\.rawValue))) AND published_at <= \(bind: now)
            """).all()
        var byID: [Int64: Item] = [:]
        for row in rows {
            guard let type = ContentType(rawValue: try row.decode(column: "type", as: String.self)) else { continue }
            byID[try row.decode(column: "id", as: Int64.self)] = Item(
                title: try row.decode(column: "title", as: String.self), summary: try row.decode(column: "summary", as: String.self),
                url: settings.baseURL + SiteURL.item(type, slug: try row.decode(column: "slug", as: String.self)).path)
        }
        return issue.itemIDs.compactMap { byID[$0] }
    }

    /// The mail of an issue to one address; `unsubscribe` is nil for a test mail.
    func mail(_ issue: NewsletterStore.Issue, items: [Item], to recipient: String, unsubscribe: String?) -> OutgoingMail {
        let composer = MailComposer(settings: settings)
        var body = issue.introduction.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        for item in items {
            body += "\n\(item.title)\n\(item.summary)\n\(item.url)\n"
        }
        body += "\n" + (unsubscribe.map { composer.text("mail.newsletter.footer", ["link": $0]) } ?? composer.text("mail.newsletter.testFooter", [:]))
        return OutgoingMail(recipient: recipient, subject: issue.subject,
                            body: body + "\n\n-- \n\(settings.siteName)\n\(settings.baseURL)/\n",
                            kind: unsubscribe == nil ? "newsletter-test" : "newsletter-\(issue.id)", unsubscribeURL: unsubscribe)
    }

    /// Queues the issue for the next confirmed subscribers who do not have it yet; returns
    /// how many. When none is left the issue is marked sent. Two instances may run this at
    /// once: a subscriber can be queued once only (the second transaction fails and retries).
    func enqueueBatch(_ issueID: Int64) async throws -> Int {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            let store = NewsletterStore(sql: sql, now: now)
            guard let issue = try await store.issue(issueID), issue.status == "sending" else { return 0 }
            let subscribers = try await sql.raw("""
                SELECT s.id, s.email FROM newsletter_subscribers s WHERE s.status = 'confirmed' AND NOT EXISTS \
                (SELECT 1 FROM newsletter_deliveries d WHERE d.issue_id = \(bind: issueID) AND d.subscriber_id = s.id) \
                ORDER BY s.id LIMIT \(literal: NewsletterStore.batchSize)
                """).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "email", as: String.self)) }
            guard !subscribers.isEmpty else {
                try await sql.raw("UPDATE newsletter_issues SET status = 'sent', finished_at = \(bind: now) WHERE id = \(bind: issueID)").run()
                return 0
            }
            let sending = NewsletterSending(database: transaction, settings: settings, key: key, now: now)
            let items = try await sending.items(of: issue)
            for (id, email) in subscribers {
                try await sql.insert(into: "newsletter_deliveries").columns("issue_id", "subscriber_id", "queued_at")
                    .values(SQLBind(issueID), SQLBind(id), SQLBind(now)).run()
                let link = NewsletterStore.unsubscribeURL(base: settings.baseURL, id: id, key: key)
                try await Outbox.enqueue(sending.mail(issue, items: items, to: email, unsubscribe: link), at: now, on: sql)
            }
            return subscribers.count
        }
    }
}

extension NewsletterSending {
    /// Queues the next batch of every issue being sent, every few seconds while the server runs.
    static func loop(_ application: Application) -> BackgroundLoop {
        let settings = application.siteSettings
        let secrets = application.secrets
        return BackgroundLoop("Newsletter batches", every: .seconds(5)) { application in
            guard let sql = application.db as? any SQLDatabase else { return }
            let now = application.clock.now()
            let sending = NewsletterSending(database: application.db, settings: settings, key: try await secrets.formSigningKey(sql), now: now)
            for issue in try await NewsletterStore(sql: sql, now: now).issues() where issue.status == "sending" {
                _ = try await sending.enqueueBatch(issue.id)
            }
        }
    }
}
