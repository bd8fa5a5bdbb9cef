import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Every published case, read in batches by id so memory stays the same whatever the size of
/// the library, and written as CSV, JSON or NDJSON to any sink (an HTTP response, a file).
struct CaseExporter {
    enum Format: String, CaseIterable, Sendable {
        case csv
        case json
        case ndjson

        var mediaType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8; header=present"
            case .json: "application/json; charset=utf-8"
            case .ndjson: "application/x-ndjson; charset=utf-8"
            }
        }
    }

    static let batchSize = 1_000

    let sql: any SQLDatabase
    let now: Int64
    let baseURL: String

    func count() async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("items")
            .where("type", .equal, ContentType.caseStudy.rawValue)
            .where("status", .in, WorkflowStatus.publicStatuses.map(\.rawValue))
            .where("published_at", .lessThanOrEqual, now).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Writes the whole export through `write`, in pieces of one batch; `progress` hears the
    /// number of rows written so far.
    ///
    /// Each case's line is copied from `export_rows` when it is stored there; a case changed
    /// since its line was stored is rendered from its fields and terms instead.
    func export(_ format: Format, write: (ByteBuffer) async throws -> Void, progress: (Int) -> Void = { _ in }) async throws {
        switch format {
        case .csv: try await write(ByteBuffer(string: CaseExport.csvHeader))
        case .json: try await write(ByteBuffer(string: "["))
        case .ndjson: break
        }
        var written = 0
        var bytes: [UInt8] = []
        // The next batch is read while this one is encoded and sent: one batch ahead at most.
        var next = Task { try await window(after: 0, format: format) }
        while true {
            let window = try await next.value
            guard let lastID = window.last?.id else { break }
            next = Task { try await self.window(after: lastID, format: format) }
            let missing = window.compactMap { $0.line == nil ? $0.id : nil }
            let rendered = missing.isEmpty ? [:] : try await rows(for: missing)
            bytes.removeAll(keepingCapacity: true)
            for (id, line) in window {
                let row = line == nil ? rendered[id] : nil
                // A case deleted since the window was read has neither.
                guard line != nil || row != nil else { continue }
                if format == .json { bytes.append(contentsOf: written == 0 ? [10] : [UInt8(ascii: ","), 10]) }
                if let line {
                    bytes.append(contentsOf: line.utf8)
                } else if let row {
                    if format == .csv { CaseExport.appendCSV(row, to: &bytes) } else { CaseExport.appendJSON(row, to: &bytes) }
                }
                if format == .ndjson { bytes.append(10) }
                written += 1
            }
            do {
                try await write(ByteBuffer(bytes: bytes))
            } catch {
                next.cancel()
                throw error
            }
            progress(written)
        }
        if format == .json { try await write(ByteBuffer(string: "\n]\n")) }
    }

    private static let utc = TimeZone(identifier: "UTC")!

    /// The next published cases after `id` in id order, each with its stored line in the
    /// format's column when there is a current one; empty at the end.
    ///
    /// Each query reads a bounded range of ids, so the database walks the primary key instead of
    /// an index on type and status followed by a sort of every case (which made each batch as
    /// slow as the whole library is large). Ranges without cases are skipped.
    func window(after id: Int64, format: Format) async throws -> [(id: Int64, line: String?)] {
        let column = format == .csv ? "csv" : "json"
        var start = id
        while true {
            guard let next = try await sql.raw("SELECT MIN(id) AS id FROM items WHERE id > \(bind: start)").first()?
                .decode(column: "id", as: Int64?.self)
            else { return [] }
            let end = next + Int64(Self.batchSize) * 4
            // The range is read in a subquery with its own LIMIT, which SQLite does not flatten:
            // otherwise it picks the (type, status, published_at) index and sorts every case.
            let found = try await sql.bulkRows("""
                SELECT w.id AS id, e.\(unsafeRaw: column) AS line FROM \
                (SELECT id, type, status, published_at FROM items \
                WHERE id >= \(bind: next) AND id < \(bind: end) ORDER BY id LIMIT \(literal: Self.batchSize * 4)) AS w \
                LEFT JOIN export_rows e ON e.item_id = w.id AND e.base_url = \(bind: baseURL) \
                WHERE w.type = \(bind: ContentType.caseStudy.rawValue) AND w.status IN (\(binds: WorkflowStatus.publicStatuses.map(\.rawValue))) \
                AND w.published_at <= \(bind: now) ORDER BY w.id LIMIT \(literal: Self.batchSize)
                """, columns: [("id", .integer), ("line", .text)])
            if !found.isEmpty {
                return found.compactMap { row in row[0].integer.map { ($0, row[1].text) } }
            }
            start = end - 1
        }
    }

    /// Cases rendered from their fields and terms, by id (ids of deleted cases are left out).
    func rows(for ids: [Int64]) async throws -> [Int64: CaseExport.Row] {
        guard let first = ids.min(), let last = ids.max() else { return [:] }
        let items = try await sql.bulkRows("""
            SELECT id, slug, title, summary, published_at, updated_at, language FROM items WHERE id IN (\(binds: ids))
            """, columns: [("id", .integer), ("slug", .text), ("title", .text), ("summary", .text), ("published_at", .integer),
                           ("updated_at", .integer), ("language", .text)])
        var rows: [Int64: CaseExport.Row] = [:]
        rows.reserveCapacity(items.count)
        let index = CaseExport.index
        for item in items {
            guard let itemID = item[0].integer, let slug = item[1].text else { continue }
            var row = CaseExport.Row()
            row.values[index["id"]!] = .integer(itemID)
            row.values[index["slug"]!] = .text(slug)
            row.values[index["url"]!] = .text(baseURL + SiteURL.item(.caseStudy, slug: slug).path)
            row.values[index["title"]!] = .text(item[2].text ?? "")
            row.values[index["summary"]!] = .text(item[3].text ?? "")
            row.values[index["published_at"]!] = item[4].integer.map { .text(MomentFormatter.rfc3339($0, in: Self.utc)) } ?? .null
            row.values[index["updated_at"]!] = item[5].integer.map { .text(MomentFormatter.rfc3339($0, in: Self.utc)) } ?? .null
            row.values[index["language"]!] = .text(item[6].text ?? "")
            rows[itemID] = row
        }
        // Fields and terms come sorted by item; the range may hold other items, which are skipped.
        let fields = try await sql.bulkRows("""
            SELECT item_id, name, text_value, number_value FROM item_fields \
            WHERE item_id >= \(bind: first) AND item_id <= \(bind: last) ORDER BY item_id, name, position
            """, columns: [("item_id", .integer), ("name", .text), ("text_value", .text), ("number_value", .integer)])
        for field in fields {
            guard let itemID = field[0].integer, rows[itemID] != nil, let name = field[1].text, let column = index[name] else { continue }
            switch CaseExport.columns[column].type {
            case .integer:
                if let number = field[3].integer { rows[itemID]!.values[column] = .integer(number) }
            case .list:
                rows[itemID]!.append(field[2].text ?? "", to: column)
            case .text, .url, .dateTime:
                if let text = field[2].text { rows[itemID]!.values[column] = .text(text) }
            }
        }
        let terms = try await sql.bulkRows("""
            SELECT it.item_id, t.vocabulary, t.name FROM item_terms it JOIN terms t ON t.id = it.term_id \
            WHERE it.item_id >= \(bind: first) AND it.item_id <= \(bind: last) AND t.hidden = \(bind: false) \
            ORDER BY it.item_id, t.vocabulary, it.position
            """, columns: [("item_id", .integer), ("vocabulary", .text), ("name", .text)])
        for term in terms {
            guard let itemID = term[0].integer, rows[itemID] != nil, let vocabulary = term[1].text, let name = term[2].text,
                  let columnName = CaseExport.termColumns[Vocabulary(vocabulary)], let column = index[columnName]
            else { continue }
            rows[itemID]!.append(name, to: column)
        }
        return rows
    }
}
