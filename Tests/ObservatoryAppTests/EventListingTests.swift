import Foundation
import ObservatoryCore
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

@Suite("Events listings")
struct EventListingTests {
    static func event(_ title: String, starts: String, zone: String = "Europe/Paris") -> String {
        importLine(type: "event", title: title, published: "2020-01-01T00:00:00Z",
                   extra: ["fields": ["starts_at": starts, "ends_at": starts, "timezone": zone] as [String: Any]])
    }

    @Test(arguments: TestDatabase.allCases)
    func upcomingSoonestFirstPastLatestFirstAndEventsMoveWhenTheyStart(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            app.clock.freeze(at: try LocalDateTime.instant("2027-05-01T12:00", in: TimeZone(identifier: "UTC")!))
            try await app.importLines([
                Self.event("Summit in June", starts: "2027-06-10T09:00:00+02:00"),
                Self.event("Webinar tomorrow", starts: "2027-05-02T15:00:00+02:00"),
                Self.event("Forum last year", starts: "2026-11-05T10:00:00+01:00"),
                Self.event("Workshop in March", starts: "2027-03-01T10:00:00-05:00", zone: "America/New_York"),
            ])
            func titles(_ html: String) -> [String] {
                html.matches(of: /class="card-title"><a href="[^"]*">([^<]*)</).map { String($0.output.1) }
            }
            let upcoming = try await app.testing().sendRequest(.GET, "/events").body.string
            #expect(titles(upcoming) == ["Webinar tomorrow", "Summit in June"])
            // Shown at the event's own time, in its zone.
            #expect(upcoming.contains("2 May 2027") && upcoming.contains("15:00"))
            let past = try await app.testing().sendRequest(.GET, "/events?when=past").body.string
            #expect(titles(past) == ["Workshop in March", "Forum last year"])
            #expect(past.contains("aria-current=\"page\">Past"))
            let all = try await app.testing().sendRequest(.GET, "/events?when=all").body.string
            #expect(titles(all).count == 4)

            // The webinar starts: the cached listing changes by itself.
            app.clock.freeze(at: try LocalDateTime.instant("2027-05-02T13:30", in: TimeZone(identifier: "UTC")!))
            #expect(titles(try await app.testing().sendRequest(.GET, "/events").body.string) == ["Summit in June"])
            #expect(titles(try await app.testing().sendRequest(.GET, "/events?when=past").body.string).first == "Webinar tomorrow")
        }
    }
}
