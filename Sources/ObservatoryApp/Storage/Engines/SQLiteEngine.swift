import FluentSQLiteDriver
import NIOConcurrencyHelpers
import SQLKit

/// SQLite: one writer at a time (so no locks are needed), `group_concat`, FTS5 search, and bulk
/// reads on the database's own thread.
struct SQLiteEngine: DatabaseEngine {
    var fullText: any FullTextSearch { SQLiteFullTextSearch() }

    func commaList(of column: String) -> SQLQueryString {
        "group_concat(\(ident: column), ',')"
    }

    func lockRow(of table: String, id: Int64, on sql: any SQLDatabase) async throws {}

    func lockAgainstWriters(_ table: String, on sql: any SQLDatabase) async throws {}

    func prepareAtStartup(on sql: any SQLDatabase) async throws {
        // WAL lets readers proceed while an import writes; the mode is stored in the file.
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }

    func prepareForBatchWrites(on connection: any SQLDatabase) async throws {
        // A batch writes several megabytes: a larger page cache on this connection, and
        // statement journals in memory, keep SQLite from writing pages twice. (Both are
        // per connection, and temp_store cannot change inside a transaction.)
        try await connection.raw("PRAGMA cache_size = -65536").run()
        try await connection.raw("PRAGMA temp_store = MEMORY").run()
    }

    func refreshStatistics(of tables: [String], on sql: any SQLDatabase) async throws {}

    /// Through SQLKit, SQLite hands every row to the event loop as a task of its own, which for
    /// tens of thousands of rows costs far more than the query: this reads them on the
    /// database's own thread instead.
    func bulkRows(_ query: SQLQueryString, columns: [(name: String, kind: BulkValue.Kind)],
                  on sql: any SQLDatabase) async throws -> [[BulkValue]] {
        guard let sqlite = sql as? any SQLiteDatabase else {
            return try await rowByRow(query, columns: columns, on: sql)
        }
        let (text, binds) = sql.serialize(query)
        let encoder = SQLiteDataEncoder()
        let data = try binds.map { try encoder.encode($0) }
        let rows = NIOLockedValueBox<[[BulkValue]]>([])
        try await sqlite.withConnection { connection in
            try await connection.query(text, data) { row in
                let values: [BulkValue] = columns.map { column in
                    switch row.column(column.name) {
                    case .integer(let value)?: .integer(Int64(value))
                    case .float(let value)?:
                        column.kind == .integer ? Int64(exactly: value.rounded(.towardZero)).map { .integer($0) } ?? .null : .real(value)
                    case .text(let value)?: .text(value)
                    case .blob?, .null?, nil: .null
                    }
                }
                rows.withLockedValue { $0.append(values) }
            }
        }
        return rows.withLockedValue { $0 }
    }
}
