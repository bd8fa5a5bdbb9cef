import Fluent

/// Editorial history: every saved version of an item (as an import-format record), and the
/// old addresses of items whose slug changed, which redirect to the new one.
struct CreateRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("item_revisions")
            .field("id", .int64, .identifier(auto: true))
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("created_at", .int64, .required)
            .field("actor_id", .int64)
            .field("actor_label", .string, .required)
            .field("note", .string)
            .field("record", .string, .required)
            .unique(on: "item_id", "number")
            .create()

        try await database.schema("slug_redirects")
            .field("id", .int64, .identifier(auto: true))
            .field("type", .string, .required)
            .field("old_slug", .string, .required)
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("created_at", .int64, .required)
            .unique(on: "type", "old_slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("slug_redirects").delete()
        try await database.schema("item_revisions").delete()
    }
}
