import Foundation
import Testing
@testable import ObservatoryCore

@Suite("Timestamps and dates")
struct TimestampTests {
    @Test func parsesUTCAndOffsets() throws {
        let utc = try #require(ZonedTimestamp(rfc3339: "2025-03-08T04:54:22Z"))
        #expect(utc.secondsSince1970 == 1_741_409_662)
        #expect(utc.rfc3339 == "2025-03-08T04:54:22Z")
        let toronto = try #require(ZonedTimestamp(rfc3339: "2022-05-16T09:00:00-04:00"))
        #expect(toronto.secondsSince1970 == 1_652_706_000)
        #expect(toronto.utcOffsetSeconds == -14_400)
        #expect(toronto.rfc3339 == "2022-05-16T09:00:00-04:00")
        let kathmandu = try #require(ZonedTimestamp(rfc3339: "2024-01-01T00:00:00.250+05:45"))
        #expect(kathmandu.secondsSince1970 == 1_704_046_500)
    }

    @Test(arguments: ["2020-13-01T00:00:00Z", "2021-02-29T00:00:00Z", "2020-01-01 00:00", "2020-01-01T00:00:00",
                      "2020-01-01T24:00:00Z", "2020-01-01T00:00:00+5:00", "yesterday", ""])
    func rejectsMalformed(_ text: String) {
        #expect(ZonedTimestamp(rfc3339: text) == nil)
    }

    @Test func calendarDatesRoundTrip() throws {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CalendarDate(daysSince1970: days)
            #expect(date.daysSince1970 == days)
        }
        #expect(CalendarDate(iso8601: "2024-02-29")?.daysSince1970 == 19_782)
        #expect(CalendarDate(iso8601: "2023-02-29") == nil)
        #expect(CalendarDate(iso8601: "2023-2-01") == nil)
    }

    @Test func formatsWithTimeZones() throws {
        let formatter = MomentFormatter(localizer: .english)
        let toronto = try #require(TimeZone(identifier: "America/Toronto"))
        #expect(formatter.dateTime(1_652_706_000, in: toronto) == "16 May 2022, 09:00 (America/Toronto, UTC−04:00)")
        let kathmandu = try #require(TimeZone(identifier: "Asia/Kathmandu"))
        #expect(MomentFormatter.rfc3339(1_704_046_500, in: kathmandu) == "2024-01-01T00:00:00+05:45")
        // Month boundaries follow the zone, daylight saving included: 1 April 2024 00:00 in Paris is 22:00 UTC.
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        #expect(MomentFormatter.startOfMonth(year: 2024, month: 4, in: paris) == 1_711_922_400)
        #expect(MomentFormatter.startOfMonth(year: 2024, month: 1, in: paris) == 1_704_063_600)
    }
}
