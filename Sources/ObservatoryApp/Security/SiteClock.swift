import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The time as security rules see it (session expiry, tokens, rate-limit windows). Tests move
/// it forward instead of waiting.
final class SiteClock: Sendable {
    private let offset = NIOLockedValueBox<Int64>(0)

    /// Seconds since 1970.
    func now() -> Int64 { Int64(Date().timeIntervalSince1970) + offset.withLockedValue { $0 } }

    func advance(by seconds: Int64) { offset.withLockedValue { $0 += seconds } }
}

extension Application {
    private struct SiteClockKey: StorageKey {
        typealias Value = SiteClock
    }

    /// Set once by `configure`.
    var clock: SiteClock {
        get { storage[SiteClockKey.self] ?? SiteClock() }
        set { storage[SiteClockKey.self] = newValue }
    }
}
