import Foundation

/// Writes moments for people, always saying which time zone they are in.
public struct MomentFormatter: Sendable {
    public let localizer: Localizer

    public init(localizer: Localizer) {
        self.localizer = localizer
    }

    /// "8 March 2025", the calendar day of the moment in `zone`.
    public func date(_ seconds: Int64, in zone: TimeZone) -> String {
        let (date, _) = Self.local(seconds, in: zone)
        return dayMonthYear(date)
    }

    public func dayMonthYear(_ date: CalendarDate) -> String {
        localizer("date.dayMonthYear", [
            "day": String(date.day), "month": localizer(L10nKey("month.\(date.month)")), "year": String(date.year),
        ])
    }

    /// "March 2025".
    public func monthYear(year: Int, month: Int) -> String {
        localizer("date.monthYear", ["month": localizer(L10nKey("month.\(month)")), "year": String(year)])
    }

    /// "16 May 2022, 09:00 (America/Toronto, UTC−04:00)".
    public func dateTime(_ seconds: Int64, in zone: TimeZone) -> String {
        let (date, secondsOfDay) = Self.local(seconds, in: zone)
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        if ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier) {
            return localizer("date.dateTimeUTC", ["date": dayMonthYear(date), "time": Self.clock(secondsOfDay)])
        }
        return localizer("date.dateTimeZone", [
            "date": dayMonthYear(date), "time": Self.clock(secondsOfDay),
            "zone": zone.identifier, "offset": Self.offsetLabel(offset),
        ])
    }

    /// "UTC", "UTC+05:45", "UTC−04:00" (with a true minus sign).
    public static func offsetLabel(_ offsetSeconds: Int) -> String {
        guard offsetSeconds != 0 else { return "UTC" }
        let magnitude = abs(offsetSeconds)
        return "UTC" + (offsetSeconds < 0 ? "\u{2212}" : "+") + pad(magnitude / 3600) + ":" + pad(magnitude / 60 % 60)
    }

    /// Coordinated Universal Time, for machine-readable dates (exports, feeds, logs).
    public static let utc = TimeZone(secondsFromGMT: 0) ?? .current

    /// The moment as RFC 3339 in `zone`'s offset, for `<time datetime>`.
    public static func rfc3339(_ seconds: Int64, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return ZonedTimestamp(secondsSince1970: seconds, utcOffsetSeconds: offset).rfc3339
    }

    /// The calendar day and the seconds since local midnight of a moment in `zone`.
    public static func local(_ seconds: Int64, in zone: TimeZone) -> (CalendarDate, Int) {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let local = seconds + Int64(offset)
        let days = floorDivide(local, 86_400)
        return (CalendarDate(daysSince1970: Int(days)), Int(local - days * 86_400))
    }

    /// The first second of a month in `zone`, in seconds since 1970.
    public static func startOfMonth(year: Int, month: Int, in zone: TimeZone) -> Int64 {
        let localMidnight = Int64(CalendarDate.daysSince1970(year: year, month: month, day: 1)) * 86_400
        let guess = localMidnight - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localMidnight))))
        return localMidnight - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
    }

    static func clock(_ secondsOfDay: Int) -> String {
        pad(secondsOfDay / 3600) + ":" + pad(secondsOfDay / 60 % 60)
    }
}
