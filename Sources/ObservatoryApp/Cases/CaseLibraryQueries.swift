import ObservatoryCore
import SQLKit

/// What the case library reads from the database beside its in-memory catalog: full-text
/// matches and the texts shown for one page of results.
struct CaseLibraryQueries {
    let sql: any SQLDatabase

    /// The full-text score of every case study the query matches (higher is better). Drafts
    /// may be among them; the catalog only knows published cases and drops the rest.
    func keywordMatches(_ query: SearchQuery) async throws -> [Int64: Double] {
        let rows = try await sql.select()
            .column(SQLColumn("item_id", table: "m")).column(SQLColumn("score", table: "m"))
            .from(SQLAlias(FullTextSearchEngine.of(sql).matches(query), as: SQLIdentifier("m")))
            .join("items", method: SQLJoinMethod.inner, on: SQLColumn("id", table: "items"), .equal, SQLColumn("item_id", table: "m"))
            .where(SQLColumn("type", table: "items"), .equal, SQLBind(ContentType.caseStudy.rawValue))
            .all()
        var scores: [Int64: Double] = [:]
        scores.reserveCapacity(rows.count)
        for row in rows {
            scores[try row.decode(column: "item_id", as: Int64.self)] = try row.decode(column: "score", as: Double.self)
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
        return (summaries, try await FullTextSearchEngine.of(sql).snippets(query, itemIDs: ids, on: sql))
    }
}
