import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Who did what to what, when and from where: security and editorial actions, kept for
/// administrators. Written in the same transaction as the action it records.
struct AuditEntry: Sendable {
    struct Target: Sendable {
        let type: String
        let id: String
        let label: String
    }

    var action: AuditAction
    var actorID: Int64?
    var actorLabel: String?
    var target: Target?
    var ip: String?
    var before: [String: String]?
    var after: [String: String]?

    init(_ action: AuditAction, actorID: Int64? = nil, actorLabel: String? = nil, target: Target? = nil,
         ip: String? = nil, before: [String: String]? = nil, after: [String: String]? = nil) {
        self.action = action
        self.actorID = actorID
        self.actorLabel = actorLabel
        self.target = target
        self.ip = ip
        self.before = before
        self.after = after
    }

    static func account(id: Int64, email: String) -> Target { Target(type: "account", id: String(id), label: email) }
}

enum AuditLog {
    static func record(_ entry: AuditEntry, at now: Int64, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "audit_events")
            .columns("at", "action", "actor_id", "actor_label", "target_type", "target_id", "target_label", "ip",
                     "before_state", "after_state")
            .values(SQLBind(now), SQLBind(entry.action.rawValue), SQLBind(entry.actorID), SQLBind(entry.actorLabel),
                    SQLBind(entry.target?.type), SQLBind(entry.target?.id), SQLBind(entry.target?.label), SQLBind(entry.ip),
                    SQLBind(encode(entry.before)), SQLBind(encode(entry.after)))
            .run()
    }

    static func encode(_ state: [String: String]?) -> String? {
        guard let state else { return nil }
        let data = try? JSONSerialization.data(withJSONObject: state, options: [.sortedKeys])
        return data.map { String(decoding: $0, as: UTF8.self) }
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String] else { return [:] }
        return object
    }
}

extension Request {
    /// An audit entry for an action by whoever is signed in on this request.
    func audit(_ action: AuditAction, target: AuditEntry.Target? = nil, before: [String: String]? = nil,
               after: [String: String]? = nil, on sql: (any SQLDatabase)? = nil) async throws {
        let entry = AuditEntry(action, actorID: signedIn?.accountID, actorLabel: signedIn?.email, target: target,
                               ip: clientAddress, before: before, after: after)
        try await AuditLog.record(entry, at: application.clock.now(), on: sql ?? self.sql)
    }
}
