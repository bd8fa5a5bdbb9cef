import Foundation
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Single pages")
struct ItemPageTests {
    static let caseStudy = importLine(
        type: "case_study", title: "Município de São Paulo Opens Its Data", published: "2022-02-01T12:00:00Z",
        extra: ["fields": [
            "organisation_name": "Município de São Paulo", "organisation_type": "Government",
            "country_code": "BR", "level_of_government": "Local government",
            "primary_sectors": ["Health"], "innovation_tags": ["Open data", "Data"],
            "innovation_status": ["Implementation", "Evaluation"], "year_launched": 2019,
            "website": "https://example.org/sao-paulo", "short_explanation": "The city publishes its data.",
            "overview": "First paragraph.\n\nSecond paragraph.", "recognition": ["Award winner"],
            "innovation_facets": ["Mission-oriented"], "anything_else": "Ask us for the data dictionary.",
            "related_url": "https://example.org/sao-paulo/report", "video_urls": ["https://video.example/sp"],
        ] as [String: Any]])

    static let event = importLine(
        type: "event", title: "Innovation Forum Toronto", published: "2022-04-07T13:45:37Z",
        extra: ["fields": [
            "starts_at": "2022-05-16T09:00:00-04:00", "ends_at": "2022-05-18T18:00:00-04:00",
            "timezone": "America/Toronto", "location": ["city": "Toronto", "country": "Canada"],
            "online": true, "registration_url": "https://example.org/events/abc/register",
        ] as [String: Any]])

    static let openCall = importLine(
        type: "call", title: "Call for Cities 2098", published: "2020-01-01T00:00:00Z",
        extra: ["fields": [
            "audience": "City governments", "opens_at": "2020-01-02T09:00:00+01:00",
            "closes_at": "2098-09-22T23:59:00+02:00", "timezone": "Europe/Paris",
            "criteria": ["The public sector is involved.", "It is implemented."], "languages": ["en", "fr"],
        ] as [String: Any]])

    static let closedCall = importLine(
        type: "call", title: "Call for Cities 2016", published: "2016-01-01T00:00:00Z",
        extra: ["fields": [
            "opens_at": "2016-01-02T09:00:00+01:00", "closes_at": "2016-11-15T23:59:00+01:00",
            "timezone": "Europe/Paris",
        ] as [String: Any]])

    @Test(arguments: TestDatabase.allCases)
    func caseStudyShowsItsFacts(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([Self.caseStudy])
            try await app.testing().test(.GET, "/innovations/municipio-de-sao-paulo-opens-its-data") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("<h1>Município de São Paulo Opens Its Data</h1>"))
                #expect(body.contains("<dt>Organisation</dt><dd>Município de São Paulo</dd>"))
                #expect(body.contains("<dt>Level of government</dt><dd>Local government</dd>"))
                #expect(body.contains("<dt>Innovation tags</dt><dd>Open data, Data</dd>"))
                #expect(body.contains("<ol class=\"stages\"><li>Implementation</li><li>Evaluation</li></ol>"))
                #expect(body.contains("<dt>Year launched</dt><dd>2019</dd>"))
                #expect(body.contains("<li class=\"badge\">Award winner</li>"))
                #expect(body.contains("<h2>Overview</h2><p>First paragraph.</p><p>Second paragraph.</p>"))
                #expect(body.contains("href=\"/countries/kenya\""))
                #expect(body.contains("<h2>Anything else</h2><p>Ask us for the data dictionary.</p>"))
                #expect(body.contains("<dt>Related link</dt><dd><a href=\"https://example.org/sao-paulo/report\""))
                #expect(body.contains("<dt>Videos</dt><dd><ul><li><a href=\"https://video.example/sp\""))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func eventShowsWhenAndWhere(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([Self.event])
            try await app.testing().test(.GET, "/events/innovation-forum-toronto") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("<time datetime=\"2022-05-16T09:00:00-04:00\">16 May 2022, 09:00 (America/Toronto, UTC−04:00)</time>"))
                #expect(body.contains("<time datetime=\"2022-05-18T18:00:00-04:00\">"))
                #expect(body.contains("Toronto, Canada · Online"))
                #expect(body.contains("Hybrid: in person and online"))
                #expect(body.contains("This event has taken place"))
                // No registration link for a past event.
                #expect(!body.contains("example.org/events/abc/register"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func callShowsDeadlineAndWhetherItIsOpen(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([Self.openCall, Self.closedCall])
            try await app.testing().test(.GET, "/calls/call-for-cities-2098") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("<p class=\"status status-open\">Open · closes in"))
                #expect(body.contains("22 September 2098, 23:59 (Europe/Paris, UTC+02:00)"))
                #expect(body.contains("22 September 2098, 21:59 (UTC)"))
                #expect(body.contains("<dt>Audience</dt><dd>City governments</dd>"))
                #expect(body.contains("<li>It is implemented.</li>"))
                #expect(body.contains("English, French"))
            }
            try await app.testing().test(.GET, "/calls/call-for-cities-2016") { response in
                #expect(response.body.string.contains("<p class=\"status status-closed\">Closed</p>"))
                #expect(response.body.string.contains("15 November 2016, 23:59 (Europe/Paris, UTC+01:00)"))
            }
            try await app.testing().test(.GET, "/") { response in
                let body = response.body.string
                #expect(body.contains("Call for Cities 2098"))
                #expect(!body.contains("Call for Cities 2016</a>\n<span"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func draftsAndUnknownSlugsAreNotFound(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(fixtureLines)
            for path in ["/innovations/secret-draft-case", "/innovations/future-scheduled-case", "/innovations/nope",
                         "/toolkits/digital-permits-in-tallinn"] {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.body.string.contains("Page not found"))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func textIsEscapedAndBodiesSanitised(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([importLine(
                type: "post", title: "<script>alert(1)</script> & friends", slug: "escaping",
                body: "Hello <img src=x onerror=alert(1)> [click](javascript:alert(1))")])
            try await app.testing().test(.GET, "/blog/escaping") { response in
                let body = response.body.string
                #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"))
                #expect(!body.contains("<script>"))
                #expect(!body.contains("<img src=x"))
                #expect(!body.contains("javascript:"))
            }
            try await app.testing().test(.GET, "/search?type=post") { response in
                #expect(response.body.string.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"))
                #expect(!response.body.string.contains("<script>"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyPageHasTheBannerAndSecurityHeaders(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: {
            $0.organisation = "the Example Organisation"
            $0.bannerValidation = "Check example.org/official."
        }) { app in
            try await app.importLines(fixtureLines)
            for path in ["/", "/search", "/blog", "/innovations/open-budget-lab", "/missing-page"] {
                try await app.testing().test(.GET, path) { response in
                    let body = response.body.string
                    #expect(body.contains("<summary>An official website of the Example Organisation."), "\(path)")
                    #expect(body.contains("How to validate authenticity"))
                    #expect(body.contains("Check example.org/official."))
                    #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                }
            }
        }
    }
}
