import Foundation
import Testing
import VaporTesting
@testable import ObservatoryApp

/// A case of the fixture library, kept in Swift so expected counts are computed apart from
/// the code under test.
private struct FixtureCase {
    let slug: String
    let countries: [String]
    let level: String
    let year: Int?
    let awarded: Bool
    let mentionsBudgeting: Bool

    static let countries = ["Kenya", "Chile", "France", "Japan"]
    static let levels = ["National/Federal government", "Regional/State government", "Local government"]

    static let all: [FixtureCase] = (0..<24).map { index in
        var countries = [Self.countries[index % 4]]
        if index % 3 == 0 { countries.append(Self.countries[(index + 1) % 4]) }
        return FixtureCase(
            slug: "case-\(index)", countries: countries, level: levels[index % 3],
            year: index % 7 == 0 ? nil : 2005 + index % 10, awarded: index % 5 == 0, mentionsBudgeting: index % 2 == 0)
    }

    var line: String {
        var fields: [String: Any] = [
            "organisation_name": "Office \(slug)", "organisation_type": "Government", "level_of_government": level,
            "innovation_status": ["Implementation"], "primary_sectors": ["Health"], "innovation_tags": ["Data"],
            "recognition": awarded ? ["Award winner"] : [],
        ]
        if let year { fields["year_launched"] = year }
        let index = Int(slug.dropFirst(5))!
        return importLine(
            type: "case_study", title: "Fixture Case \(index)", slug: slug,
            published: String(format: "2021-01-%02dT09:00:00Z", index + 1),
            body: mentionsBudgeting ? "Residents took part in participatory budgeting." : "Clinics answered calls faster.",
            extra: ["country": countries, "fields": fields])
    }
}

private struct CasesAnswer: Decodable {
    struct Result: Decodable {
        let slug: String
        let snippet_html: String?
        let year_launched: Int?
    }

    struct FacetValue: Decodable {
        let value: String
        let count: Int
        let selected: Bool
    }

    let total: Int
    let page: Int
    let per_page: Int
    let pages: Int
    let results: [Result]
    let facets: [String: [FacetValue]]

    func count(_ facet: String, _ value: String) -> Int? {
        facets[facet]?.first { $0.value == value }?.count
    }
}

private func slug(_ name: String) -> String {
    name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        .split(separator: "-").joined(separator: "-")
}

@Suite("Case library: faceted search, map, compare and JSON")
struct CaseLibraryTests {
    private func answer(_ app: Application, _ path: String) async throws -> CasesAnswer {
        var decoded: CasesAnswer?
        try await app.testing().test(.GET, path) { response in
            #expect(response.status == .ok, "\(path): \(response.body.string)")
            decoded = try JSONDecoder().decode(CasesAnswer.self, from: Data(response.body.readableBytesView))
        }
        return try #require(decoded)
    }

