import Fluent
import SQLKit

/// Indexes that let frequent queries skip the large item rows (bodies make each row a page of
/// its own): the newest items, featured items and the case catalog's years.
struct AddCoveringIndexes: AsyncMigration {
    private static let indexes: [(name: String, table: String, columns: [String])] = [
        // The newest items of any status list: PostgreSQL reads it backwards and stops at the
        // page, where an index led by the status would need a sort of every visible item.
        ("items_published_idx", "items", ["published_at", "id"]),
        // Featured items on the home page, newest first.
        ("items_featured_idx", "items", ["featured", "status", "published_at"]),
        // Launch years and other numbers of many items at once.
        ("item_fields_name_item_idx", "item_fields", ["name", "item_id", "number_value"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: SQLIdentifier(index.name)).on(SQLIdentifier(index.table))
            for column in index.columns { builder = builder.column(SQLIdentifier(column)) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            try await sql.drop(index: SQLIdentifier(index.name)).run()
        }
    }
}
