import Crypto
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Random tokens and their stored form. A token leaves the server only once (in a cookie or
/// a mailed link); the database keeps its SHA-256, so a copy of the database opens nothing.
enum SecretToken {
    /// 32 random bytes as URL-safe text.
    static func generate() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// The key that signs form stamps, shared by every app instance through the database.
final class SiteSecrets: Sendable {
    private let signingKey = NIOLockedValueBox<SymmetricKey?>(nil)

    func formSigningKey(_ sql: any SQLDatabase) async throws -> SymmetricKey {
        if let key = signingKey.withLockedValue({ $0 }) { return key }
        guard let row = try await sql.select().column("value").from("site_secrets")
            .where("name", .equal, "form_signing").first()
        else { throw Abort(.internalServerError, reason: "The form signing secret is missing; run the migrations.") }
        let key = SymmetricKey(data: Data(try row.decode(column: "value", as: String.self).utf8))
        signingKey.withLockedValue { $0 = key }
        return key
    }
}

extension Application {
    private struct SiteSecretsKey: StorageKey {
        typealias Value = SiteSecrets
    }

    /// Set once by `configure`.
    var secrets: SiteSecrets {
        get { storage[SiteSecretsKey.self] ?? SiteSecrets() }
        set { storage[SiteSecretsKey.self] = newValue }
    }
}

extension Request {
    /// The client's address: the connection's peer, or behind a trusted load balancer the
    /// last address it appended to `X-Forwarded-For`.
    var clientAddress: String {
        if application.siteSettings.trustForwardedFor,
           let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last?
               .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return String(forwarded.prefix(64))
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }

}
