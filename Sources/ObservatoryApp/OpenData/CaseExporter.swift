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
    func export(_ format: Format, write: (String) async throws -> Void, progress: (Int) -> Void = { _ in }) async throws {
        switch format {
        case .csv: try await write(CaseExport.csvHeader)
        case .json: try await write("[")
        case .ndjson: break
        }
        var last: Int64 = 0
        var written = 0
        while true {
            let rows = try await batch(after: last)
            guard let lastID = rows.last?.id else { break }
            var chunk = ""
            chunk.reserveCapacity(rows.count * 2_048)
            for (id, row) in rows {
                _ = id
                switch format {
                case .csv: chunk += CaseExport.csvLine(row)
                case .json: chunk += (written == 0 ? "\n" : ",\n") + CaseExport.jsonObject(row)
                case .ndjson: chunk += CaseExport.jsonObject(row) + "\n"
                }
                written += 1
            }
            try await write(chunk)
            progress(written)
            last = lastID
        }
        if format == .json { try await write("\n]\n") }
    }

    private static let utc = TimeZone(identifier: "UTC")!

    /// The next batch of cases after `id`, each with its fields and terms.
    func batch(after id: Int64) async throws -> [(id: Int64, row: CaseExport.Row)] {
        let items = try await BulkRead.rows(sql, """
            SELECT id, slug, title, summary, published_at, updated_at, language FROM items \
            WHERE type = \(bind: ContentType.caseStudy.rawValue) AND status IN (\(binds: WorkflowStatus.publicStatuses.map(\.rawValue))) \
            AND published_at <= \(bind: now) AND id > \(bind: id) ORDER BY id LIMIT \(literal: Self.batchSize)
            """, columns: [("id", .integer), ("slug", .text), ("title", .text), ("summary", .text), ("published_at", .integer),
                           ("updated_at", .integer), ("language", .text)])
        guard let first = items.first?[0].integer, let last = items.last?[0].integer else { return [] }
        var rows: [Int64: CaseExport.Row] = [:]
        var order: [Int64] = []
        for item in items {
            guard let itemID = item[0].integer, let slug = item[1].text else { continue }
            order.append(itemID)
            rows[itemID] = [
                "id": .integer(itemID), "slug": .text(slug), "url": .text(baseURL + SiteURL.item(.caseStudy, slug: slug).path),
                "title": .text(item[2].text ?? ""), "summary": .text(item[3].text ?? ""),
                "published_at": item[4].integer.map { .text(MomentFormatter.rfc3339($0, in: Self.utc)) } ?? .null,
                "updated_at": item[5].integer.map { .text(MomentFormatter.rfc3339($0, in: Self.utc)) } ?? .null,
                "language": .text(item[6].text ?? ""),
            ]
        }
        let fieldTypes = Dictionary(uniqueKeysWithValues: CaseExport.columns.map { ($0.name, $0.type) })
        let fields = try await BulkRead.rows(sql, """
            SELECT item_id, name, text_value, number_value FROM item_fields \
            WHERE item_id >= \(bind: first) AND item_id <= \(bind: last) ORDER BY item_id, name, position
            """, columns: [("item_id", .integer), ("name", .text), ("text_value", .text), ("number_value", .integer)])
        for field in fields {
            guard let itemID = field[0].integer, rows[itemID] != nil, let name = field[1].text, let type = fieldTypes[name] else { continue }
            switch type {
            case .integer:
                if let number = field[3].integer { rows[itemID]?[name] = .integer(number) }
            case .list:
                if case .list(let values)? = rows[itemID]?[name] {
                    rows[itemID]?[name] = .list(values + [field[2].text ?? ""])
                } else {
                    rows[itemID]?[name] = .list([field[2].text ?? ""])
                }
            case .text, .url, .dateTime:
                if let text = field[2].text { rows[itemID]?[name] = .text(text) }
            }
        }
        let terms = try await BulkRead.rows(sql, """
            SELECT it.item_id, t.vocabulary, t.name FROM item_terms it JOIN terms t ON t.id = it.term_id \
            WHERE it.item_id >= \(bind: first) AND it.item_id <= \(bind: last) ORDER BY it.item_id, t.vocabulary, it.position
            """, columns: [("item_id", .integer), ("vocabulary", .text), ("name", .text)])
        for term in terms {
            guard let itemID = term[0].integer, rows[itemID] != nil, let vocabulary = term[1].text, let name = term[2].text,
                  let column = CaseExport.termColumns[Vocabulary(vocabulary)]
            else { continue }
            if case .list(let values)? = rows[itemID]?[column] {
                rows[itemID]?[column] = .list(values + [name])
            } else {
                rows[itemID]?[column] = .list([name])
            }
        }
        return order.compactMap { itemID in rows[itemID].map { (itemID, $0) } }
    }
}
