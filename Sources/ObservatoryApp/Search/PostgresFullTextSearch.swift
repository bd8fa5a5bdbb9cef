import ObservatoryCore
import SQLKit

/// Full-text search with PostgreSQL: a tsvector per item built with the English configuration
/// from the title (weight A), summary (B) and body (C), folded to lower case without accents,
/// in a GIN index, ranked by `ts_rank_cd` with the weights 1.0 (A), 0.5 (B) and 0.2 (C). Rows go when their item goes.
struct PostgresFullTextSearch: FullTextSearch {
    func createIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE TABLE search_documents (\
            item_id BIGINT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE, \
            document TSVECTOR NOT NULL, \
            body TEXT NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX search_documents_document_idx ON search_documents USING GIN (document)").run()
    }

    func dropIndex(on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP TABLE IF EXISTS search_documents").run()
    }

    func index(_ documents: [SearchDocument], newItems: Set<Int64>, on sql: any SQLDatabase) async throws {
        let fold = { SearchText.normalize(SearchSnippet.clean($0)) }
        for chunk in documents.chunks(of: 250) {
            let rows: [any SQLExpression] = chunk.map { document in
                SQLQueryString("""
                    (\(bind: document.itemID), \
                    setweight(to_tsvector('english', \(bind: fold(document.title))), 'A') || \
                    setweight(to_tsvector('english', \(bind: fold(document.summary))), 'B') || \
                    setweight(to_tsvector('english', \(bind: fold(document.body))), 'C'), \
                    \(bind: SearchSnippet.clean(document.body)))
                    """)
            }
            try await sql.raw("""
                INSERT INTO search_documents (item_id, document, body) VALUES \(SQLList(rows)) \
                ON CONFLICT (item_id) DO UPDATE SET document = EXCLUDED.document, body = EXCLUDED.body
                """).run()
        }
    }

    func remove(itemID: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM search_documents WHERE item_id = \(bind: itemID)").run()
    }

    func matches(_ query: SearchQuery) -> any SQLExpression {
        SQLQueryString("""
            (SELECT item_id, ts_rank_cd('{0.1, 0.2, 0.5, 1.0}', document, q) AS score \
            FROM search_documents, \(Self.tsquery(query)) AS query WHERE document @@ q)
            """)
    }

    func bodies(of itemIDs: [Int64], on sql: any SQLDatabase) async throws -> [Int64: String] {
        var bodies: [Int64: String] = [:]
        for chunk in itemIDs.chunks(of: 500) {
            let rows = try await sql.bulkRows("SELECT item_id, body FROM search_documents WHERE item_id IN (\(binds: chunk))",
                                              columns: [("item_id", .integer), ("body", .text)])
            for row in rows { if let id = row[0].integer { bodies[id] = row[1].text ?? "" } }
        }
        return bodies
    }

    /// The tsquery for `query` as a parenthesised expression: words (the last maybe as a prefix)
    /// through `to_tsquery`, each phrase through `phraseto_tsquery`, all joined with AND, each
    /// excluded word or phrase negated. Words
    /// hold letters and digits only, and every value is a bound parameter.
    static func tsquery(_ query: SearchQuery) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        var words: [String] = []
        for term in query.terms {
            switch term {
            case .word(let word, let prefix): words.append("'\(word)'" + (prefix ? ":*" : ""))
            case .phrase(let phrase): parts.append("phraseto_tsquery('english', \(bind: phrase.joined(separator: " ")))")
            case .excluded(let phrase): parts.append("(!! phraseto_tsquery('english', \(bind: phrase.joined(separator: " "))))")
            }
        }
        if !words.isEmpty {
            parts.insert("to_tsquery('english', \(bind: words.joined(separator: " & ")))", at: 0)
        }
        var expression: SQLQueryString = "(SELECT "
        for (index, part) in parts.enumerated() {
            if index > 0 { expression.appendLiteral(" && ") }
            expression.appendInterpolation(part)
        }
        expression.appendLiteral(" AS q)")
        return expression
    }
}
