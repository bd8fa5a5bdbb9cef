import Fluent
import ObservatoryCore
import SQLKit

/// The full-text index of the database's own engine (see `FullTextSearch`), filled from the
/// items already stored; it replaces the plain `search_text` column.
struct CreateSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let search = FullTextSearchEngine.of(sql)
        try await search.createIndex(on: sql)

        var lastID: Int64 = 0
        while true {
            let rows = try await sql.select().columns("id", "type", "title", "summary", "body").from("items")
                .where("id", .greaterThan, lastID).orderBy("id").limit(500).all()
            guard let last = rows.last else { break }
            lastID = try last.decode(column: "id", as: Int64.self)
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            var texts: [Int64: [String: String]] = [:]
            for row in try await sql.select().columns("item_id", "name", "text_value").from("item_fields")
                .where("item_id", .in, ids).where("position", .equal, 0).all() {
                guard let text = try row.decode(column: "text_value", as: String?.self) else { continue }
                texts[try row.decode(column: "item_id", as: Int64.self), default: [:]][try row.decode(column: "name", as: String.self)] = text
            }
            var documents: [SearchDocument] = []
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                guard let type = ContentType(rawValue: try row.decode(column: "type", as: String.self)) else { continue }
                documents.append(SearchDocument(
                    itemID: id, type: type,
                    title: try row.decode(column: "title", as: String.self),
                    summary: try row.decode(column: "summary", as: String.self),
                    markdownBody: try row.decode(column: "body", as: String.self),
                    fieldText: { texts[id]?[$0] }))
            }
            try await search.index(documents, newItems: Set(documents.map(\.itemID)), on: sql)
        }
        try await sql.raw("ALTER TABLE items DROP COLUMN search_text").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await FullTextSearchEngine.of(sql).dropIndex(on: sql)
        try await sql.raw("ALTER TABLE items ADD COLUMN search_text TEXT NOT NULL DEFAULT ''").run()
    }
}
