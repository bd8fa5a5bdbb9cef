import Fluent

/// Personal API tokens: only the SHA-256 of a token is stored, with a short prefix to
/// recognise it by, its scopes and when it was last used.
struct CreateAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .field("id", .int64, .identifier(auto: true))
            .field("account_id", .int64, .required, .references("accounts", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("scopes", .string, .required)
            .field("created_at", .int64, .required)
            .field("last_used_at", .int64)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}
