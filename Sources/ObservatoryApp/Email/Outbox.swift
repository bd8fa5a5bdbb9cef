import Foundation
import SQLKit

/// A mail waiting in the outbox.
struct OutgoingMail: Sendable, Equatable {
    var recipient: String
    var subject: String
    var body: String
    /// What the mail is for (`verify-email`, `password-reset`…), for operators and tests.
    var kind: String
    /// Where one click unsubscribes the recipient (newsletters): sent as `List-Unsubscribe`.
    var unsubscribeURL: String? = nil
}

/// Mail is never sent from a request: the action writes it to the outbox in its own
/// transaction (so a mail exists exactly when its action happened) and `MailDelivery` sends it.
enum Outbox {
    static func enqueue(_ mail: OutgoingMail, at now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "outbox")
            .columns("recipient", "subject", "body", "kind", "created_at", "attempts", "next_attempt_at", "unsubscribe_url")
            .values(SQLBind(mail.recipient), SQLBind(mail.subject), SQLBind(mail.body), SQLBind(mail.kind),
                    SQLBind(now), SQLBind(0), SQLBind(now), SQLBind(mail.unsubscribeURL))
            .run()
    }
}
