import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Award programmes: results give cases badges, the case library facets on them.
@Suite("Awards")
struct AwardTests {
    @Test(arguments: TestDatabase.allCases)
    func resultsGiveBadgesThatTheCaseLibraryFacetsOn(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines(["Mobile clinics", "Open budgets", "Digital identity"].map { importLine(type: "case_study", title: $0) } + [
                importLine(type: "case_study", title: "Already recognised", extra: ["fields": ["recognition": ["Shortlisted"]] as [String: Any]]),
            ])
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor, name: "Eda Editor"))
            let refused = try await editor.submit("/admin/awards", ["name": "Public Sector Innovation Award", "categories": "  "])
            #expect(refused.status == .badRequest && refused.body.string.contains("Give at least one category"))
            let created = try await editor.submit("/admin/awards", ["name": "Public Sector Innovation Award", "description": "Every year since 2015.",
                                                                    "categories": "Health\nGovernment innovation"])
            #expect(created.status == .seeOther)
            let page = try #require(created.headers.first(name: .location))
            let programme = try #require(try await AwardStore(sql: app.db as! any SQLDatabase, now: 0).programme(slug: "public-sector-innovation-award"))
            let health = String(programme.categories[0].id), government = String(programme.categories[1].id)

            func add(_ slug: String, _ category: String, _ result: String, year: String = "2027") async throws -> TestingHTTPResponse {
                try await editor.submit(page, action: page + "/entries", ["year": year, "category": category, "case": slug, "result": result])
            }
            #expect(try await add("/innovations/mobile-clinics", health, "winner").status == .seeOther)
            #expect(try await add("open-budgets", government, "shortlisted").status == .seeOther)
            #expect(try await add("already-recognised", government, "winner").status == .seeOther)
            let unknown = try await add("no-such-case", health, "winner")
            #expect(unknown.status == .badRequest && unknown.body.string.contains("There is no case study at this address."))
            #expect(try await add("open-budgets", government, "winner").body.string.contains("already has a result"))

            // The badges are terms of the recognition facet, with counts, and filter the library.
            let library = try await Browser(app).get("/innovations").body.string
            #expect(library.contains("Public Sector Innovation Award 2027: Winner") && library.contains("Public Sector Innovation Award 2027: Shortlisted"))
            let winners = try await Browser(app).get("/innovations?recognition=public-sector-innovation-award-2027-winner").body.string
            #expect(winners.contains("Mobile clinics") && winners.contains("Already recognised") && !winners.contains("Open budgets"))
            #expect(!winners.contains("Digital identity"))
            // Recognition the case had stays beside the badge.
            let recognised = try #require(try await ItemRecords(sql: app.db as! any SQLDatabase).find(id: try await Self.id(app, "already-recognised")))
            #expect(recognised.record.fields["recognition"] == .terms(["Shortlisted", "Public Sector Innovation Award 2027: Winner"]))

            // The public page of the year, by category and result.
            let year = try await Browser(app).get("/awards/public-sector-innovation-award/2027").body.string
            #expect(year.contains("<h2>Health</h2><h3>Winners</h3><ul><li><a href=\"/innovations/mobile-clinics\">Mobile clinics</a>"))
            #expect(year.contains("Open budgets") && year.contains("Already recognised"))
            #expect(try await Browser(app).get("/awards/public-sector-innovation-award").body.string.contains("/awards/public-sector-innovation-award/2027"))
            #expect(try await Browser(app).get("/awards/public-sector-innovation-award/2019").status == .notFound)

            // Removing a result takes its badge away, and only it.
            let admin = try await editor.get(page).body.string
            let entry = try #require(admin.firstMatch(of: /entries\/(\d+)\/delete"[^<]*<input[^>]*>\s*<button[^>]*aria-label="Remove the result of “Already recognised”"/)?.output.1)
            #expect(try await editor.submit(page, action: page + "/entries/\(entry)/delete", [:]).status == .seeOther)
            let after = try #require(try await ItemRecords(sql: app.db as! any SQLDatabase).find(id: try await Self.id(app, "already-recognised")))
            #expect(after.record.fields["recognition"] == .terms(["Shortlisted"]))
            #expect(try await !(Browser(app).get("/innovations?recognition=public-sector-innovation-award-2027-winner").body.string.contains("Already recognised")))
            #expect(try await editor.get("/admin/content/\(try await Self.id(app, "mobile-clinics"))/history").body.string.contains("Award results changed"))

            // The winners' badge gets an icon from the media library; the case page shows it.
            let uploaded = try await MediaTests.upload(editor, name: "laurel.jpg", bytes: MediaTests.jpeg(width: 1000, height: 1000), alt: "A laurel wreath")
            let mediaPage = try #require(uploaded.headers.first(name: .location)).components(separatedBy: "?")[0]
            let mediaID = String(mediaPage.split(separator: "/").last!)
            let icon = String(try #require(try await editor.get(mediaPage).body.string.firstMatch(of: /\/media\/[a-z0-9_-]+-480w\.jpg/)?.output))
            let badge = try #require(try await VocabularyTests.termID(app.db as! any SQLDatabase, "recognition", "public-sector-innovation-award-2027-winner"))
            #expect(try await editor.submit("/admin/vocabularies/recognition", action: "/admin/vocabularies/recognition/terms/\(badge)/icon",
                                            ["media": mediaID]).status == .seeOther)
            let casePage = try await Browser(app).get("/innovations/mobile-clinics").body.string
            // Shown small, it is its smallest copy.
            #expect(casePage.contains("<img src=\"\(icon)\" alt=\"\" width=\"24\" height=\"24\" class=\"badge-icon\">Public Sector Innovation Award 2027: Winner</li>"))
            // The icon counts as a use of the file: it cannot be deleted while the badge shows it.
            #expect(try await editor.get(mediaPage).body.string.contains(">Public Sector Innovation Award 2027: Winner</a></li>"))
            #expect(try await editor.submit(mediaPage, action: mediaPage + "/delete", [:]).status == .conflict)
        }
    }

    static func id(_ app: Application, _ slug: String) async throws -> Int64 {
        try await (app.db as! any SQLDatabase).select().column("id").from("items").where("slug", .equal, slug).first()!.decode(column: "id", as: Int64.self)
    }
}
