import Foundation
import Logging
import SQLKit
import Vapor

/// Sends what waits in the outbox. Any app instance may run it: each mail is claimed with a
/// conditional update first, so two instances never send the same mail. A failed mail is
/// tried again later, waiting longer each time, and given up after `maximumAttempts`.
struct MailDelivery {
    static let maximumAttempts = 8
    /// How long a claim protects a mail from other instances while it is being sent.
    static let claimSeconds: Int64 = 120

    let sql: any SQLDatabase
    let transport: any MailTransport
    let from: String
    let logger: Logger

    /// A mail as its claim returns it, with the number of the attempt about to be made.
    private struct Claimed: Decodable, Sendable {
        let recipient: String
        let subject: String
        let body: String
        let kind: String
        let attempts: Int
        let unsubscribeURL: String?
    }

    /// Seconds to wait before attempt `attempt + 1`: 1, 2, 4… minutes, at most six hours.
    static func backoff(afterAttempt attempt: Int) -> Int64 {
        min(60 * (Int64(1) << Int64(min(attempt - 1, 20))), 6 * 3_600)
    }

    /// Sends every mail that is due; returns how many were sent.
    @discardableResult
    func deliverDue(now: Int64, limit: Int = 50) async throws -> Int {
        let ids = try await sql.select().column("id").from("outbox")
            .where(SQLColumn("sent_at"), .is, SQLLiteral.null).where(SQLColumn("failed_at"), .is, SQLLiteral.null)
            .where("next_attempt_at", .lessThanOrEqual, now)
            .orderBy(SQLColumn("id"), SQLDirection.ascending).limit(limit).all(decodingColumn: "id", as: Int64.self)
        var sent = 0
        for id in ids {
            guard let claimed = try await claim(id: id, now: now) else { continue }
            do {
                try await transport.send(claimed.mail, from: from)
                try await sql.update("outbox").set("sent_at", to: now).set("claimed_until", to: SQLLiteral.null)
                    .set("last_error", to: SQLLiteral.null).where("id", .equal, id).run()
                sent += 1
            } catch {
                let permanent = error is PermanentMailFailure || claimed.attempts >= Self.maximumAttempts
                logger.warning("Mail \(id) to \(claimed.mail.recipient) not sent (attempt \(claimed.attempts)): \(error)")
                var update = sql.update("outbox").set("claimed_until", to: SQLLiteral.null)
                    .set("last_error", to: String(String(describing: error).prefix(500)))
                if permanent {
                    update = update.set("failed_at", to: now)
                } else {
                    update = update.set("next_attempt_at", to: now + Self.backoff(afterAttempt: claimed.attempts))
                }
                try await update.where("id", .equal, id).run()
            }
        }
        return sent
    }

    private func claim(id: Int64, now: Int64) async throws -> (mail: OutgoingMail, attempts: Int)? {
        let row = try await sql.raw("""
            UPDATE outbox SET claimed_until = \(bind: now + Self.claimSeconds), attempts = attempts + 1 \
            WHERE id = \(bind: id) AND sent_at IS NULL AND failed_at IS NULL \
            AND (claimed_until IS NULL OR claimed_until < \(bind: now)) \
            RETURNING recipient, subject, body, kind, attempts, unsubscribe_url
            """).first(as: Claimed.self)
        guard let row else { return nil }
        let mail = OutgoingMail(recipient: row.recipient, subject: row.subject, body: row.body, kind: row.kind,
                                unsubscribeURL: row.unsubscribeURL)
        return (mail, row.attempts)
    }
}

/// Runs `MailDelivery` every few seconds while the server runs.
enum MailDeliveryService {
    static func loop(_ application: Application) -> BackgroundLoop {
        let settings = application.siteSettings
        let transport = transport(for: settings, logger: application.logger)
        return BackgroundLoop("Mail delivery", every: .seconds(5)) { application in
            let sql = try application.sql
            let delivery = MailDelivery(sql: sql, transport: transport, from: settings.mail.from, logger: application.logger)
            try await delivery.deliverDue(now: application.clock.now())
        }
    }

    static func transport(for settings: SiteSettings, logger: Logger) -> any MailTransport {
        if let smtp = settings.mail.smtp {
            let host = URL(string: settings.baseURL)?.host ?? "localhost"
            return SMTPTransport(settings: smtp, clientName: host)
        }
        return FileMailTransport(directory: settings.mail.directory ?? MailSettings.defaultDirectory(in: settings.dataDirectory), logger: logger)
    }
}
