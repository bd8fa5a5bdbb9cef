import Foundation
import Testing
import VaporTesting
@testable import ObservatoryApp

/// Content with known counts: 3 public case studies, 2 toolkits, 4 blog posts, plus items that
/// must never be listed (a draft and one scheduled for the future).
let fixtureLines: [String] = [
    importLine(type: "case_study", title: "Digital Permits in Tallinn", published: "2021-03-01T09:00:00Z",
               body: "A permit service rebuilt around residents."),
    importLine(type: "case_study", title: "Open Budget Lab", published: "2021-04-01T09:00:00Z",
               body: "Participatory budgeting with open data."),
    importLine(type: "case_study", title: "Telehealth for Rural Clinics", published: "2021-05-01T09:00:00Z",
               body: "Doctors reach remote villages by video."),
    importLine(type: "toolkit", title: "Service Design Cards", published: "2020-01-01T09:00:00Z",
               body: "Cards that help teams design services with residents."),
    importLine(type: "toolkit", title: "Foresight Workbook", published: "2020-02-01T09:00:00Z",
               body: "Exercises to imagine futures."),
    importLine(type: "post", title: "Why Permits Matter", published: "2016-10-05T09:00:00Z",
               body: "Permits shape how residents meet the state."),
    importLine(type: "post", title: "Learning From Failure", published: "2016-10-20T09:00:00Z",
               body: "Failures teach more than awards do."),
    importLine(type: "post", title: "Innovation Awards Season", published: "2016-11-02T09:00:00Z",
               body: "Awards surface examples worth copying."),
    importLine(type: "post", title: "Budgets and Trust", published: "2017-01-15T09:00:00Z",
               body: "Open budgets build trust in government."),
    importLine(type: "case_study", title: "Secret Draft Case", extra: ["status": "draft"]),
    importLine(type: "case_study", title: "Future Scheduled Case", published: "2099-01-01T00:00:00Z",
               extra: ["status": "scheduled"]),
]

@Suite("Filter by: Post Type")
struct ListingTests {
    @Test(arguments: TestDatabase.allCases)
    func oneType(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines)
            try await app.testing().test(.GET, "/search?type=case_study") { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("Digital Permits in Tallinn"))
                #expect(body.contains("Open Budget Lab"))
                #expect(body.contains("Telehealth for Rural Clinics"))
                #expect(!body.contains("Service Design Cards"))
                #expect(!body.contains("Secret Draft Case"))
                #expect(!body.contains("Future Scheduled Case"))
                #expect(body.contains("Results: 3"))
                #expect(body.contains("Case studies <span class=\"count\">(3)</span>"))
                #expect(body.contains("Toolkits <span class=\"count\">(2)</span>"))
                #expect(body.contains("Blog posts <span class=\"count\">(4)</span>"))
                #expect(body.contains("value=\"case_study\" checked"))
                // Newest first.
                let telehealth = try #require(body.range(of: "Telehealth for Rural Clinics"))
                let permits = try #require(body.range(of: "Digital Permits in Tallinn"))
                #expect(telehealth.lowerBound < permits.lowerBound)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func severalTypesAndPaging(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: { $0.pageSize = 2 }) { app in
            try await app.importLines(fixtureLines)
            try await app.testing().test(.GET, "/search?type=case_study&type=toolkit") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Results: 5"))
                #expect(response.body.string.contains("Telehealth for Rural Clinics"))
                #expect(response.body.string.contains("Open Budget Lab"))
                #expect(!response.body.string.contains("Digital Permits in Tallinn"))
                #expect(response.body.string.contains("href=\"/search?type=case_study&amp;type=toolkit&amp;page=2\""))
            }
            try await app.testing().test(.GET, "/search?type=case_study&type=toolkit&page=3") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Service Design Cards"))
                #expect(!response.body.string.contains("Foresight Workbook"))
            }
            try await app.testing().test(.GET, "/search?type=case_study&type=toolkit&page=4") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("There is no page 4: these results fill 3 page(s)."))
                #expect(response.body.string.contains("href=\"/search?type=case_study&amp;type=toolkit&amp;page=3\""))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func countsFollowKeywords(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines)
            // "permit" is in one case study and one post (title and body), nothing else.
            try await app.testing().test(.GET, "/search?q=permit") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("Results: 2"))
                #expect(body.contains("Case studies <span class=\"count\">(1)</span>"))
                #expect(body.contains("Blog posts <span class=\"count\">(1)</span>"))
                #expect(body.contains("Toolkits <span class=\"count\">(0)</span>"))
                #expect(body.contains("value=\"permit\""))
            }
            try await app.testing().test(.GET, "/search?q=PERMIT&type=post") { response in
                #expect(response.body.string.contains("Results: 1"))
                #expect(response.body.string.contains("Why Permits Matter"))
                #expect(!response.body.string.contains("Digital Permits in Tallinn"))
                #expect(response.body.string.contains("Case studies <span class=\"count\">(1)</span>"))
            }
            // Keywords with nothing to search for filter nothing, and the page says so.
            try await app.testing().test(.GET, "/search?q=%25") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Results: 9"))
                #expect(response.body.string.contains("has only very common words or punctuation"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badParameters(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.testing().test(.GET, "/search?type=podcast") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Unknown post type “podcast”. Valid types are: post, case_study, toolkit, publication, event, call, news."))
            }
            try await app.testing().test(.GET, "/search?page=two") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("is not a page number"))
            }
            try await app.testing().test(.GET, "/search?page=0") { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func archives(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines)
            try await app.testing().test(.GET, "/blog/2016/10") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("Blog posts of October 2016"))
                #expect(body.contains("Why Permits Matter"))
                #expect(body.contains("Learning From Failure"))
                #expect(!body.contains("Innovation Awards Season"))
                #expect(body.contains("Results: 2"))
            }
            try await app.testing().test(.GET, "/blog") { response in
                let body = response.body.string
                #expect(body.contains("Results: 4"))
                #expect(body.contains("href=\"/blog/2016/10\">October 2016</a> <span class=\"count\">(2)</span>"))
                #expect(body.contains("href=\"/blog/2017/01\">January 2017</a> <span class=\"count\">(1)</span>"))
            }
            try await app.testing().test(.GET, "/innovations") { response in
                #expect(response.body.string.contains("Innovations: 3"))
            }
            try await app.testing().test(.GET, "/tags/open-data") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Results: 9"))
            }
            try await app.testing().test(.GET, "/authors/amara-okafor") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Content by Amara Okafor"))
                #expect(response.body.string.contains("Results: 9"))
            }
            try await app.testing().test(.GET, "/tags/no-such-tag") { response in
                #expect(response.status == .notFound)
            }
            try await app.testing().test(.GET, "/blog/2016/13") { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
