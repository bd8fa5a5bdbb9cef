import Fluent
import SQLKit

/// Items of every content type, their authors, taxonomy terms and structured fields.
///
/// Times are whole seconds since 1970 (UTC) so both databases compare and sort them the same
/// way. Structured fields get a row each (`item_fields`) and choices become taxonomy terms
/// (`item_terms`), so listings can filter and count on any of them through an index.
struct CreateContentSchema: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("items")
            .field("id", .int64, .identifier(auto: true))
            .field("type", .string, .required)
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("excerpt", .string)
            .field("summary", .string, .required)
            .field("body", .string, .required)
            .field("body_html", .string, .required)
            .field("search_text", .string, .required)
            .field("status", .string, .required)
            .field("published_at", .int64)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .field("language", .string, .required)
            .field("featured", .bool, .required)
            .field("fingerprint", .string, .required)
            .unique(on: "type", "slug")
            .create()

        try await database.schema("authors")
            .field("id", .int64, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .unique(on: "slug")
            .create()

        try await database.schema("item_authors")
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("author_id", .int64, .required, .references("authors", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "item_id", "author_id")
            .create()

        try await database.schema("terms")
            .field("id", .int64, .identifier(auto: true))
            .field("vocabulary", .string, .required)
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "vocabulary", "slug")
            .create()

        try await database.schema("item_terms")
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("term_id", .int64, .required, .references("terms", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "item_id", "term_id")
            .create()

        try await database.schema("item_fields")
            .field("item_id", .int64, .required, .references("items", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("position", .int, .required)
            .field("text_value", .string)
            .field("number_value", .int64)
            .field("qualifier", .string)
            .unique(on: "item_id", "name", "position")
            .create()

        // One row whose counter goes up with every content write: page caches on any app
        // instance compare it to know whether what they hold is still current.
        try await database.schema("site_state")
            .field("id", .int, .identifier(auto: false))
            .field("content_version", .int64, .required)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        try await sql.insert(into: "site_state").columns("id", "content_version").values(1, 0).run()
        let indexes: [(name: String, table: String, columns: [String])] = [
            ("items_visible_idx", "items", ["status", "published_at"]),
            ("items_type_visible_idx", "items", ["type", "status", "published_at"]),
            ("item_authors_author_idx", "item_authors", ["author_id", "item_id"]),
            ("item_terms_term_idx", "item_terms", ["term_id", "item_id"]),
            ("item_fields_text_idx", "item_fields", ["name", "text_value"]),
            ("item_fields_number_idx", "item_fields", ["name", "number_value"]),
        ]
        for index in indexes {
            var builder = sql.create(index: SQLIdentifier(index.name)).on(SQLIdentifier(index.table))
            for column in index.columns { builder = builder.column(SQLIdentifier(column)) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["site_state", "item_fields", "item_terms", "terms", "item_authors", "authors", "items"] {
            try await database.schema(table).delete()
        }
    }
}
