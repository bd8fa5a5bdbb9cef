import Fluent
import SQLKit

/// Indexes that let frequent queries skip the large item rows (bodies make each row a page of
/// its own): finding featured items and loading the case catalog.
struct AddCoveringIndexes: AsyncMigration {
    private static let indexes: [(name: String, table: String, columns: [String])] = [
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
