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

import Foundation

/// A wall-clock time typed in a form (`YYYY-MM-DDTHH:MM`, as `<input type="datetime-local">`
/// sends it) in an IANA time zone, turned into one instant.
public enum LocalDateTime {
    public enum Problem: Error, Equatable {
        case malformed
        /// The clocks jump over this time in that zone (the start of summer time).
        case skipped
    }

    public static func instant(_ text: String, in zone: TimeZone) throws -> Int64 {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == ":" || $0 == " " }).compactMap { Int($0) }
        guard parts.count == 5 || parts.count == 6, (1...9_999).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]),
              (0...23).contains(parts[3]), (0...59).contains(parts[4]), parts.count == 5 || (0...59).contains(parts[5])
        else { throw Problem.malformed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let wanted = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                                    second: parts.count == 6 ? parts[5] : 0)
        guard let date = calendar.date(from: wanted) else { throw Problem.malformed }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.day == parts[2], back.month == parts[1] else { throw Problem.malformed }
        guard back.hour == parts[3], back.minute == parts[4] else { throw Problem.skipped }
        // In the repeated hour at the end of summer time, the earlier instant is meant.
        let earlier = date.addingTimeInterval(-3_600)
        let earlierBack = calendar.dateComponents([.hour, .minute, .day], from: earlier)
        if earlierBack.hour == parts[3], earlierBack.minute == parts[4], earlierBack.day == parts[2] {
            return Int64(earlier.timeIntervalSince1970)
        }
        return Int64(date.timeIntervalSince1970)
    }

    /// The instant as `YYYY-MM-DDTHH:MM` in `zone`, to fill a form field.
    public static func text(_ instant: Int64, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        func pad(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : String($0) } ?? "00" }
        return "\(parts.year ?? 1970)-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute))"
    }
}
