import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `observatory digest`: mails every editor the list of entries waiting for review. Meant
/// for cron or a systemd timer, once a day; it writes to the outbox, which the server sends.
struct DigestCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Mails editors the submissions waiting for review (run it daily)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await ObservatoryDatabase.prepareAndMigrate(app)
        let count = try await Self.queueDigest(app)
        context.console.info(count == 0 ? "Nothing is waiting; no digest sent." : "Digest of \(count) submissions queued for the editors.")
    }

    /// Writes one digest per editor to the outbox; returns how many entries are waiting.
    @discardableResult
    static func queueDigest(_ app: Application) async throws -> Int {
        let now = app.clock.now()
        let waiting = try await SubmissionStore(sql: try app.sql, now: now).waitingForReview()
        guard !waiting.isEmpty else { return 0 }
        let mails = SubmissionMails(settings: app.siteSettings)
        try await app.db.transaction { database in
            let sql = try database.sql
            for editor in try await AccountStore(sql: sql, now: now).staffAddresses() {
                try await Outbox.enqueue(mails.digest(to: editor, waiting: waiting), at: now, on: sql)
            }
        }
        return waiting.count
    }
}
