import Foundation

/// Dates as internet messages write them (`Thu, 01 Jan 1970 00:00:00 +0000`): RSS (RFC 822),
/// mail headers (RFC 5322) and, with `GMT` for the zone, HTTP headers (RFC 9110).
enum InternetDate {
    static func string(_ seconds: Int64, zone: String = "+0000") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '\(zone)'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
