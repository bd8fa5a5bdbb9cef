import Foundation
import ObservatoryCore
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Feeds and discovery")
struct FeedTests {
    static let content = [
        importLine(type: "post", title: "Budgets & <Brackets> in \"Quotes\"", published: "2020-05-01T10:00:00Z", extra: ["tags": ["budgeting"], "author": "Amara Okafor"]),
        importLine(type: "post", title: "Second post", published: "2020-05-20T10:00:00Z", extra: ["author": "Jonas Weber"]),
        importLine(type: "event", title: "Innovation Forum", published: "2021-03-01T10:00:00Z", extra: ["fields": [
            "starts_at": "2021-05-16T09:00:00-04:00", "ends_at": "2021-05-18T18:00:00-04:00", "timezone": "America/Toronto",
            "location": ["city": "Toronto", "country": "Canada"], "online": true, "registration_url": "https://example.org/register",
        ] as [String: Any]]),
        importLine(type: "case_study", title: "Nairobi Health Data", published: "2022-02-01T12:00:00Z", extra: ["country": ["Kenya"], "fields": [
            "country_code": "KE", "year_launched": 2019, "innovation_tags": ["Open data"], "short_explanation": "Clinics share data.",
        ] as [String: Any]]),
        importLine(type: "case_study", title: "Lisbon Participatory Budget", published: "2022-03-01T12:00:00Z", extra: ["country": ["Portugal"], "fields": [
            "country_code": "PT", "year_launched": 2008,
        ] as [String: Any]]),
    ]

    /// What Python's feedparser makes of an RSS or Atom feed; a JSON Feed (which feedparser
    /// does not read) is checked against the JSON Feed 1.1 rules by the same program.
    static func parse(_ body: String) throws -> (bozo: Bool, version: String, titles: [String], links: [String]) {
        let program = """
        import feedparser, json, sys
        from datetime import datetime
        text = sys.stdin.read()
        if text.lstrip().startswith("{"):
            feed = json.loads(text)
            problems = [key for key in ("version", "title", "items") if key not in feed]
            if feed.get("version") != "https://jsonfeed.org/version/1.1": problems.append("version")
            for item in feed.get("items", []):
                if not isinstance(item.get("id"), str) or not ("content_text" in item or "content_html" in item): problems.append("item")
                for key in ("date_published", "date_modified"):
                    datetime.fromisoformat(item[key].replace("Z", "+00:00"))
                if "authors" in item and not all("name" in a for a in item["authors"]): problems.append("authors")
            print(json.dumps({"bozo": bool(problems), "version": "json11", "titles": [i["title"] for i in feed["items"]],
                              "links": [i["url"] for i in feed["items"]]}))
        else:
            feed = feedparser.parse(text)
            print(json.dumps({"bozo": bool(feed.bozo), "version": feed.version,
                              "titles": [e.title for e in feed.entries], "links": [e.link for e in feed.entries]}))
        """
        let result = try JSONSerialization.jsonObject(with: try runPython(program, input: body)) as! [String: Any]
        return (result["bozo"] as! Bool, result["version"] as! String, result["titles"] as! [String], result["links"] as! [String])
    }