    @Test(arguments: TestDatabase.allCases)
    func disjunctiveCountsMatchABruteForceCount(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line))
            let filters: [(countries: [String], levels: [String], awarded: Bool, keyword: Bool)] = [
                (["Kenya"], [], false, false),
                (["Kenya", "Chile"], ["Local government"], false, false),
                (["France"], ["National/Federal government", "Regional/State government"], true, false),
                ([], ["Local government"], false, true),
                (["Japan", "Kenya"], [], true, true),
            ]
            for filter in filters {
                var parameters = filter.keyword ? ["q=budgeting"] : []
                parameters += filter.countries.map { "country=\(slug($0))" }
                parameters += filter.levels.map { "level=\(slug($0))" }
                if filter.awarded { parameters.append("recognition=award-winner") }
                let result = try await answer(app, "/api/v1/cases?" + parameters.joined(separator: "&"))

                func matches(_ item: FixtureCase, ignoring facet: String?) -> Bool {
                    (!filter.keyword || item.mentionsBudgeting)
                        && (facet == "country" || filter.countries.isEmpty || !Set(filter.countries).isDisjoint(with: item.countries))
                        && (facet == "level" || filter.levels.isEmpty || filter.levels.contains(item.level))
                        && (facet == "recognition" || !filter.awarded || item.awarded)
                }
                let matching = FixtureCase.all.filter { matches($0, ignoring: nil) }
                #expect(result.total == matching.count, "\(parameters)")
                #expect(result.results.count == min(12, matching.count))
                #expect(Set(result.results.map(\.slug)).isSubset(of: matching.map(\.slug)))
                for country in FixtureCase.countries {
                    let expected = FixtureCase.all.filter { matches($0, ignoring: "country") && $0.countries.contains(country) }.count
                    #expect((result.count("country", slug(country)) ?? 0) == expected, "\(parameters) \(country)")
                }
                for level in FixtureCase.levels {
                    let expected = FixtureCase.all.filter { matches($0, ignoring: "level") && $0.level == level }.count
                    #expect((result.count("level", slug(level)) ?? 0) == expected, "\(parameters) \(level)")
                }
                let awarded = FixtureCase.all.filter { matches($0, ignoring: "recognition") && $0.awarded }.count
                #expect((result.count("recognition", "award-winner") ?? 0) == awarded, "\(parameters)")
                if filter.keyword {
                    #expect(result.results.allSatisfy { $0.snippet_html?.contains("<mark>budgeting</mark>") == true })
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func pageShowsCountsChipsAndPaging(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line))
            try await app.testing().test(.GET, "/innovations?country=kenya&from=2006&to=2012&sort=year&per_page=24") { response in
                #expect(response.status == .ok)
                let body = response.body.string
                let expected = FixtureCase.all.filter {
                    $0.countries.contains("Kenya") && ($0.year.map { (2006...2012).contains($0) } ?? false)
                }
                #expect(body.contains("Innovations: \(expected.count)"))
                #expect(body.contains("<a href=\"#results\">Skip the filters: go to the \(expected.count) results</a>"))
                // The chosen value stays checked, with the count the other filters leave it.
                #expect(body.contains("id=\"country-kenya\" name=\"country\" value=\"kenya\" checked"))
                #expect(body.contains("Country: Kenya"))
                #expect(body.contains("Launched 2006–2012"))
                // Removing the country chip keeps the other filters.
                #expect(body.contains("href=\"/innovations?from=2006&amp;to=2012&amp;sort=year&amp;per_page=24\""))
                #expect(body.contains("<option value=\"year\" selected>"))
                #expect(!body.contains("<option value=\"relevance\""))
            }
            try await app.testing().test(.GET, "/innovations?page=2") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Fixture Case 11"))
                #expect(!response.body.string.contains("Fixture Case 12<"))
            }
            try await app.testing().test(.GET, "/innovations?page=9") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("There is no page 9"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyViewHasOneCanonicalAddress(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line))
            let redirects = [
                ("/innovations?level=local-government&country=kenya", "/innovations?country=kenya&level=local-government"),
                ("/innovations?q=&from=&to=&sort=newest&per_page=12", "/innovations"),
                ("/innovations?q=S%C3%A3o+Paulo&utm_source=mail", "/innovations?q=S%C3%A3o%20Paulo"),
                ("/innovations?to=2010&from=2015", "/innovations?from=2010&to=2015"),
            ]
            for (path, canonical) in redirects {
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers.first(name: .location) == canonical)
                }
                try await app.testing().test(.GET, canonical) { response in
                    #expect(response.status == .ok, "\(canonical)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badInputGetsAClearAnswerNeverAnError(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line))
            let rejected: [(String, String)] = [
                ("country=atlantis", "There is no Country “atlantis”"),
                ("level=%3Cscript%3E", "There is no Level of government “&lt;script&gt;”"),
                ("page=-1", "is not a page number"),
                ("per_page=100000", "choose 12, 24, 48"),
                ("from=abc", "is not a launch year"),
                ("sort=best", "Unknown sort order"),
                ("view=globe", "Unknown view"),
                ("q=" + String(repeating: "a", count: 10_000), "200 characters"),
            ]
            for (query, message) in rejected {
                try await app.testing().test(.GET, "/innovations?" + query) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.body.string.contains(message), "\(query)")
                }
                try await app.testing().test(.GET, "/api/v1/cases?" + query) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.headers.first(name: .contentType) == "application/problem+json")
                    #expect(response.body.string.contains("\"status\":400"))
                }
            }
            let hostile = ["%22", "*", "-", "NEAR", "title%3A", "%22open", "AND%20OR%20NOT", "the%20of%20and", "%3B%20DROP%20TABLE%20items",
                           "budget*%20NEAR(a%20b)", "%27%20OR%201%3D1%20--", "%E2%80%9Cbudgeting", "%5E%7B%7D%5B%5D"]
            for keywords in hostile {
                let result = try await answer(app, "/api/v1/cases?q=" + keywords)
                #expect(result.total <= FixtureCase.all.count, "\(keywords)")
            }
            #expect(try await answer(app, "/api/v1/cases?q=the%20of%20and").total == FixtureCase.all.count)
            #expect(try await answer(app, "/api/v1/cases?q=%22participatory%20budgeting%22").total == 12)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func publishingAndUnpublishingShowAtOnce(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Array(FixtureCase.all.prefix(4)).map(\.line))
            let draft = importLine(type: "case_study", title: "Budgeting Draft", slug: "budgeting-draft",
                                   body: "Participatory budgeting, not ready.", extra: ["status": "draft", "country": ["Kenya"]])
            try await app.importLines([draft])
            #expect(try await answer(app, "/api/v1/cases").total == 4)
            #expect(try await answer(app, "/api/v1/cases?q=budgeting").results.map(\.slug) == ["case-2", "case-0"])
            try await app.importLines([draft.replacingOccurrences(of: "\"draft\"", with: "\"published\"")])
            let published = try await answer(app, "/api/v1/cases?q=budgeting&country=kenya")
            #expect(published.results.map(\.slug) == ["budgeting-draft", "case-0"])
            #expect(published.count("country", "kenya") == 2)
            try await app.importLines([draft])
            #expect(try await answer(app, "/api/v1/cases?country=kenya").results.map(\.slug) == ["case-3", "case-0"])
            try await app.testing().test(.GET, "/innovations?q=budgeting") { response in
                #expect(!response.body.string.contains("Budgeting Draft"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aScheduledCaseIsFoundWhenItsTimeComes(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            // The site's clock stands still until the test moves it, however slow the machine.
            let start = Int64(Date().timeIntervalSince1970)
            app.clock.freeze(at: start)
            let soon = start + 60
            try await app.importLines(Array(FixtureCase.all.prefix(4)).map(\.line) + [
                importLine(type: "case_study", title: "Budgeting Embargoed", slug: "embargoed", published: ZonedStamp.rfc3339(soon),
                           body: "Participatory budgeting, announced later.", extra: ["status": "scheduled", "country": ["Kenya"]]),
            ])
            // Asked before: the keyword's matches are kept with this catalog.
            #expect(try await answer(app, "/api/v1/cases?q=budgeting").results.map(\.slug) == ["case-2", "case-0"])
            app.clock.advance(by: 61)
            // No write happened, yet the catalog and the keyword's matches are new.
            #expect(try await answer(app, "/api/v1/cases?q=budgeting").results.map(\.slug) == ["embargoed", "case-2", "case-0"])
            let kenya = try await answer(app, "/api/v1/cases?q=budgeting&country=kenya")
            #expect(kenya.results.map(\.slug) == ["embargoed", "case-0"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func mapShowsCountsPerCountry(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line))
            try await app.testing().test(.GET, "/innovations?level=local-government&view=map") { response in
                #expect(response.status == .ok)
                let body = response.body.string
                let local = FixtureCase.all.filter { $0.level == "Local government" }
                for country in FixtureCase.countries {
                    let count = local.filter { $0.countries.contains(country) }.count
                    guard count > 0 else { continue }
                    #expect(body.contains("<th scope=\"row\"><a href=\"/innovations?country=\(slug(country))&amp;level=local-government\">\(country)</a></th><td>\(count)</td>"))
                    #expect(body.contains("aria-label=\"\(country): \(count) case studies\""))
                }
                #expect(body.contains("<svg viewBox=\"0 0 720.0 360.0\" role=\"img\""))
                #expect(body.components(separatedBy: "<circle ").count - 1 == Set(local.flatMap(\.countries)).count)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func comparesUpToThreeCases(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(FixtureCase.all.map(\.line) + [
                importLine(type: "case_study", title: "Hidden <b>Draft</b>", slug: "hidden", extra: ["status": "draft"]),
            ])
            try await app.testing().test(.GET, "/innovations/compare?c=case-1&c=case-10") { response in
                #expect(response.status == .ok)
                let body = response.body.string
                #expect(body.contains("<a href=\"/innovations/case-1\">Fixture Case 1</a>"))
                #expect(body.contains("<a href=\"/innovations/case-10\">Fixture Case 10</a>"))
                #expect(body.contains("<th scope=\"row\">Level of government</th><td>Regional/State government</td><td>Regional/State government</td>"))
                #expect(body.contains("<th scope=\"row\">Year launched</th><td>2006</td><td>2005</td>"))
                #expect(body.contains("<th scope=\"row\">Recognition</th><td><span class=\"missing\">–</span></td><td>Award winner</td>"))
                #expect(body.contains("href=\"/innovations/compare?c=case-10\""))
            }
            try await app.testing().test(.GET, "/innovations/compare?c=case-1&c=case-2&c=case-3&c=case-4") { response in
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("Up to 3 case studies"))
            }
            for missing in ["hidden", "nope", "%3Cx%3E"] {
                try await app.testing().test(.GET, "/innovations/compare?c=case-1&c=\(missing)") { response in
                    #expect(response.status == .notFound, "\(missing)")
                    #expect(response.body.string.contains("There is no published case study"))
                }
            }
            try await app.testing().test(.GET, "/innovations/compare") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("Tick “Compare”"))
            }
        }
    }
}
