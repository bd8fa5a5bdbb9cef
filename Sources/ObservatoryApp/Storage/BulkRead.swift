import NIOConcurrencyHelpers
import FluentSQLiteDriver
import SQLKit

/// Reads many rows at once, for the in-memory catalogs.
///
/// Through SQLKit, SQLite hands every row to the event loop as a task of its own, which for
/// tens of thousands of rows costs far more than the query. On SQLite this reads the rows on
/// the database's own thread instead; on PostgreSQL it is an ordinary query.
enum BulkRead {
    enum Kind {
        case integer
        case real
        case text
    }

    enum Value: Sendable, Equatable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case null

        var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
        var real: Double? {
            switch self {
            case .real(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
        var text: String? { if case .text(let value) = self { value } else { nil } }
    }

    /// The rows of `query`, each as the values of `columns` in order.
    static func rows(_ sql: any SQLDatabase, _ query: SQLQueryString, columns: [(name: String, kind: Kind)]) async throws -> [[Value]] {
        guard let sqlite = sql as? any SQLiteDatabase else {
            return try await sql.raw(query).all().map { row in
                try columns.map { column in
                    switch column.kind {
                    case .integer: try row.decode(column: column.name, as: Int64?.self).map(Value.integer) ?? .null
                    case .real: try row.decode(column: column.name, as: Double?.self).map(Value.real) ?? .null
                    case .text: try row.decode(column: column.name, as: String?.self).map(Value.text) ?? .null
                    }
                }
            }
        }
        let (text, binds) = sql.serialize(query)
        let encoder = SQLiteDataEncoder()
        let data = try binds.map { try encoder.encode($0) }
        let rows = NIOLockedValueBox<[[Value]]>([])
        try await sqlite.withConnection { connection in
            try await connection.query(text, data) { row in
                let values: [Value] = columns.map { column in
                    switch row.column(column.name) {
                    case .integer(let value)?: .integer(Int64(value))
                    case .float(let value)?: column.kind == .integer ? Int64(exactly: value.rounded(.towardZero)).map { .integer($0) } ?? .null : .real(value)
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
