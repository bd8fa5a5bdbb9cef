import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// The toolkit navigator: facets with counts, saved and used marks, sorting by them.
@Suite("Toolkit navigator")
struct ToolkitTests {
    static func toolkit(_ title: String, discipline: String, task: String, licence: String, published: String) -> String {
        importLine(type: "toolkit", title: title, published: published, extra: ["fields": [
            "publisher": "OPSI", "discipline": discipline, "task": task, "licence": licence, "format": "Guide",
            "url": "https://example.org/\(Slug.make(from: title))", "last_updated": "2026-03-01",
        ] as [String: Any]])
    }

    static func titles(_ html: String) -> [String] {
        html.matches(of: /class="card-title"><a href="\/toolkits\/[^"]*">([^<]*)</).map { String($0.output.1) }
    }

    @Test(arguments: TestDatabase.allCases)
    func facetsCountAndFilterAndMarksSort(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([
                Self.toolkit("Service blueprint canvas", discipline: "Design", task: "Prototyping", licence: "CC BY 4.0", published: "2024-01-01T00:00:00Z"),
                Self.toolkit("Experiment guide", discipline: "Behavioural science", task: "Testing", licence: "CC BY 4.0", published: "2024-02-01T00:00:00Z"),
                Self.toolkit("Journey mapping kit", discipline: "Design", task: "Research", licence: "All rights reserved", published: "2024-03-01T00:00:00Z"),
            ])
            let page = try await Browser(app).get("/toolkits")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(Self.titles(html) == ["Journey mapping kit", "Experiment guide", "Service blueprint canvas"])
            #expect(html.contains("<label for=\"discipline-design\">Design <span class=\"count\">(2)</span>"))
            #expect(html.contains("<label for=\"licence-cc-by-4-0\">CC BY 4.0 <span class=\"count\">(2)</span>"))

            // One discipline: two toolkits; its counts stay disjunctive, other facets narrow.
            let design = try await Browser(app).get("/toolkits?discipline=design").body.string
            #expect(Self.titles(design) == ["Journey mapping kit", "Service blueprint canvas"])
            #expect(design.contains("<label for=\"discipline-behavioural-science\">Behavioural science <span class=\"count\">(1)</span>"))
            #expect(design.contains("<label for=\"licence-cc-by-4-0\">CC BY 4.0 <span class=\"count\">(1)</span>"))
            let both = try await Browser(app).get("/toolkits?discipline=design&licence=cc-by-4-0").body.string
            #expect(Self.titles(both) == ["Service blueprint canvas"])
            let unknown = try await Browser(app).get("/toolkits?discipline=astrology")
            #expect(unknown.status == .badRequest && unknown.body.string.contains("astrology"))
            #expect(try await Browser(app).get("/toolkits?view=map").status == .badRequest)

            // Readers mark toolkits; the navigator sorts by the marks.
            let anonymous = try await Browser(app).get("/toolkits").body.string
            #expect(anonymous.contains("Sign in to save toolkits"))
            let readers = [try await app.browser(signedInAs: try await app.makeAccount("a@example.org")),
                           try await app.browser(signedInAs: try await app.makeAccount("b@example.org"))]
            func mark(_ browser: Browser, _ slug: String, _ kind: String) async throws -> TestingHTTPResponse {
                try await browser.post("/toolkits/\(slug)/marks", ["csrf_token": try await browser.csrfToken(), "kind": kind, "back": "/toolkits?sort=saved"])
            }
            #expect(try await mark(readers[0], "experiment-guide", "saved").headers.first(name: .location) == "/toolkits?sort=saved")
            _ = try await mark(readers[1], "experiment-guide", "saved")
            _ = try await mark(readers[1], "service-blueprint-canvas", "saved")
            _ = try await mark(readers[0], "journey-mapping-kit", "used")
            let bySaved = try await readers[0].get("/toolkits?sort=saved").body.string
            #expect(Self.titles(bySaved) == ["Experiment guide", "Service blueprint canvas", "Journey mapping kit"])
            #expect(bySaved.contains("Saved by 2 · used by 0"))
            #expect(bySaved.contains("aria-pressed=\"true\">Save<span class=\"visually-hidden\">: Experiment guide"))
            #expect(Self.titles(try await Browser(app).get("/toolkits?sort=used").body.string).first == "Journey mapping kit")
            // Marking again takes the mark back.
            _ = try await mark(readers[1], "experiment-guide", "saved")
            _ = try await mark(readers[1], "experiment-guide", "saved")
            _ = try await mark(readers[1], "experiment-guide", "saved")
            #expect(try await Browser(app).get("/toolkits?sort=saved").body.string.contains("Saved by 1 · used by 0"))
            #expect(try await mark(readers[0], "no-such-toolkit", "saved").status == .notFound)
            // Going back only ever leads within the site.
            let offsite = try await readers[0].post("/toolkits/experiment-guide/marks", ["csrf_token": try await readers[0].csrfToken(), "kind": "used",
                                                                                         "back": "/\\evil.example/"])
            #expect(offsite.headers.first(name: .location) == "/toolkits/experiment-guide")
            #expect(try await Browser(app).get("/toolkits/feed.atom").body.string.contains("Journey mapping kit"))
        }
    }
}
