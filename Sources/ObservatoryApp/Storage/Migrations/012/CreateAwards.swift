import Fluent

/// Award programmes (a yearly innovation award…) with their categories, and the cases each
/// year shortlisted or made winners.
struct CreateAwards: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("award_programmes")
            .field("id", .int64, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "slug")
            .create()

        try await database.schema("award_categories")
            .field("id", .int64, .identifier(auto: true))
            .field("programme_id", .int64, .required, .references("award_programmes", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("position", .int, .required)
            .create()

        try await database.schema("award_entries")
            .field("id", .int64, .identifier(auto: true))
            .field("programme_id", .int64, .required, .references("award_programmes", "id", onDelete: .cascade))
            .field("category_id", .int64, .required, .references("award_categories", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("result", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "programme_id", "category_id", "year", "item_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("award_entries").delete()
        try await database.schema("award_categories").delete()
        try await database.schema("award_programmes").delete()
    }
}
