import FluentKit
import SQLKit
import Vapor

/// Everything that differs between the two databases the site runs on, SQLite (embedded, the
/// default) and PostgreSQL (several instances on one server). Stores write portable SQL and ask
/// the engine for the rest; no other file asks which database it is talking to.
///
/// Upserts (`INSERT … ON CONFLICT … DO UPDATE`) and `RETURNING` read the same on both, so they
/// need nothing here.
protocol DatabaseEngine: Sendable {
    /// Ranked full-text search with the database's own index.
    var fullText: any FullTextSearch { get }

    /// An aggregate joining the integer `column` of the grouped rows with commas, as text.
    func commaList(of column: String) -> SQLQueryString

    /// Locks one row until the transaction ends, so two writers of it take turns. (SQLite lets
    /// one writer at a time anyway.)
    func lockRow(of table: String, id: Int64, on sql: any SQLDatabase) async throws

    /// Lets readers on while keeping other writers out of `table` until the transaction ends.
    func lockAgainstWriters(_ table: String, on sql: any SQLDatabase) async throws

    /// Checks that the database answers and sets its per-file options, once at start-up.
    func prepareAtStartup(on sql: any SQLDatabase) async throws

    /// Settings for a connection about to write a large batch (outside its transaction).
    func prepareForBatchWrites(on connection: any SQLDatabase) async throws

    /// Refreshes the planner's statistics after a bulk load of `tables`.
    func refreshStatistics(of tables: [String], on sql: any SQLDatabase) async throws

    /// The rows of `query`, each as the values of `columns` in order: for the in-memory catalogs
    /// and exports, which read tens of thousands of rows at once.
    func bulkRows(_ query: SQLQueryString, columns: [(name: String, kind: BulkValue.Kind)],
                  on sql: any SQLDatabase) async throws -> [[BulkValue]]
}

/// One value of a bulk read.
enum BulkValue: Sendable, Equatable {
    enum Kind: Sendable {
        case integer
        case real
        case text
    }

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

extension DatabaseEngine {
    /// A bulk read through SQLKit's ordinary row decoding.
    func rowByRow(_ query: SQLQueryString, columns: [(name: String, kind: BulkValue.Kind)],
                  on sql: any SQLDatabase) async throws -> [[BulkValue]] {
        try await sql.raw(query).all().map { row in
            try columns.map { column in
                switch column.kind {
                case .integer: try row.decode(column: column.name, as: Int64?.self).map(BulkValue.integer) ?? .null
                case .real: try row.decode(column: column.name, as: Double?.self).map(BulkValue.real) ?? .null
                case .text: try row.decode(column: column.name, as: String?.self).map(BulkValue.text) ?? .null
                }
            }
        }
    }
}

extension SQLDatabase {
    /// The engine of the database behind this connection.
    var engine: any DatabaseEngine {
        dialect.name == "postgresql" ? PostgresEngine() : SQLiteEngine()
    }

    /// The rows of `query`, read the fastest way this database allows.
    func bulkRows(_ query: SQLQueryString, columns: [(name: String, kind: BulkValue.Kind)]) async throws -> [[BulkValue]] {
        try await engine.bulkRows(query, columns: columns, on: self)
    }
}

extension FluentKit.Database {
    /// This database (or transaction) as SQL: the one way stores reach it.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw Abort(.internalServerError, reason: "The database does not speak SQL.") }
            return sql
        }
    }
}

extension Request {
    /// The request's database as SQL.
    var sql: any SQLDatabase {
        get throws { try db.sql }
    }
}

extension Application {
    /// The application's database as SQL, for commands and background work.
    var sql: any SQLDatabase {
        get throws { try db.sql }
    }
}
