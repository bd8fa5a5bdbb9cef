import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The time as security rules see it (session expiry, tokens, rate-limit windows). Tests move
/// it forward instead of waiting.
final class SiteClock: Sendable {
    private let offset = NIOLockedValueBox<Int64>(0)
    private let frozen = NIOLockedValueBox<Int64?>(nil)

    /// Seconds since 1970.
    func now() -> Int64 {
        if let moment = frozen.withLockedValue({ $0 }) { return moment }
        return Int64(Date().timeIntervalSince1970) + offset.withLockedValue { $0 }
    }

    func advance(by seconds: Int64) {
        offset.withLockedValue { $0 += seconds }
        frozen.withLockedValue { moment in moment = moment.map { $0 + seconds } }
    }

    /// Stops the clock at `moment` (tests of deadlines to the second).
    func freeze(at moment: Int64) { frozen.withLockedValue { $0 = moment } }
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
