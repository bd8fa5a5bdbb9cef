/// When a call takes entries. Times are seconds since 1970 (UTC): a deadline given in a time
/// zone is turned into one instant once, so daylight-saving changes cannot move it.
public struct CallSchedule: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case upcoming
        case open
        case closed
    }

    public let opensAt: Int64?
    public let closesAt: Int64

    public init(opensAt: Int64?, closesAt: Int64) {
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// The call is open from `opensAt` included to `closesAt` excluded: a submission at the
    /// deadline's very second is late.
    public func phase(at now: Int64) -> Phase {
        if let opensAt, now < opensAt { return .upcoming }
        return now < closesAt ? .open : .closed
    }
}
