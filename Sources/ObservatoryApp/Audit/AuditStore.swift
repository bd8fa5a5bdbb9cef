import Foundation
import ObservatoryCore
import SQLKit

/// One line of the audit log as administrators read it.
struct AuditRecord: Sendable {
    let at: Int64
    /// Nil for an action this version no longer knows.
    let action: AuditAction?
    let actorLabel: String?
    let targetType: String?
    let targetID: String?
    let targetLabel: String?
    let ip: String?
    /// The changed values before and after the action; empty when none were recorded.
    let before: [String: String]
    let after: [String: String]

    /// The columns as stored: the action by its raw value, the states as JSON text.
    fileprivate struct Row: Decodable, Sendable {
        let at: Int64
        let action: String
        let actorLabel: String?
        let targetType: String?
        let targetID: String?
        let targetLabel: String?
        let ip: String?
        let beforeState: String?
        let afterState: String?
    }

    fileprivate init(row: Row) {
        at = row.at
        action = AuditAction(rawValue: row.action)
        actorLabel = row.actorLabel
        targetType = row.targetType
        targetID = row.targetID
        targetLabel = row.targetLabel
        ip = row.ip
        before = AuditLog.decode(row.beforeState)
        after = AuditLog.decode(row.afterState)
    }
}

/// Reading the audit log (`AuditLog` writes it).
struct AuditStore {
    let sql: any SQLDatabase

    /// The entries `filter` selects on its page, newest first, and how many it selects in all.
    /// `start` and `end` bound the moments of its days: from `start` inclusive, before `end`.
    func page(_ filter: AuditFilter, start: Int64?, end: Int64?) async throws -> (total: Int, entries: [AuditRecord]) {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let start { conditions.append("at >= \(bind: start)") }
        if let end { conditions.append("at < \(bind: end)") }
        if let action = filter.action { conditions.append("action = \(bind: action.rawValue)") }
        if let actor = filter.actor { conditions.append("LOWER(COALESCE(actor_label, '')) LIKE \(bind: SQLLike.containing(actor)) \(unsafeRaw: SQLLike.escapeClause)") }
        if let target = filter.target { conditions.append("LOWER(COALESCE(target_label, '')) LIKE \(bind: SQLLike.containing(target)) \(unsafeRaw: SQLLike.escapeClause)") }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE \(whereClause)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let entries = try await sql.raw("""
            SELECT at, action, actor_label, target_type, target_id, target_label, ip, before_state, after_state \
            FROM audit_events WHERE \(whereClause) ORDER BY at DESC, id DESC \
            LIMIT \(literal: AuditFilter.pageSize) OFFSET \(literal: filter.page.offset(pageSize: AuditFilter.pageSize))
            """).all(as: AuditRecord.Row.self).map(AuditRecord.init(row:))
        return (total, entries)
    }
}
