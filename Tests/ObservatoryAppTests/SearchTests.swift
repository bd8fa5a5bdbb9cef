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
    private func titles(_ app: Application, _ keywords: String, sort: ListingSort? = nil, matchAll: Bool = false) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        let now = Int64(Date().timeIntervalSince1970)
        let queries = ContentQueries(sql: sql, now: now)
        var filter = ListingFilter(keywords: keywords, pageSize: 50)
        filter.sort = sort
        filter.matchAll = matchAll
        let search = try await app.searchIndexStore.entry(sql, state: try await ContentState.read(sql, now: now), now: now)
        return try await queries.listing(filter, search: search).items.map(\.title)
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
            // Every word need not match: items holding more of them come first.
            #expect(Set(try await titles(app, "weather budgeting")) == [
                "Participatory Budgeting in Porto Alegre", "City Finances Explained", "Annual Report of the Finance Office",
                "Weather Service Update",
            ])
            #expect(try await titles(app, "weather budgeting", matchAll: true).isEmpty)
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
            // Both words in the title first; every item carries the tag "open-data", so all follow.
            let openData = try await titles(app, "open data")
            #expect(Set(openData.prefix(2)) == ["Open Data Portal Launched", "Data That Is Open to Doubt"], "\(openData)")
            #expect(try await titles(app, "\"open data\"") == ["Open Data Portal Launched"])
            // The last word is matched as a prefix while it is being typed.
            #expect(try await titles(app, "innov") == ["Innovation in Schools"])
            #expect(try await titles(app, "open port").first == "Open Data Portal Launched")
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
            #expect(try await titles(app, "budgeting OR weather") == (try await titles(app, "budgeting weather")))
            #expect(try await titles(app, "budgeting OR weather", matchAll: true).isEmpty)
            #expect(try await titles(app, "-budgeting") == ["Weather Service Update"])
            #expect(try await titles(app, "budgeting*").count == 3)
            #expect(try await titles(app, "NEAR(participatory budgeting)") == (try await titles(app, "near participatory budgeting")))
            #expect(try await titles(app, "NEAR(participatory budgeting)", matchAll: true).isEmpty)
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

/// Cases written the way real ones are, for questions typed as people type them.
private let questionCorpus: [String] = [
    importLine(type: "case_study", title: "Hospital at Home", slug: "hospital-at-home",
               body: "Patients who would otherwise occupy a ward recover in their own beds, visited by nurses. The average stay fell by three days.",
               extra: ["excerpt": "Acute care delivered in patients' homes.", "country": ["Australia"], "sector": ["Health"]]),
    importLine(type: "case_study", title: "Reminder Letters with Social Norms", slug: "tax-letters",
               body: "The Behavioural Insights Team rewrote reminder letters so that late payers learnt most people pay on time. Unpaid taxes were collected sooner.",
               extra: ["excerpt": "A trial with the tax authority.", "country": ["United Kingdom"], "sector": ["Finance"]]),
    importLine(type: "case_study", title: "Ask the Virtual Assistant", slug: "virtual-assistant",
               body: "Residents put questions to a virtual assistant at any hour. Public procurement of the software took a year.",
               extra: ["excerpt": "Answers around the clock.", "country": ["Singapore"], "sector": ["Digital"]]),
    importLine(type: "post", title: "Queues at the Town Hall", slug: "queues", body: "People spend time waiting.",
               extra: ["country": ["Australia"], "sector": ["Health"]]),
]

@Suite("Search that finds what people mean")
struct SearchMeaningTests {
    private func page(_ app: Application, _ path: String) async throws -> String {
        let response = try await app.testing().sendRequest(.GET, path)
        #expect(response.status == .ok, "\(path) gave \(response.status)")
        return response.body.string
    }

    private func titles(_ html: String) -> [String] {
        html.matches(of: /class="card-title"><a href="[^"]*">([^<]*)</).map { String($0.output.1) }
    }

