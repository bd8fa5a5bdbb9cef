import Foundation

/// iCalendar (RFC 5545) for events: one calendar of one or more events, times in UTC, text
/// escaped and lines folded at 75 octets as the standard asks.
public enum ICalendar {
    public struct Event: Sendable {
        public let uid: String
        public let title: String
        public let description: String
        public let url: String
        public let starts: Int64
        public let ends: Int64?
        public let location: String?
        public let updated: Int64

        public init(uid: String, title: String, description: String, url: String, starts: Int64, ends: Int64?, location: String?, updated: Int64) {
            self.uid = uid
            self.title = title
            self.description = description
            self.url = url
            self.starts = starts
            self.ends = ends
            self.location = location
            self.updated = updated
        }
    }

    public static func calendar(name: String, events: [Event], now: Int64) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Observatory//Events//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name)]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + escape(event.uid), "DTSTAMP:" + utc(now), "LAST-MODIFIED:" + utc(event.updated),
                      "DTSTART:" + utc(event.starts)]
            if let ends = event.ends, ends > event.starts { lines.append("DTEND:" + utc(ends)) }
            lines += ["SUMMARY:" + escape(event.title), "DESCRIPTION:" + escape(event.description), "URL:" + event.url]
            if let location = event.location, !location.isEmpty { lines.append("LOCATION:" + escape(location)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A moment as `YYYYMMDDTHHMMSSZ`.
    static func utc(_ seconds: Int64) -> String {
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let date = CalendarDate(daysSince1970: days)
        let second = Int(seconds - Int64(days) * 86_400)
        func pad(_ value: Int, _ width: Int = 2) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(date.year, 4))\(pad(date.month))\(pad(date.day))T\(pad(second / 3_600))\(pad(second / 60 % 60))\(pad(second % 60))Z"
    }

    /// TEXT values: backslash, semicolon, comma and new lines escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r\n", "\r": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a
    /// UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = character.utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
