import Foundation
import ObservatoryCore
import SQLKit
import Testing
import VaporTesting
@testable import ObservatoryApp

/// A corpus whose ranking is known: the words "participatory budgeting" in a title beat them
/// in an excerpt, which beat them in a body.
private let rankingCorpus: [String] = [
    importLine(type: "case_study", title: "Annual Report of the Finance Office", slug: "in-body",
               published: "2022-01-01T09:00:00Z",
               body: "The office reviewed its year. Among other things, participatory budgeting was tried in two districts.",
               extra: ["excerpt": "What the finance office did this year."]),
    importLine(type: "post", title: "Participatory Budgeting in Porto Alegre", slug: "in-title",
               published: "2019-01-01T09:00:00Z", body: "The city let residents decide how money is spent."),
    importLine(type: "toolkit", title: "City Finances Explained", slug: "in-excerpt",
               published: "2021-01-01T09:00:00Z", body: "A guide to municipal money.",
               extra: ["excerpt": "How participatory budgeting spread from one city to many."]),
    importLine(type: "case_study", title: "Participatory Budgeting Draft", slug: "draft", body: "Not ready.",
               extra: ["status": "draft"]),
    importLine(type: "news", title: "Weather Service Update", slug: "unrelated", body: "Rain is expected."),
]

