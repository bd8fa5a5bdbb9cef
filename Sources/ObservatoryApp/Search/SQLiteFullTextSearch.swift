import ObservatoryCore
import SQLKit

/// Full-text search with SQLite's FTS5: the Porter stemmer over Unicode words with accents
/// removed, ranked by bm25 with the title weighted 10, the summary 4 and the body 1. The item's
/// id is the FTS row id.
struct SQLiteFullTextSearch: FullTextSearch {
    func createIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE VIRTUAL TABLE search_fts USING fts5(title, summary, body, \
            tokenize = 'porter unicode61 remove_diacritics 2')
            """).run()
    }

    func dropIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP TABLE IF EXISTS search_fts").run()
    }

    func index(_ documents: [SearchDocument], newItems: Set<Int64>, on sql: any SQLDatabase) async throws {
        let replaced = documents.map(\.itemID).filter { !newItems.contains($0) }
        for chunk in replaced.chunks(of: 500) {
            try await sql.raw("DELETE FROM search_fts WHERE rowid IN (\(binds: chunk))").run()
        }
        // One statement per few hundred documents: FTS5 flushes its pending terms at the end of
        // every statement, so row-by-row inserts would write many tiny index segments.
        for chunk in documents.chunks(of: 250) {
            let rows: [any SQLExpression] = chunk.map { document in
                SQLQueryString("""
                    (\(bind: document.itemID), \(bind: SearchSnippet.clean(document.title)), \
                    \(bind: SearchSnippet.clean(document.summary)), \(bind: SearchSnippet.clean(document.body)))
                    """)
            }
            try await sql.raw("""
                INSERT INTO search_fts (rowid, title, summary, body) VALUES \(SQLList(rows))
                """).run()
        }
    }

    func remove(itemID: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM search_fts WHERE rowid = \(bind: itemID)").run()
    }

    func matches(_ query: SearchQuery) -> any SQLExpression {
        SQLQueryString("""
            (SELECT rowid AS item_id, -bm25(search_fts, 10.0, 4.0, 1.0) AS score \
            FROM search_fts WHERE search_fts MATCH \(bind: Self.matchExpression(query)))
            """)
    }

    func bodies(of itemIDs: [Int64], on sql: any SQLDatabase) async throws -> [Int64: String] {
        var bodies: [Int64: String] = [:]
        for chunk in itemIDs.chunks(of: 500) {
            let rows = try await sql.bulkRows("SELECT rowid, body FROM search_fts WHERE rowid IN (\(binds: chunk))",
                                              columns: [("rowid", .integer), ("body", .text)])
            for row in rows { if let id = row[0].integer { bodies[id] = row[1].text ?? "" } }
        }
        return bodies
    }

    /// The FTS5 query for `query`: every word and phrase as a quoted string, so nothing the
    /// visitor typed is read as FTS5 syntax; terms next to each other must all match.
    static func matchExpression(_ query: SearchQuery) -> String {
        let positive = query.terms.compactMap { term -> String? in
            switch term {
            case .word(let word, let prefix): "\"\(word)\"" + (prefix ? " *" : "")
            case .phrase(let words): "\"\(words.joined(separator: " "))\""
            case .excluded: nil
            }
        }.joined(separator: " ")
        // NOT needs something on its left: a query of exclusions alone is empty.
        return query.exclusions.reduce(positive) { expression, words in
            expression + " NOT \"\(words.joined(separator: " "))\""
        }
    }
}
