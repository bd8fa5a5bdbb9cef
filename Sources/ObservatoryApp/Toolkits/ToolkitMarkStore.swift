import ObservatoryCore
import SQLKit

/// What signed-in readers said about toolkits: saved, used.
struct ToolkitMarkStore {
    let sql: any SQLDatabase

    private struct CountRow: Decodable {
        let itemID: Int64
        let n: Int
    }

    /// Times each toolkit was marked `kind`, by item id.
    func counts(_ kind: ToolkitMark) async throws -> [Int64: Int] {
        let rows = try await sql.raw("SELECT item_id, COUNT(*) AS n FROM toolkit_marks WHERE kind = \(bind: kind.rawValue) GROUP BY item_id")
            .all(as: CountRow.self)
        return Dictionary(rows.map { ($0.itemID, $0.n) }, uniquingKeysWith: +)
    }

    private struct MarkRow: Decodable {
        let itemID: Int64
        let kind: String
    }

    /// The marks one reader put on any of `itemIDs`.
    func marks(accountID: Int64, itemIDs: [Int64]) async throws -> Set<ToolkitMarkKey> {
        guard !itemIDs.isEmpty else { return [] }
        let rows = try await sql.select().columns("item_id", "kind").from("toolkit_marks").where("account_id", .equal, accountID)
            .where("item_id", .in, itemIDs).all(as: MarkRow.self)
        return Set(rows.compactMap { row in ToolkitMark(rawValue: row.kind).map { ToolkitMarkKey(itemID: row.itemID, mark: $0) } })
    }

    /// Puts the mark on, or takes it back when it was there; whether it is on now.
    @discardableResult
    func toggle(_ kind: ToolkitMark, itemID: Int64, accountID: Int64, now: Int64) async throws -> Bool {
        let removed = try await sql.raw("""
            DELETE FROM toolkit_marks WHERE account_id = \(bind: accountID) AND item_id = \(bind: itemID) AND kind = \(bind: kind.rawValue) RETURNING item_id
            """).first() != nil
        if removed { return false }
        try await sql.raw("""
            INSERT INTO toolkit_marks (account_id, item_id, kind, created_at) VALUES (\(bind: accountID), \(bind: itemID), \(bind: kind.rawValue), \
            \(bind: now)) ON CONFLICT (account_id, item_id, kind) DO NOTHING
            """).run()
        return true
    }
}

/// One reader's mark on one toolkit.
struct ToolkitMarkKey: Hashable, Sendable {
    let itemID: Int64
    let mark: ToolkitMark
}