    @Test(arguments: TestDatabase.allCases)
    func everyListingHasFeedsInEveryFormatThatParseCleanly(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.content)
            let expectations: [(String, [String])] = [
                ("/feed.{f}", ["Lisbon Participatory Budget", "Nairobi Health Data", "Innovation Forum", "Second post", "Budgets & <Brackets> in \"Quotes\""]),
                ("/blog/feed.{f}", ["Second post", "Budgets & <Brackets> in \"Quotes\""]),
                ("/blog/2020/05/feed.{f}", ["Second post", "Budgets & <Brackets> in \"Quotes\""]),
                ("/search/feed.{f}?type=event", ["Innovation Forum"]),
                ("/search/feed.{f}?q=budget", ["Lisbon Participatory Budget", "Budgets & <Brackets> in \"Quotes\""]),
                ("/tags/budgeting/feed.{f}", ["Budgets & <Brackets> in \"Quotes\""]),
                ("/authors/jonas-weber/feed.{f}", ["Second post"]),
                ("/innovations/feed.{f}", ["Lisbon Participatory Budget", "Nairobi Health Data"]),
                ("/innovations/feed.{f}?country=kenya", ["Nairobi Health Data"]),
            ]
            let versions = ["rss": "rss20", "atom": "atom10", "json": "json11"]
            for (template, titles) in expectations {
                for format in FeedFormat.allCases {
                    let path = template.replacingOccurrences(of: "{f}", with: format.rawValue)
                    let response = try await app.testing().sendRequest(.GET, path)
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers.first(name: .contentType) == "\(format.mediaType); charset=utf-8")
                    let parsed = try Self.parse(response.body.string)
                    #expect(!parsed.bozo, "\(path) is not clean")
                    #expect(parsed.version == versions[format.rawValue], "\(path): \(parsed.version)")
                    #expect(parsed.titles == titles, "\(path)")
                    #expect(parsed.links.allSatisfy { $0.hasPrefix("http://127.0.0.1:8080/") })
                }
            }
            #expect(try await app.testing().sendRequest(.GET, "/search/feed.atom?type=nonsense").status == .badRequest)
            #expect(try await app.testing().sendRequest(.GET, "/tags/no-such-tag/feed.atom").status == .notFound)
        }
    }

    @Test func pagesAdvertiseTheirFeedsAndOneAddress() async throws {
        try await withApp(.sqlite) { app in
            try await app.importLines(Self.content)
            let search = try await app.testing().sendRequest(.GET, "/search?q=budget&type=post&page=1").body.string
            #expect(search.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Search (Atom)\" href=\"/search/feed.atom?type=post&amp;q=budget\">"))
            #expect(search.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/search?type=post&amp;q=budget\">"))
            let home = try await app.testing().sendRequest(.GET, "/").body.string
            #expect(home.contains("href=\"/feed.rss\"") && home.contains("href=\"/feed.json\""))
            let library = try await app.testing().sendRequest(.GET, "/innovations?country=kenya").body.string
            #expect(library.contains("href=\"/innovations/feed.atom?country=kenya\""))
            let item = try await app.testing().sendRequest(.GET, "/blog/second-post").body.string
            #expect(item.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/blog/second-post\">"))
            #expect(item.contains("<meta property=\"og:title\" content=\"Second post\">"))
            #expect(item.contains("<meta property=\"og:type\" content=\"article\">"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func structuredDataSitemapsRobotsAndOEmbed(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.content)
            func jsonLD(_ path: String) async throws -> [String: Any] {
                let body = try await app.testing().sendRequest(.GET, path).body.string
                let start = try #require(body.range(of: "<script type=\"application/ld+json\">"))
                let end = try #require(body.range(of: "</script>", range: start.upperBound..<body.endIndex))
                return try JSONSerialization.jsonObject(with: Data(body[start.upperBound..<end.lowerBound].utf8)) as! [String: Any]
            }
            let event = try await jsonLD("/events/innovation-forum")
            #expect(event["@type"] as? String == "Event")
            #expect(event["startDate"] as? String == "2021-05-16T13:00:00Z")
            #expect(event["eventAttendanceMode"] as? String == "https://schema.org/MixedEventAttendanceMode")
            let post = try await jsonLD("/blog/budgets-brackets-in-quotes")
            #expect(post["@type"] as? String == "BlogPosting")
            #expect(post["headline"] as? String == "Budgets & <Brackets> in \"Quotes\"")
            #expect((post["author"] as? [[String: Any]])?.first?["name"] as? String == "Amara Okafor")
            let body = try await app.testing().sendRequest(.GET, "/blog/budgets-brackets-in-quotes").body.string
            #expect(!body.contains("<Brackets>"), "never raw in the page, JSON-LD included")
            let caseStudy = try await jsonLD("/innovations/nairobi-health-data")
            #expect(caseStudy["@type"] as? String == "CreativeWork")
            #expect((caseStudy["spatialCoverage"] as? [String: Any])?["name"] as? String == "Kenya")

            let index = try await app.testing().sendRequest(.GET, "/sitemap.xml").body.string
            #expect(index.contains("<loc>http://127.0.0.1:8080/sitemaps/pages.xml</loc>"))
            #expect(index.contains("<loc>http://127.0.0.1:8080/sitemaps/items-1.xml</loc>"))
            #expect(!index.contains("items-2.xml"))
            let items = try await app.testing().sendRequest(.GET, "/sitemaps/items-1.xml").body.string
            #expect(items.components(separatedBy: "<url>").count - 1 == Self.content.count)
            #expect(items.contains("<loc>http://127.0.0.1:8080/innovations/nairobi-health-data</loc><lastmod>"))
            #expect(try await app.testing().sendRequest(.GET, "/sitemaps/items-2.xml").status == .notFound)
            let sitemapCheck = try runPython("""
            import sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.read())
            print(len(root.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")))
            """, input: items)
            #expect(String(decoding: sitemapCheck, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == String(Self.content.count))
            let robots = try await app.testing().sendRequest(.GET, "/robots.txt").body.string
            #expect(robots.contains("Disallow: /admin\n") && robots.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"))

            let oembed = try await app.testing().sendRequest(.GET, "/oembed?url=\(SiteURL.encode("http://127.0.0.1:8080/blog/second-post"))&format=json")
            #expect(oembed.status == .ok)
            #expect(oembed.body.string.contains("\"title\":\"Second post\"") && oembed.body.string.contains("\"type\":\"link\""))
            #expect(try await app.testing().sendRequest(.GET, "/oembed?url=\(SiteURL.encode("https://elsewhere.example/blog/x"))").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/oembed?url=\(SiteURL.encode("http://127.0.0.1:8080/blog/second-post"))&format=xml").status == .notImplemented)
            #expect(body.contains("type=\"application/json+oembed\""))
        }
    }
}

