import Fluent
import ObservatoryCore
import SQLKit

/// Brings databases made by the first shipped versions of three migrations level with the
/// schema those migrations make today, and prepares the tables this release changes:
///
/// - `items_published_idx` (added to 004 after it shipped), the `attachments` table and its
///   index (added to 006), `export_rows_base_url` (added to 008): created only where missing,
///   with exactly today's definitions;
/// - open-data lines stored before the CSV writer neutralised formula cells are forgotten, so
///   the server renders them again;
/// - every attached file gets an unguessable address key, which public links use instead of
///   the file's sequential id.
struct LevelEarlyDatabases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await Self.createIndex(sql, "items_published_idx", on: "items", ["published_at", "id"])

        // The definition migration 006 gives the table today (a shipped migration is frozen,
        // so the builder is repeated here rather than shared).
        try await database.schema("attachments")
            .field("id", .int64, .identifier(auto: true))
            .field("submission_id", .int64, .required, .references("submissions", "id", onDelete: .cascade))
            .field("field_id", .string, .required)
            .field("file_name", .string, .required)
            .field("media_type", .string, .required)
            .field("size", .int64, .required)
            .field("storage_name", .string, .required)
            .field("uploaded_by", .int64, .required)
            .field("created_at", .int64, .required)
            .ignoreExisting()
            .create()
        try await Self.createIndex(sql, "attachments_submission_idx", on: "attachments", ["submission_id", "field_id"])
        try await Self.createIndex(sql, "export_rows_base_url", on: "export_rows", ["base_url"])

        try await sql.delete(from: "export_rows").run()

        try await database.schema("attachments").field("address_key", .string).update()
        for row in try await sql.select().column("id").from("attachments").all() {
            try await sql.update("attachments").set("address_key", to: SecretToken.generate())
                .where("id", .equal, try row.decode(column: "id", as: Int64.self)).run()
        }
        try await sql.create(index: "attachments_address_key_idx").unique().on("attachments").column("address_key").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "attachments_address_key_idx").run()
        try await database.schema("attachments").deleteField("address_key").update()
    }

    /// `CREATE INDEX IF NOT EXISTS`, which SQLite and PostgreSQL both understand.
    private static func createIndex(_ sql: any SQLDatabase, _ name: String, on table: String, _ columns: [String]) async throws {
        let list = SQLList(columns.map { SQLIdentifier($0) })
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: name) ON \(ident: table) (\(list))").run()
    }
}
