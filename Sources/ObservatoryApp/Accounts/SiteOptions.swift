import Foundation
import ObservatoryCore
import SQLKit

/// Settings that administrators change on the site itself (the rest come from the
/// environment). Read from the database on use, so every instance sees a change at once.
struct SiteOptions: Sendable, Equatable {
    /// New contributor accounts wait for an editor's approval.
    var approvalRequired = true
    /// Anyone may open an account.
    var registrationOpen = true

    static let names = ["accounts.approval_required", "accounts.registration_open"]

    private struct Row: Decodable, Sendable {
        let name: String
        let value: String
    }

    static func read(_ sql: any SQLDatabase) async throws -> SiteOptions {
        var options = SiteOptions()
        for row in try await sql.select().columns("name", "value").from("site_options").all(as: Row.self) {
            let value = row.value == "on"
            switch row.name {
            case "accounts.approval_required": options.approvalRequired = value
            case "accounts.registration_open": options.registrationOpen = value
            default: break
            }
        }
        return options
    }

    var values: [String: String] {
        ["accounts.approval_required": approvalRequired ? "on" : "off",
         "accounts.registration_open": registrationOpen ? "on" : "off"]
    }

    func write(_ sql: any SQLDatabase, now: Int64) async throws {
        for (name, value) in values {
            try await sql.raw("""
                INSERT INTO site_options (name, value, updated_at) VALUES (\(bind: name), \(bind: value), \(bind: now)) \
                ON CONFLICT (name) DO UPDATE SET value = \(bind: value), updated_at = \(bind: now)
                """).run()
        }
    }
}
