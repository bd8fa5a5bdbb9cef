import Foundation
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Page cache")
struct PageCacheTests {
    @Test(arguments: TestDatabase.allCases)
    func staysCurrentWhenAnotherInstanceWrites(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines)
            var etag = ""
            try await app.testing().test(.GET, "/search?type=post") { response in
                #expect(response.body.string.contains("Budgets and Trust"))
                etag = try #require(response.headers.first(name: .eTag))
            }
            #expect(app.pageCache.count == 1)
            try await app.testing().test(.GET, "/search?type=post", headers: ["If-None-Match": etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }

            // A second app instance on the same database changes a post.
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            try await configure(other, settings: app.siteSettings)
            try await other.importLines([importLine(
                type: "post", title: "Budgets and Public Trust", slug: "budgets-and-trust",
                published: "2017-01-15T09:00:00Z", body: "Open budgets build trust in government.")])
            try await other.asyncShutdown()

            try await app.testing().test(.GET, "/search?type=post", headers: ["If-None-Match": etag]) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Budgets and Public Trust"))
                #expect(response.headers.first(name: .eTag) != etag)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func scheduledItemsAndDeadlinesTakeEffectWithoutAWrite(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            // The site's clock stands still until the test moves it, however slow the machine.
            let start = Int64(Date().timeIntervalSince1970)
            app.clock.freeze(at: start)
            let soon = start + 60
            let stamp = ZonedStamp.rfc3339(soon)
            try await app.importLines([
                importLine(type: "news", title: "Already Out", published: "2020-01-01T00:00:00Z"),
                importLine(type: "news", title: "Embargoed Until Soon", published: stamp, extra: ["status": "scheduled"]),
                importLine(type: "call", title: "Closing Call", published: "2020-01-01T00:00:00Z", extra: ["fields": [
                    "opens_at": "2020-01-02T09:00:00Z", "closes_at": stamp, "timezone": "UTC",
                ] as [String: Any]]),
            ])
            try await app.testing().test(.GET, "/news") { response in
                #expect(response.body.string.contains("Already Out"))
                #expect(!response.body.string.contains("Embargoed Until Soon"))
            }
            try await app.testing().test(.GET, "/calls/closing-call") { response in
                #expect(response.body.string.contains("status-open"))
            }
            app.clock.advance(by: 61)
            try await app.testing().test(.GET, "/news") { response in
                #expect(response.body.string.contains("Embargoed Until Soon"))
            }
            try await app.testing().test(.GET, "/calls/closing-call") { response in
                #expect(response.body.string.contains("<p class=\"status status-closed\">Closed</p>"))
            }
        }
    }
}

enum ZonedStamp {
    static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
