import Fluent

/// Toolkits signed-in readers saved for later or say they used, once each per reader.
struct CreateToolkitMarks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("toolkit_marks")
            .field("account_id", .int64, .required, .references("accounts", "id", onDelete: .cascade))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "account_id", "item_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("toolkit_marks").delete()
    }
}
