import Fluent
import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// Keeps `export_rows` filled: every case study's line, rendered once, so downloads copy
/// stored text. Triggers forget a case's line when anything about it changes; this renders
/// the forgotten ones again, a batch per transaction.
///
/// A batch reads the cases and writes their lines in one transaction that no change can
/// slip into: on PostgreSQL the table is locked against the triggers' deletes for the
/// batch; on SQLite the transaction fails (and is tried again later) if anything was written
/// since it began to read.
struct ExportRows {
    static let batchSize = 500

    let database: any Database
    let baseURL: String
    let now: Int64

    /// Lines of another base URL are stale: every URL in them is.
    func forgetOtherBaseURLs() async throws {
        let sql = try database.sql
        // Two ranges rather than `<>`, which no database answers from an index.
        try await sql.raw("DELETE FROM export_rows WHERE base_url < \(bind: baseURL) OR base_url > \(bind: baseURL)").run()
    }

    /// How many case studies have no line.
    func missingCount() async throws -> Int {
        try await database.sql.raw("""
            SELECT (SELECT COUNT(*) FROM items WHERE type = \(bind: ContentType.caseStudy.rawValue)) - \
            (SELECT COUNT(*) FROM export_rows) AS missing
            """).first()?.decode(column: "missing", as: Int.self) ?? 0
    }

    private struct WindowRow: Decodable, Sendable {
        let id: Int64
        let type: String
    }

    /// Renders up to one batch of missing lines of cases after `id`; returns how many were
    /// written and the last id looked at (the next batch starts after it), nil when none is missing.
    func fillBatch(after id: Int64 = 0) async throws -> (written: Int, lastID: Int64)? {
        try await database.transaction { transaction in
            let sql = try transaction.sql
            try await sql.engine.lockAgainstWriters("export_rows", on: sql)
            // The next ids in primary-key order (a filter on type would make the database walk
            // the type index and sort every case for each batch), then the cases among them
            // without a line.
            let window = try await sql.raw("""
                SELECT id, type FROM items WHERE id > \(bind: id) ORDER BY id LIMIT \(literal: Self.batchSize)
                """).all(as: WindowRow.self)
            guard let lastID = window.last?.id else { return nil }
            let cases = window.filter { $0.type == ContentType.caseStudy.rawValue }.map(\.id)
            guard !cases.isEmpty else { return (0, lastID) }
            let present = Set(try await sql.raw("SELECT item_id FROM export_rows WHERE item_id IN (\(binds: cases))").all()
                .map { try $0.decode(column: "item_id", as: Int64.self) })
            let ids = cases.filter { !present.contains($0) }
            guard !ids.isEmpty else { return (0, lastID) }
            let rows = try await CaseExporter(sql: sql, now: now, baseURL: baseURL).rows(for: ids)
            var lines: [(Int64, String, String)] = []
            lines.reserveCapacity(rows.count)
            var bytes: [UInt8] = []
            for (id, row) in rows {
                bytes.removeAll(keepingCapacity: true)
                CaseExport.appendJSON(row, to: &bytes)
                let json = String(decoding: bytes, as: UTF8.self)
                bytes.removeAll(keepingCapacity: true)
                CaseExport.appendCSV(row, to: &bytes)
                lines.append((id, json, String(decoding: bytes, as: UTF8.self)))
            }
            for chunk in lines.chunks(of: 100) {
                let values = SQLList(chunk.map { id, json, csv in
                    SQLGroupExpression([SQLBind(id), SQLBind(baseURL), SQLBind(json), SQLBind(csv)] as [any SQLExpression])
                })
                try await sql.raw("""
                    INSERT INTO export_rows (item_id, base_url, json, csv) VALUES \(values) \
                    ON CONFLICT (item_id) DO UPDATE SET base_url = excluded.base_url, json = excluded.json, csv = excluded.csv
                    """).run()
            }
            return (lines.count, lastID)
        }
    }

    /// Renders every missing line; `progress` hears the number written so far.
    @discardableResult
    func fillAll(progress: (Int) -> Void = { _ in }) async throws -> Int {
        var total = 0
        var cursor: Int64 = 0
        while let (written, lastID) = try await fillBatch(after: cursor) {
            cursor = lastID
            total += written
            progress(total)
        }
        return total
    }
}

extension ExportRows {
    /// Fills `export_rows` while the server runs: lines of another address are forgotten at
    /// start, then missing lines are rendered whenever there are any.
    static func loop(_ application: Application) -> BackgroundLoop {
        let baseURL = application.siteSettings.baseURL
        let started = NIOLockedValueBox(false)
        return BackgroundLoop("Open-data lines", every: .seconds(15)) { application in
            let rows = ExportRows(database: application.db, baseURL: baseURL, now: application.clock.now())
            if !started.withLockedValue({ $0 }) {
                try await rows.forgetOtherBaseURLs()
                started.withLockedValue { $0 = true }
            }
            guard try await rows.missingCount() > 0 else { return }
            var cursor: Int64 = 0
            do {
                while !Task.isCancelled, let (written, lastID) = try await rows.fillBatch(after: cursor) {
                    cursor = lastID
                    // Leave room for requests between batches that wrote.
                    if written > 0 { try? await Task.sleep(for: .milliseconds(20)) }
                }
            } catch {
                // On SQLite a batch that raced a change fails as a whole; the next round redoes it.
                application.logger.debug("Open-data lines: \(error)")
            }
        }
    }
}
