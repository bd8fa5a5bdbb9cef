import Fluent
import SQLKit

/// Editors manage vocabularies: a term can be hidden from visitors (items keep it), and the
/// address of a term merged into another leads to that one.
struct AddTermManagement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("terms")
            .field("hidden", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema("term_redirects")
            .field("id", .int64, .identifier(auto: true))
            .field("vocabulary", .string, .required)
            .field("old_slug", .string, .required)
            .field("term_id", .int64, .required, .references("terms", "id", onDelete: .cascade))
            .unique(on: "vocabulary", "old_slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("term_redirects").delete()
        try await database.schema("terms").deleteField("hidden").update()
    }
}
