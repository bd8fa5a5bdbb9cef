import Crypto
import Foundation
import ObservatoryCore
import Vapor

/// Hashes and checks passwords with bcrypt on the thread pool, off the event loops.
///
/// bcrypt reads at most 72 bytes, which a long or non-Latin password exceeds; the password
/// (normalised to NFKC) therefore goes in as its SHA-256, so every character counts.
struct PasswordHashing {
    let cost: Int
    let threadPool: NIOThreadPool
    let work: PasswordWork

    init(_ application: Application) {
        cost = application.siteSettings.passwordHashCost
        threadPool = application.threadPool
        work = application.passwordWork
    }

    static func prepared(_ password: String) -> String {
        Data(SHA256.hash(data: Data(PasswordPolicy.normalized(password).utf8))).base64EncodedString()
    }

    func hash(_ password: String) async throws -> String {
        let input = Self.prepared(password)
        let cost = cost
        work.count()
        return try await threadPool.runIfActive { try Bcrypt.hash(input, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        let input = Self.prepared(password)
        work.count()
        return try await threadPool.runIfActive { (try? Bcrypt.verify(input, created: hash)) ?? false }
    }

    /// Spends the time a real check would, so an unknown address answers as slowly as a known one.
    /// The decoy hash is made once, on the thread pool like every other bcrypt call.
    func verifyNothing() async throws {
        let cost = cost, input = Self.prepared("not a password")
        work.count()
        _ = try await threadPool.runIfActive { (try? Bcrypt.verify(input, created: try Self.decoyHash(cost: cost))) ?? false }
    }

    private static let decoys = NIOLockedValueBox<[Int: String]>([:])

    private static func decoyHash(cost: Int) throws -> String {
        if let hash = decoys.withLockedValue({ $0[cost] }) { return hash }
        let hash = try Bcrypt.hash(SecretToken.generate(), cost: cost)
        decoys.withLockedValue { $0[cost] = hash }
        return hash
    }
}

import NIOConcurrencyHelpers

/// How many bcrypt computations (hashes and checks) this instance has made: what answers that
/// must not reveal whether an account exists are compared by, and a figure for operators.
final class PasswordWork: Sendable {
    private let computations = NIOLockedValueBox(0)

    var total: Int { computations.withLockedValue { $0 } }

    func count() { computations.withLockedValue { $0 += 1 } }
}

extension Application {
    private struct PasswordWorkKey: StorageKey {
        typealias Value = PasswordWork
    }

    /// Set once by `configure`, before any request: storage is not written while serving.
    var passwordWork: PasswordWork {
        get { storage[PasswordWorkKey.self] ?? PasswordWork() }
        set { storage[PasswordWorkKey.self] = newValue }
    }
}