@Suite("Event calendars")
struct CalendarTests {
    static let events = [
        importLine(type: "event", title: "Forum on Budgets; Data, and \"Trust\"", published: "2021-01-01T00:00:00Z", extra: ["fields": [
            "starts_at": "2098-05-16T09:00:00-04:00", "ends_at": "2098-05-18T18:00:00-04:00", "timezone": "America/Toronto",
            "location": ["city": "Toronto", "country": "Canada"], "online": true,
        ] as [String: Any]]),
        importLine(type: "event", title: "Webinar on Open Data for Cities Around the World, with a Title Long Enough to Fold", published: "2021-01-02T00:00:00Z",
                   extra: ["fields": ["starts_at": "2097-03-01T14:00:00+01:00", "timezone": "Europe/Paris", "online": true] as [String: Any]]),
        importLine(type: "event", title: "Past Summit", published: "2019-01-01T00:00:00Z", extra: ["fields": [
            "starts_at": "2019-05-16T09:00:00+02:00", "ends_at": "2019-05-16T18:00:00+02:00", "timezone": "Europe/Berlin",
        ] as [String: Any]]),
    ]

    /// What Python's icalendar library reads in a calendar.
    static func parse(_ text: String) throws -> [[String: String]] {
        let program = """
        import json, sys
        from icalendar import Calendar
        calendar = Calendar.from_ical(sys.stdin.read())
        events = [{"summary": str(e.get("summary")), "start": e.decoded("dtstart").isoformat(),
                   "end": e.decoded("dtend").isoformat() if e.get("dtend") else "", "location": str(e.get("location", "")),
                   "url": str(e.get("url")), "uid": str(e.get("uid"))} for e in calendar.walk("VEVENT")]
        print(json.dumps(events))
        """
        return try JSONSerialization.jsonObject(with: try runPython(program, input: text)) as! [[String: String]]
    }

    @Test(arguments: TestDatabase.allCases)
    func upcomingEventsAndSingleEventsParseWithARealParser(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.events)
            let upcoming = try await app.testing().sendRequest(.GET, "/calendar/events.ics")
            #expect(upcoming.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            #expect(upcoming.body.string.contains("\r\n "), "long lines are folded")
            let events = try Self.parse(upcoming.body.string)
            #expect(events.map { $0["summary"]! } == ["Webinar on Open Data for Cities Around the World, with a Title Long Enough to Fold",
                                                      "Forum on Budgets; Data, and \"Trust\""])
            let forum = events[1]
            #expect(forum["start"] == "2098-05-16T13:00:00+00:00" && forum["end"] == "2098-05-18T22:00:00+00:00")
            #expect(forum["location"] == "Toronto, Canada, Online")
            #expect(forum["url"] == "http://127.0.0.1:8080/events/forum-on-budgets-data-and-trust")
            let single = try await app.testing().sendRequest(.GET, "/calendar/events/past-summit.ics")
            #expect(try Self.parse(single.body.string).first?["start"] == "2019-05-16T07:00:00+00:00")
            #expect(try await app.testing().sendRequest(.GET, "/calendar/events/no-such-event.ics").status == .notFound)
            let page = try await app.testing().sendRequest(.GET, "/events/forum-on-budgets-data-and-trust").body.string
            #expect(page.contains("href=\"/calendar/events/forum-on-budgets-data-and-trust.ics\""))
            #expect(try await app.testing().sendRequest(.GET, "/events").body.string.contains("href=\"/calendar/events.ics\""))
        }
    }
}
