import SQLKit

/// PostgreSQL: row locks, `string_agg`, `VACUUM (ANALYZE)` and weighted tsvector search.
struct PostgresEngine: DatabaseEngine {
    var fullText: any FullTextSearch { PostgresFullTextSearch() }

    func commaList(of column: String) -> SQLQueryString {
        "string_agg(\(ident: column)::text, ',')"
    }

    func lockRow(of table: String, id: Int64, on sql: any SQLDatabase) async throws {
        _ = try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").first()
    }

    func lockAgainstWriters(_ table: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("LOCK TABLE \(ident: table) IN SHARE ROW EXCLUSIVE MODE").run()
    }

    func prepareAtStartup(on sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT 1").run()
    }

    func prepareForBatchWrites(on connection: any SQLDatabase) async throws {}

    func refreshStatistics(of tables: [String], on sql: any SQLDatabase) async throws {
        // Fresh statistics and visibility maps after a bulk load let PostgreSQL plan index
        // scans (and index-only counts) at once instead of after its next autovacuum.
        guard !tables.isEmpty else { return }
        let list = SQLList(tables.map { SQLIdentifier($0) })
        try await sql.raw("VACUUM (ANALYZE) \(list)").run()
    }

    func bulkRows(_ query: SQLQueryString, columns: [(name: String, kind: BulkValue.Kind)],
                  on sql: any SQLDatabase) async throws -> [[BulkValue]] {
        try await rowByRow(query, columns: columns, on: sql)
    }
}