@Suite("Full-text search")
struct SearchTests {
    private func titles(_ app: Application, _ keywords: String, sort: ListingSort? = nil) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        let queries = ContentQueries(sql: sql, now: Int64(Date().timeIntervalSince1970))
        var filter = ListingFilter(keywords: keywords, pageSize: 50)
        filter.sort = sort
        return try await queries.listing(filter).items.map(\.title)
    }

    @Test(arguments: TestDatabase.allCases)
    func ranksTitleAboveExcerptAboveBody(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(rankingCorpus)
            #expect(try await titles(app, "participatory budgeting") == [
                "Participatory Budgeting in Porto Alegre", "City Finances Explained", "Annual Report of the Finance Office",
            ])
            // Asking for the newest first keeps the same matches in date order.
            #expect(try await titles(app, "participatory budgeting", sort: .newest) == [
                "Annual Report of the Finance Office", "City Finances Explained", "Participatory Budgeting in Porto Alegre",
            ])
            #expect(try await titles(app, "weather budgeting").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func stemsPhrasesAndPrefixes(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([
                importLine(type: "post", title: "Innovation in Schools", slug: "innovation", body: "Classrooms change."),
                importLine(type: "post", title: "E-government for Villages", slug: "e-government", body: "Online forms."),
                importLine(type: "post", title: "Open Data Portal Launched", slug: "open-data", body: "Files for all."),
                importLine(type: "post", title: "Data That Is Open to Doubt", slug: "data-open", body: "Numbers can mislead."),
                importLine(type: "post", title: "Município de São Paulo", slug: "sao-paulo", body: "Uma cidade grande."),
            ])
            #expect(try await titles(app, "innovating") == ["Innovation in Schools"])
            #expect(try await titles(app, "INNOVATIONS") == ["Innovation in Schools"])
            #expect(Set(try await titles(app, "open data")) == ["Open Data Portal Launched", "Data That Is Open to Doubt"])
            #expect(try await titles(app, "\"open data\"") == ["Open Data Portal Launched"])
            // The last word is matched as a prefix while it is being typed.
            #expect(try await titles(app, "innov") == ["Innovation in Schools"])
            #expect(try await titles(app, "open port") == ["Open Data Portal Launched"])
            // …but a finished, quoted word is not.
            #expect(try await titles(app, "schoo") == ["Innovation in Schools"])
            #expect(try await titles(app, "\"schoo\"").isEmpty)
            // Accents and hyphens do not get in the way.
            #expect(try await titles(app, "sao paulo") == ["Município de São Paulo"])
            #expect(try await titles(app, "MUNICÍPIO") == ["Município de São Paulo"])
            #expect(try await titles(app, "e-government") == ["E-government for Villages"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func highlightsMatchedWordsAndEscapesText(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([
                importLine(type: "post", title: "Budgets", slug: "budgets",
                           body: "Before the change, <b>residents</b> argued. Then the council tried participatory budgeting & trust grew."),
                importLine(type: "post", title: "Budgeting Basics", slug: "basics", body: "Nothing in the body matches.",
                           extra: ["excerpt": "A primer for councils."]),
            ])
            try await app.testing().test(.GET, "/search?q=participatory+budgeting") { response in
                let body = response.body.string
                #expect(response.status == .ok)
                #expect(body.contains("<mark>participatory</mark> <mark>budgeting</mark>"))
                #expect(body.contains("<mark>budgeting</mark> &amp; trust"))
                #expect(!body.contains("<b>residents</b>"))
            }
            // A match only in the title shows the summary.
            try await app.testing().test(.GET, "/search?q=basics") { response in
                #expect(response.body.string.contains("A primer for councils."))
                #expect(!response.body.string.contains("<mark>"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func equalScoresHaveAStableOrder(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            var lines: [String] = []
            for index in 1...6 {
                // Same text everywhere; two share a publication time.
                let published = index <= 2 ? "2020-01-01T00:00:00Z" : "2020-01-0\(index)T00:00:00Z"
                lines.append(importLine(type: "post", title: "Lantern project \(index)", slug: "lantern-\(index)",
                                        published: published, body: "Lantern."))
            }
            try await app.importLines(lines)
            let first = try await titles(app, "lantern")
            #expect(first == ["Lantern project 6", "Lantern project 5", "Lantern project 4", "Lantern project 3",
                              "Lantern project 2", "Lantern project 1"])
            #expect(try await titles(app, "lantern") == first)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func visibilityFollowsTheContentAtOnce(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            let draft = importLine(type: "case_study", title: "Quiet Harbour Project", slug: "quiet-harbour",
                                   body: "Harbour works.", extra: ["status": "draft"])
            let published = importLine(type: "case_study", title: "Quiet Harbour Project", slug: "quiet-harbour",
                                       body: "Harbour works.")
            let unpublished = importLine(type: "case_study", title: "Quiet Harbour Project", slug: "quiet-harbour",
                                         body: "Harbour works.", extra: ["status": "unpublished"])
            let edited = importLine(type: "case_study", title: "Calm Harbour Project", slug: "quiet-harbour",
                                    body: "Harbour works.")
            try await app.importLines([draft])
            #expect(try await titles(app, "harbour").isEmpty)
            try await app.importLines([published])
            #expect(try await titles(app, "harbour") == ["Quiet Harbour Project"])
            try await app.testing().test(.GET, "/search?q=harbour") { response in
                #expect(response.body.string.contains("Quiet Harbour Project"))
            }
            try await app.importLines([unpublished])
            #expect(try await titles(app, "harbour").isEmpty)
            try await app.testing().test(.GET, "/search?q=harbour") { response in
                #expect(!response.body.string.contains("Quiet Harbour Project"))
                #expect(response.body.string.contains("Results: 0"))
            }
            // An edit replaces the indexed words, it does not add to them.
            try await app.importLines([edited])
            #expect(try await titles(app, "calm") == ["Calm Harbour Project"])
            #expect(try await titles(app, "quiet").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badInputNeverBreaksSearch(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(rankingCorpus)
            let awkward = [
                "\"", "\"\"", "*", "-", "-budgeting", "NEAR", "NEAR(participatory budgeting)", "title:budgeting",
                "\"participatory budgeting", "AND OR NOT", "budgeting AND", "budgeting OR city", "budgeting NOT city",
                "(", ")", "budgeting)", "^budgeting", "budgeting*", "*budgeting", ":", "'", "''", "\\", "%", "_", ";",
                "'; DROP TABLE items; --", "\" OR 1=1 --", "budgeting:*", "budgeting & city", "!budgeting", "<->",
                "the of and", "...", "🙂", "مشاركة", "a\u{1}b", "\u{E000}budgeting\u{E001}",
            ]
            for keywords in awkward {
                let path = "/search?q=" + SiteURL.encode(keywords)
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .ok, "\(keywords.debugDescription) gave \(response.status)")
                    #expect(response.body.string.contains("Results: "), "\(keywords.debugDescription)")
                }
            }
            // NUL, which no database text holds, is refused with the reason.
            let nul = try await app.testing().sendRequest(.GET, "/search?q=a%00b")
            #expect(nul.status == .badRequest && nul.body.string.contains("NUL character"))
            // Operators are read as words, never as syntax: a stray "NEAR" or "title:" does not
            // widen or break the query.
            #expect(try await titles(app, "budgeting OR weather").isEmpty)
            #expect(try await titles(app, "-budgeting").count == 3)
            #expect(try await titles(app, "budgeting*").count == 3)
            #expect(try await titles(app, "NEAR(participatory budgeting)").isEmpty)
            #expect(try await titles(app, "\"participatory budgeting").count == 3)
            #expect(try await titles(app, "'; DROP TABLE items; --").isEmpty)
            #expect(try await titles(app, "weather").count == 1)
            try await app.testing().test(.GET, "/search?q=" + String(repeating: "budget ", count: 1_500)) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Keywords are limited to 200 characters."))
            }
            try await app.testing().test(.GET, "/search?q=budget&sort=popular") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Unknown sort order “popular”. Valid orders are: relevance, newest, oldest."))
            }
        }
    }
}
