import ObservatoryCore
import SQLKit

/// What the case library reads from the database beside its in-memory catalog: full-text
/// matches and the texts shown for one page of results.
struct CaseLibraryQueries {
    let sql: any SQLDatabase

    /// The full-text score of every item the query matches (higher is better). Items of other
    /// types and drafts are among them: the catalog knows which ids are published cases and
    /// drops the rest, which is much cheaper than reading each matched item's row to check.
    func keywordMatches(_ query: SearchQuery) async throws -> [Int64: Double] {
        let rows = try await sql.bulkRows("SELECT m.item_id, m.score FROM \(sql.engine.fullText.matches(query)) m",
            columns: [("item_id", .integer), ("score", .real)])
        var scores: [Int64: Double] = [:]
        scores.reserveCapacity(rows.count)
        for row in rows {
            if let id = row[0].integer, let score = row[1].real { scores[id] = score }
        }
        return scores
    }

    /// The summary of each case, and with a query, the text around the matched words.
    func texts(of ids: [Int64], query: SearchQuery?) async throws -> (summaries: [Int64: String], snippets: [Int64: String]) {
        guard !ids.isEmpty else { return ([:], [:]) }
        var summaries: [Int64: String] = [:]
        for row in try await sql.select().columns("id", "summary").from("items").where("id", .in, ids).all() {
            summaries[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "summary", as: String.self)
        }
        guard let query else { return (summaries, [:]) }
        return (summaries, try await sql.engine.fullText.snippets(query, itemIDs: ids, on: sql))
    }
}
