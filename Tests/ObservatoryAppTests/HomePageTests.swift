import Foundation
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Home page")
struct HomePageTests {
    @Test(arguments: TestDatabase.allCases)
    func showsFeaturedLatestCallsAndEvents(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines + [
                importLine(type: "toolkit", title: "Featured Playbook", published: "2019-01-01T00:00:00Z", extra: ["featured": true]),
                importLine(type: "event", title: "Future Summit", published: "2020-01-01T00:00:00Z", extra: ["fields": [
                    "starts_at": "2099-03-01T09:00:00+01:00", "ends_at": "2099-03-01T17:00:00+01:00", "timezone": "Europe/Paris",
                ] as [String: Any]]),
            ])
            try await app.testing().test(.GET, "/") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                let featured = try #require(body.range(of: "<h2 id=\"featured-heading\">Featured</h2>"))
                let latest = try #require(body.range(of: "<h2 id=\"latest-heading\">Latest</h2>"))
                let playbook = try #require(body.range(of: "Featured Playbook"))
                #expect(featured.upperBound < playbook.lowerBound && playbook.lowerBound < latest.lowerBound)
                // The latest list starts with the newest public item.
                let telehealth = try #require(body.range(of: "Telehealth for Rural Clinics", range: latest.upperBound..<body.endIndex))
                #expect(body[latest.upperBound..<telehealth.lowerBound].components(separatedBy: "class=\"card\"").count == 2)
                #expect(body.contains("Future Summit"))
                #expect(body.contains("No call is open right now."))
                #expect(!body.contains("Secret Draft Case"))
            }
        }
    }
}
