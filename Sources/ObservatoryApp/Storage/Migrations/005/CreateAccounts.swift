import Fluent
import SQLKit
import Vapor

/// Accounts and everything security needs around them: server-side sessions, one-time
/// tokens, rate-limit counters, the mail outbox, the audit log, site options editable by
/// administrators and the secret that signs form stamps.
///
/// Secrets are stored hashed (sessions, tokens); times are seconds since 1970 (UTC).
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("accounts")
            .field("id", .int64, .identifier(auto: true))
            .field("email", .string, .required)
            // The address in lower case: one account per address whatever its spelling.
            .field("email_key", .string, .required)
            .field("name", .string, .required)
            .field("organisation", .string, .required)
            .field("country_code", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("status", .string, .required)
            .field("email_verified_at", .int64)
            .field("reviewed_by", .int64)
            .field("reviewed_at", .int64)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "email_key")
            .create()

        try await database.schema("sessions")
            .field("id_hash", .string, .required)
            .field("account_id", .int64, .required, .references("accounts", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            // The role the session was opened with: a change of role opens a new session.
            .field("role", .string, .required)
            .field("created_at", .int64, .required)
            .field("last_seen_at", .int64, .required)
            .field("ip", .string, .required)
            .field("user_agent", .string, .required)
            .unique(on: "id_hash")
            .create()

        try await database.schema("account_tokens")
            .field("token_hash", .string, .required)
            .field("purpose", .string, .required)
            .field("account_id", .int64, .required, .references("accounts", "id", onDelete: .cascade))
            // The new address of an address change.
            .field("payload", .string)
            .field("created_at", .int64, .required)
            .field("expires_at", .int64, .required)
            .field("used_at", .int64)
            .unique(on: "token_hash")
            .create()

        try await database.schema("rate_limit_counters")
            .field("bucket", .string, .required)
            .field("window_start", .int64, .required)
            .field("hits", .int64, .required)
            .unique(on: "bucket", "window_start")
            .create()

        try await database.schema("outbox")
            .field("id", .int64, .identifier(auto: true))
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .int64, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .int64, .required)
            .field("claimed_until", .int64)
            .field("sent_at", .int64)
            .field("failed_at", .int64)
            .field("last_error", .string)
            .create()

        try await database.schema("audit_events")
            .field("id", .int64, .identifier(auto: true))
            .field("at", .int64, .required)
            .field("action", .string, .required)
            .field("actor_id", .int64)
            .field("actor_label", .string)
            .field("target_type", .string)
            .field("target_id", .string)
            .field("target_label", .string)
            .field("ip", .string)
            .field("before_state", .string)
            .field("after_state", .string)
            .create()

        try await database.schema("site_options")
            .field("name", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "name")
            .create()

        try await database.schema("site_secrets")
            .field("name", .string, .required)
            .field("value", .string, .required)
            .unique(on: "name")
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        let indexes: [(String, String, [String])] = [
            ("sessions_account_idx", "sessions", ["account_id"]),
            ("account_tokens_account_idx", "account_tokens", ["account_id", "purpose"]),
            ("outbox_due_idx", "outbox", ["sent_at", "failed_at", "next_attempt_at"]),
            ("audit_events_at_idx", "audit_events", ["at", "id"]),
            ("audit_events_action_idx", "audit_events", ["action", "at"]),
            ("audit_events_actor_idx", "audit_events", ["actor_id", "at"]),
            ("accounts_status_idx", "accounts", ["status", "created_at"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: SQLIdentifier(name)).on(SQLIdentifier(table))
            for column in columns { builder = builder.column(SQLIdentifier(column)) }
            try await builder.run()
        }
        let secret = [UInt8].random(count: 32).map { String(format: "%02x", $0) }.joined()
        try await sql.insert(into: "site_secrets").columns("name", "value").values("form_signing", secret).run()
    }

    func revert(on database: any Database) async throws {
        for table in ["site_secrets", "site_options", "audit_events", "outbox", "rate_limit_counters",
                      "account_tokens", "sessions", "accounts"] {
            try await database.schema(table).delete()
        }
    }
}