    @Test(arguments: TestDatabase.allCases)
    func ordinaryQuestionsFindTheCase(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus)
            #expect(titles(try await page(app, "/search?q=shorten+the+time+patients+spend+in+hospital")).first == "Hospital at Home")
            // Starter synonyms: nudge ↔ behavioural insights, chatbot ↔ virtual assistant.
            #expect(titles(try await page(app, "/search?q=nudge+letters+to+collect+unpaid+taxes")).first == "Reminder Letters with Social Norms")
            #expect(titles(try await page(app, "/search?q=chatbot")) == ["Ask the Virtual Assistant"])
            // American spelling finds British, and the snippet marks the word as written.
            let behavioral = try await page(app, "/search?q=behavioral")
            #expect(titles(behavioral) == ["Reminder Letters with Social Norms"])
            #expect(behavioral.contains("<mark>Behavioural</mark>"))
            // The case library and the API rank the same way.
            #expect(titles(try await page(app, "/innovations?q=chatbot")) == ["Ask the Virtual Assistant"])
            let api = try await page(app, "/api/v1/items?q=behavioral")
            #expect(api.contains("\"slug\":\"tax-letters\""))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aMisspeltWordIsCorrectedWithALinkToTheWordsAsTyped(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus)
            // "procurment" shares its stem with "procurement" and is found without a correction.
            #expect(titles(try await page(app, "/search?q=procurment")) == ["Ask the Virtual Assistant"])
            let corrected = try await page(app, "/search?q=procuremnt")
            #expect(titles(corrected) == ["Ask the Virtual Assistant"])
            #expect(corrected.contains("Showing results for “procurement”."))
            #expect(corrected.contains("href=\"/search?q=procuremnt&amp;spelling=off\""))
            let asTyped = try await page(app, "/search?q=procuremnt&spelling=off")
            #expect(titles(asTyped).isEmpty)
            #expect(asTyped.contains("No item holds “procuremnt”."))
            #expect(asTyped.contains("Close words in the library:"))
            #expect(asTyped.contains(">procurement</a>"))
            let library = try await page(app, "/innovations?q=procuremnt")
            #expect(library.contains("Showing results for “procurement”."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anEmptyPageOffersTheSearchWithoutItsFilters(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus)
            let events = try await page(app, "/search?q=hospital&type=event")
            #expect(titles(events).isEmpty)
            #expect(events.contains("Search again without the filters (1 found)"))
            let library = try await app.testing().sendRequest(.GET, "/innovations?q=hospital&country=singapore")
            #expect(library.body.string.contains("Search again without the filters (1 found)"))
            #expect(library.body.string.contains("href=\"/innovations?q=hospital\""))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func synonymsEditorsAddAreUsedAtTheNextSearch(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus)
            #expect(titles(try await page(app, "/search?q=waitlist")).isEmpty)
            let sql = try app.sql
            _ = try await VocabularyStore(sql: sql).add("waitlist, queues", to: .synonyms)
            #expect(titles(try await page(app, "/search?q=waitlist")) == ["Queues at the Town Hall"])
            // Another instance on the same database sees the new group too.
            try await withSecondInstance(of: app) { other in
                let response = try await other.testing().sendRequest(.GET, "/search?q=waitlist")
                #expect(titles(response.body.string) == ["Queues at the Town Hall"])
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aCasePageListsRelatedCases(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus + [
                importLine(type: "case_study", title: "Virtual Wards for Older Patients", slug: "virtual-wards",
                           body: "Nurses visit patients at home instead of a hospital ward, and the stay in hospital is shorter.",
                           extra: ["country": ["Australia"], "sector": ["Health"]]),
            ])
            let html = try await page(app, "/innovations/hospital-at-home")
            let related = try #require(html.firstRange(of: "Related case studies"))
            let after = html[related.upperBound...]
            #expect(after.contains("href=\"/innovations/virtual-wards\""))
            #expect(!after.contains("href=\"/innovations/hospital-at-home\""))
            #expect(!after.contains("/blog/queues"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theAPICombinesFiltersAndRefusesUnknownOptions(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(questionCorpus)
            let combined = try await page(app, "/api/v1/items?country=australia&sector=health")
            #expect(combined.contains("\"slug\":\"hospital-at-home\"") && combined.contains("\"slug\":\"queues\""))
            #expect(!combined.contains("\"slug\":\"tax-letters\""))
            // ISO 3166 alpha-2 codes stand for the countries.
            let slugs = { (json: String) in json.matches(of: /"slug":"([^"]*)"/).map { String($0.output.1) } }
            #expect(slugs(try await page(app, "/api/v1/items?country=AU&sector=health")) == slugs(combined))
            let redirect = try await app.testing().sendRequest(.GET, "/innovations?country=SG")
            #expect(redirect.status == .seeOther && redirect.headers.first(name: .location) == "/innovations?country=singapore")
            #expect(try await page(app, "/api/v1/cases?country=sg").contains("\"slug\":\"virtual-assistant\""))
            let narrowed = try await page(app, "/api/v1/items?country=australia&sector=health&type=case_study")
            #expect(narrowed.contains("\"total\":1"))
            let all = try await page(app, "/api/v1/items?q=hospital+patients&match=all")
            #expect(all.contains("\"slug\":\"hospital-at-home\"") && !all.contains("\"slug\":\"queues\""))
            for path in ["/api/v1/items?q=x&match=most", "/search?q=x&spelling=maybe", "/innovations?q=x&match=none",
                         "/toolkits?q=x&match=ALL"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.body.string.contains("is not a value of"), "\(path)")
            }
        }
    }
}
