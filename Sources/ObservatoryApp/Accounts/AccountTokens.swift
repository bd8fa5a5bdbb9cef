import Foundation
import SQLKit

/// Single-use tokens sent by mail: address verification, password reset, address change.
/// Stored as SHA-256 only; each expires, and using one marks it used in the same statement
/// that checks it, so two clicks (or two instances) can never both succeed.
struct AccountTokens {
    enum Purpose: String, Sendable {
        case verifyEmail = "verify-email"
        case resetPassword = "reset-password"
        case changeEmail = "change-email"

        /// How long a link stays valid.
        var lifetime: Int64 {
            switch self {
            case .verifyEmail: 48 * 3_600
            case .resetPassword: 3_600
            case .changeEmail: 24 * 3_600
            }
        }
    }

    /// Decoded straight from the token's `account_id` and `payload` columns.
    struct Claim: Decodable, Sendable {
        let accountID: Int64
        let payload: String?
    }

    let sql: any SQLDatabase
    let now: Int64

    /// A new token; earlier unused tokens of the same purpose for the account stop working.
    func issue(_ purpose: Purpose, accountID: Int64, payload: String? = nil) async throws -> String {
        try await sql.update("account_tokens").set("used_at", to: now)
            .where("account_id", .equal, accountID).where("purpose", .equal, purpose.rawValue)
            .where(SQLColumn("used_at"), .is, SQLLiteral.null).run()
        let token = SecretToken.generate()
        try await sql.insert(into: "account_tokens")
            .columns("token_hash", "purpose", "account_id", "payload", "created_at", "expires_at")
            .values(SQLBind(SecretToken.hash(token)), SQLBind(purpose.rawValue), SQLBind(accountID), SQLBind(payload),
                    SQLBind(now), SQLBind(now + purpose.lifetime))
            .run()
        return token
    }

    /// The claim of a token that is still good, without using it (to show the form it opens).
    func peek(_ token: String, _ purpose: Purpose) async throws -> Claim? {
        try await sql.select().columns("account_id", "payload").from("account_tokens")
            .where("token_hash", .equal, SecretToken.hash(token)).where("purpose", .equal, purpose.rawValue)
            .where(SQLColumn("used_at"), .is, SQLLiteral.null).where("expires_at", .greaterThan, now).first(as: Claim.self)
    }

    /// Uses a token: its claim if it was good, nil if unknown, used or expired.
    func consume(_ token: String, _ purpose: Purpose) async throws -> Claim? {
        try await sql.raw("""
            UPDATE account_tokens SET used_at = \(bind: now) \
            WHERE token_hash = \(bind: SecretToken.hash(token)) AND purpose = \(bind: purpose.rawValue) \
            AND used_at IS NULL AND expires_at > \(bind: now) RETURNING account_id, payload
            """).first(as: Claim.self)
    }
}
