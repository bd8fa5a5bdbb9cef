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

    /// The published items an issue presents, in the order chosen.
    func items(of issue: NewsletterStore.Issue) async throws -> [Item] {
        guard !issue.itemIDs.isEmpty else { return [] }
        var byID: [Int64: Item] = [:]
        for item in try await NewsletterStore(sql: try database.sql, now: now).publishedItems(ids: issue.itemIDs) {
            byID[item.id] = Item(title: item.title, summary: item.summary,
                                 url: settings.baseURL + SiteURL.item(item.type, slug: item.slug).path)
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
            let sql = try transaction.sql
            let store = NewsletterStore(sql: sql, now: now)
            guard let issue = try await store.issue(issueID), issue.status == "sending" else { return 0 }
            let recipients = try await store.nextRecipients(of: issueID)
            guard !recipients.isEmpty else {
                try await store.finishSending(issueID)
                return 0
            }
            let sending = NewsletterSending(database: transaction, settings: settings, key: key, now: now)
            let items = try await sending.items(of: issue)
            for recipient in recipients {
                try await store.recordDelivery(issueID: issueID, subscriberID: recipient.id)
                let link = NewsletterStore.unsubscribeURL(base: settings.baseURL, id: recipient.id, key: key)
                try await Outbox.enqueue(sending.mail(issue, items: items, to: recipient.email, unsubscribe: link), at: now, on: sql)
            }
            return recipients.count
        }
    }
}

extension NewsletterSending {
    /// Queues the next batch of every issue being sent, every few seconds while the server runs.
    static func loop(_ application: Application) -> BackgroundLoop {
        let settings = application.siteSettings
        let secrets = application.secrets
        return BackgroundLoop("Newsletter batches", every: .seconds(5)) { application in
            let sql = try application.sql
            let now = application.clock.now()
            let sending = NewsletterSending(database: application.db, settings: settings, key: try await secrets.formSigningKey(sql), now: now)
            for issue in try await NewsletterStore(sql: sql, now: now).issues() where issue.status == "sending" {
                _ = try await sending.enqueueBatch(issue.id)
            }
        }
    }
}
