import Fluent

/// The newsletter: subscribers (confirmed by a link before they get anything), issues, which
/// subscriber each issue was queued for (so batches never mail anyone twice), and the
/// one-click unsubscribe address of outgoing mail.
struct CreateNewsletter: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("newsletter_subscribers")
            .field("id", .int64, .identifier(auto: true))
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("status", .string, .required)
            .field("source", .string, .required)
            .field("confirm_hash", .string)
            .field("confirm_expires_at", .int64)
            .field("created_at", .int64, .required)
            .field("confirmed_at", .int64)
            .field("unsubscribed_at", .int64)
            .unique(on: "email_key")
            .create()

        try await database.schema("newsletter_issues")
            .field("id", .int64, .identifier(auto: true))
            .field("subject", .string, .required)
            .field("introduction", .string, .required)
            .field("items", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .int64, .required)
            .field("created_by", .string, .required)
            .field("started_at", .int64)
            .field("finished_at", .int64)
            .field("total", .int, .required)
            .create()

        try await database.schema("newsletter_deliveries")
            .field("issue_id", .int64, .required, .references("newsletter_issues", "id", onDelete: .cascade))
            .field("subscriber_id", .int64, .required, .references("newsletter_subscribers", "id", onDelete: .cascade))
            .field("queued_at", .int64, .required)
            .unique(on: "issue_id", "subscriber_id")
            .create()

        try await database.schema("outbox")
            .field("unsubscribe_url", .string)
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox").deleteField("unsubscribe_url").update()
        try await database.schema("newsletter_deliveries").delete()
        try await database.schema("newsletter_issues").delete()
        try await database.schema("newsletter_subscribers").delete()
    }
}
