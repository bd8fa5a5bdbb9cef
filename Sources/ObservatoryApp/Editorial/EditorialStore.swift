import ObservatoryCore
import SQLKit

/// The editors' view of every item, whatever its state: one page of the content list with the
/// counts its type and status filters show.
struct EditorialStore {
    let sql: any SQLDatabase

    /// An item as the editors' list shows it.
    struct Entry: Sendable {
        let id: Int64
        let type: ContentType
        let title: String
        let status: WorkflowStatus
        let publishedAt: Int64?
        let updatedAt: Int64

        fileprivate init(row: EntryRow) {
            id = row.id
            type = ContentType(rawValue: row.type) ?? .post
            title = row.title
            status = WorkflowStatus(rawValue: row.status) ?? .draft
            publishedAt = row.publishedAt
            updatedAt = row.updatedAt
        }
    }

    /// One page of the list.
    struct Page: Sendable {
        /// Matching items per stored type, within the status filter.
        let typeCounts: [String: Int]
        /// Matching items per stored status, within the type filter.
        let statusCounts: [String: Int]
        /// Items matching every filter.
        let total: Int
        let entries: [Entry]
    }

    /// Items whose title contains `search` (every item when it is empty), optionally of one type
    /// and one status, the most recently changed first.
    func list(type: ContentType?, status: WorkflowStatus?, search: String, page: PageNumber, pageSize: Int) async throws -> Page {
        var conditions: [SQLQueryString] = []
        if !search.isEmpty { conditions.append("LOWER(title) LIKE \(bind: SQLLike.containing(search)) \(unsafeRaw: SQLLike.escapeClause)") }
        func whereClause(_ extra: [SQLQueryString]) -> SQLQueryString {
            let all = conditions + extra
            return all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
        }
        var typeCounts: [String: Int] = [:]
        for row in try await sql.raw("SELECT type, COUNT(*) AS n FROM items \(whereClause(status.map { ["status = \(bind: $0.rawValue)"] } ?? [])) GROUP BY type")
            .all(as: TypeCountRow.self) {
            typeCounts[row.type] = row.n
        }
        var statusCounts: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM items \(whereClause(type.map { ["type = \(bind: $0.rawValue)"] } ?? [])) GROUP BY status")
            .all(as: StatusCountRow.self) {
            statusCounts[row.status] = row.n
        }
        var filters = conditions
        if let type { filters.append("type = \(bind: type.rawValue)") }
        if let status { filters.append("status = \(bind: status.rawValue)") }
        let condition: SQLQueryString = filters.isEmpty ? "" : "WHERE " + filters.joined(separator: " AND ")
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM items \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
        let entries = try await sql.raw("""
            SELECT id, type, title, slug, status, published_at, updated_at FROM items \(condition) \
            ORDER BY updated_at DESC, id DESC LIMIT \(literal: pageSize) OFFSET \(literal: page.offset(pageSize: pageSize))
            """).all(as: EntryRow.self).map(Entry.init(row:))
        return Page(typeCounts: typeCounts, statusCounts: statusCounts, total: total, entries: entries)
    }

    private struct TypeCountRow: Decodable, Sendable {
        let type: String
        let n: Int
    }

    private struct StatusCountRow: Decodable, Sendable {
        let status: String
        let n: Int
    }

    fileprivate struct EntryRow: Decodable, Sendable {
        let id: Int64
        let type: String
        let title: String
        let status: String
        let publishedAt: Int64?
        let updatedAt: Int64
    }
}
