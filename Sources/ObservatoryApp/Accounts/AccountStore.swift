import Foundation
import ObservatoryCore
import SQLKit

/// One account as stored.
struct AccountRecord: Sendable {
    let id: Int64
    let email: String
    let name: String
    let organisation: String
    let countryCode: String
    let passwordHash: String
    let role: Role
    let status: AccountStatus
    let emailVerifiedAt: Int64?
    let reviewedAt: Int64?
    let createdAt: Int64

    static let columns = ["id", "email", "name", "organisation", "country_code", "password_hash", "role", "status",
                          "email_verified_at", "reviewed_at", "created_at"]

    /// The columns as stored: role and status are text, read into their enumerations below.
    private struct Row: Decodable, Sendable {
        let id: Int64
        let email: String
        let name: String
        let organisation: String
        let countryCode: String
        let passwordHash: String
        let role: String
        let status: String
        let emailVerifiedAt: Int64?
        let reviewedAt: Int64?
        let createdAt: Int64
    }

    init(row: any SQLRow) throws {
        let stored = try row.decode(Row.self)
        id = stored.id
        email = stored.email
        name = stored.name
        organisation = stored.organisation
        countryCode = stored.countryCode
        passwordHash = stored.passwordHash
        role = Role(rawValue: stored.role) ?? .contributor
        status = AccountStatus(rawValue: stored.status) ?? .suspended
        emailVerifiedAt = stored.emailVerifiedAt
        reviewedAt = stored.reviewedAt
        createdAt = stored.createdAt
    }

    var target: AuditEntry.Target { AuditEntry.account(id: id, email: email) }
}

/// Reads and writes accounts.
struct AccountStore {
    let sql: any SQLDatabase
    let now: Int64

    func find(email: EmailAddress) async throws -> AccountRecord? {
        try await sql.select().columns(AccountRecord.columns).from("accounts")
            .where("email_key", .equal, email.lookupKey).first().map(AccountRecord.init(row:))
    }

    func find(id: Int64) async throws -> AccountRecord? {
        try await sql.select().columns(AccountRecord.columns).from("accounts")
            .where("id", .equal, id).first().map(AccountRecord.init(row:))
    }

    func create(email: EmailAddress, name: String, organisation: String, countryCode: String, passwordHash: String,
                role: Role, status: AccountStatus, verified: Bool = false) async throws -> Int64 {
        let row = try await sql.insert(into: "accounts")
            .columns("email", "email_key", "name", "organisation", "country_code", "password_hash", "role", "status",
                     "email_verified_at", "created_at", "updated_at")
            .values(SQLBind(email.value), SQLBind(email.lookupKey), SQLBind(name), SQLBind(organisation), SQLBind(countryCode),
                    SQLBind(passwordHash), SQLBind(role.rawValue), SQLBind(status.rawValue), SQLBind(verified ? now : nil),
                    SQLBind(now), SQLBind(now))
            .returning("id").first()
        guard let row else { throw AccountStoreError.notCreated }
        return try row.decode(column: "id", as: Int64.self)
    }

    func setPassword(id: Int64, hash: String) async throws {
        try await sql.update("accounts").set("password_hash", to: hash).set("updated_at", to: now).where("id", .equal, id).run()
    }

    func setEmail(id: Int64, email: EmailAddress) async throws {
        try await sql.update("accounts").set("email", to: email.value).set("email_key", to: email.lookupKey)
            .set("email_verified_at", to: now).set("updated_at", to: now).where("id", .equal, id).run()
    }

    func markVerified(id: Int64) async throws {
        try await sql.update("accounts").set("email_verified_at", to: now).set("updated_at", to: now)
            .where("id", .equal, id).where(SQLColumn("email_verified_at"), .is, SQLLiteral.null).run()
    }

    func setStatus(id: Int64, status: AccountStatus, reviewer: Int64?) async throws {
        try await sql.update("accounts").set("status", to: status.rawValue).set("reviewed_by", to: SQLBind(reviewer))
            .set("reviewed_at", to: now).set("updated_at", to: now).where("id", .equal, id).run()
    }

    func setRole(id: Int64, role: Role) async throws {
        try await sql.update("accounts").set("role", to: role.rawValue).set("updated_at", to: now).where("id", .equal, id).run()
    }

    func count(status: AccountStatus? = nil, role: Role? = nil) async throws -> Int {
        var query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("accounts")
        if let status { query = query.where("status", .equal, status.rawValue) }
        if let role { query = query.where("role", .equal, role.rawValue) }
        return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
    }

    struct Filter: Sendable {
        var status: AccountStatus?
        var role: Role?
        var search: String?
        var page: PageNumber = .first
        static let pageSize = 50
    }

    /// Accounts matching a filter, pending ones first, then newest first.
    func list(_ filter: Filter) async throws -> (accounts: [AccountRecord], total: Int) {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status = filter.status { conditions.append("status = \(bind: status.rawValue)") }
        if let role = filter.role { conditions.append("role = \(bind: role.rawValue)") }
        if let search = filter.search, !search.isEmpty {
            let pattern = SQLLike.containing(search)
            conditions.append("(email_key LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause) OR LOWER(name) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause))")
        }
        let whereClause = conditions.joined(separator: " AND ")
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM accounts WHERE \(whereClause)")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        let offset = filter.page.offset(pageSize: Filter.pageSize)
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: AccountRecord.columns.joined(separator: ", ")) FROM accounts WHERE \(whereClause) \
            ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, created_at DESC, id DESC \
            LIMIT \(literal: Filter.pageSize) OFFSET \(literal: offset)
            """).all()
        return (try rows.map(AccountRecord.init(row:)), total)
    }

    /// Active editors and administrators, who receive what the contact form sends.
    func staffAddresses() async throws -> [String] {
        try await sql.select().column("email").from("accounts")
            .where("role", .in, [Role.editor.rawValue, Role.admin.rawValue]).where("status", .equal, AccountStatus.active.rawValue)
            .orderBy(SQLColumn("id"), SQLDirection.ascending).all(decodingColumn: "email", as: String.self)
    }
}

enum AccountStoreError: Error {
    case notCreated
}
