import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Editors renaming, merging, hiding and adding terms.
@Suite("Vocabularies")
struct VocabularyTests {
    static func termID(_ sql: any SQLDatabase, _ vocabulary: String, _ slug: String) async throws -> Int64? {
        try await sql.select().column("id").from("terms").where("vocabulary", .equal, vocabulary).where("slug", .equal, slug).first()?
            .decode(column: "id", as: Int64.self)
    }

    static func terms(_ sql: any SQLDatabase, of slug: String) async throws -> [String] {
        try await sql.raw("""
            SELECT t.vocabulary, t.slug FROM item_terms it JOIN terms t ON t.id = it.term_id JOIN items i ON i.id = it.item_id \
            WHERE i.slug = \(bind: slug) ORDER BY t.vocabulary, t.slug
            """).all().map { "\(try $0.decode(column: "vocabulary", as: String.self)):\(try $0.decode(column: "slug", as: String.self))" }
    }

    @Test(arguments: TestDatabase.allCases)
    func mergingKeepsEveryItemsTermsAndOldAddressesLeadToTheTarget(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([
                importLine(type: "post", title: "Both", extra: ["tags": ["open-data", "data"]]),
                importLine(type: "post", title: "Only data", extra: ["tags": ["data"]]),
                importLine(type: "news", title: "Only open", extra: ["tags": ["open-data"]]),
                importLine(type: "post", title: "Neither", extra: ["tags": ["budgets"]]),
            ])
            let sql = app.db as! any SQLDatabase
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let before = try await editor.get("/admin/vocabularies/tag").body.string
            #expect(before.contains("<code>data</code></td><td>2</td>") && before.contains("<code>open-data</code></td><td>2</td>"))
            let data = try #require(try await Self.termID(sql, "tag", "data"))
            let open = try #require(try await Self.termID(sql, "tag", "open-data"))

            let merged = try await editor.submit("/admin/vocabularies/tag", action: "/admin/vocabularies/tag/terms/\(data)/merge", ["target": String(open)])
            #expect(merged.status == .seeOther)
            // Every item keeps its terms: the merged one becomes the target, once.
            #expect(try await Self.terms(sql, of: "both") == ["country:kenya", "sector:health", "tag:open-data"])
            #expect(try await Self.terms(sql, of: "only-data") == ["country:kenya", "sector:health", "tag:open-data"])
            #expect(try await Self.terms(sql, of: "only-open") == ["country:kenya", "sector:health", "tag:open-data"])
            #expect(try await Self.terms(sql, of: "neither") == ["country:kenya", "sector:health", "tag:budgets"])
            #expect(try await Self.termID(sql, "tag", "data") == nil)
            let old = try await Browser(app).get("/tags/data")
            #expect(old.status == .movedPermanently && old.headers.first(name: .location) == "/tags/open-data")
            let archive = try await Browser(app).get("/tags/open-data").body.string
            #expect(archive.contains("Both") && archive.contains("Only data") && archive.contains("Only open") && !archive.contains("Neither"))
            #expect(try await editor.get("/admin/vocabularies/tag").body.string.contains("<code>open-data</code></td><td>3</td>"))
            #expect(try await app.auditActions().contains(AuditAction.termChanged.rawValue))

            // Content that still names the merged term (a later import) lands on the target.
            try await app.importLines([importLine(type: "post", title: "Late", extra: ["tags": ["data"]])])
            #expect(try await Self.terms(sql, of: "late") == ["country:kenya", "sector:health", "tag:open-data"])
            #expect(try await Self.termID(sql, "tag", "data") == nil)

            // Renamed: the address stays, pages show the new name, the old name still finds it.
            #expect(try await editor.submit("/admin/vocabularies/tag", action: "/admin/vocabularies/tag/terms/\(open)/rename",
                                            ["name": "Open government data"]).status == .seeOther)
            #expect(try await Browser(app).get("/blog/both").body.string.contains("Open government data"))
            #expect(try await Browser(app).get("/tags/open-data").status == .ok)
            try await app.importLines([importLine(type: "post", title: "Later", extra: ["tags": ["open-data"]])])
            #expect(try await Self.terms(sql, of: "later").contains("tag:open-data"))
            let clash = try await editor.submit("/admin/vocabularies/tag", action: "/admin/vocabularies/tag/terms/\(open)/rename", ["name": "Budgets"])
            #expect(clash.status == .conflict && clash.body.string.contains("Another term of this vocabulary has this name."))
            let same = try await editor.submit("/admin/vocabularies/tag", action: "/admin/vocabularies/tag/terms/\(open)/merge", ["target": String(open)])
            #expect(same.status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func hiddenTermsLeaveThePublicSiteButStayOnItems(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "post", title: "Clinics", extra: ["sector": ["Health"]]),
                                       importLine(type: "case_study", title: "Clinic case", extra: ["sector": ["Health"]])])
            let sql = app.db as! any SQLDatabase
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let health = try #require(try await Self.termID(sql, "sector", "health"))
            #expect(try await Browser(app).get("/blog/clinics").body.string.contains("/sectors/health"))
            #expect(try await editor.submit("/admin/vocabularies/sector", action: "/admin/vocabularies/sector/terms/\(health)/visibility",
                                            ["hidden": "yes"]).status == .seeOther)
            #expect(try await !(Browser(app).get("/blog/clinics").body.string.contains("/sectors/health")))
            #expect(try await Browser(app).get("/sectors/health").status == .notFound)
            func sectorSlugs() async throws -> [String] {
                let body = try await Browser(app).get("/api/v1/vocabularies").body.string
                let vocabularies = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
                let sector = vocabularies.first { $0["name"] as? String == "sector" }
                return ((sector?["terms"] as? [[String: Any]]) ?? []).compactMap { $0["slug"] as? String }
            }
            #expect(try await !sectorSlugs().contains("health"))
            #expect(try await Self.terms(sql, of: "clinics").contains("sector:health"))
            // Nor is it in the open data.
            #expect(try await !(Browser(app).get("/data/cases.ndjson").body.string.contains("\"Health\"")))
            #expect(try await editor.get("/admin/vocabularies/sector").body.string.contains("Hidden"))
            #expect(try await editor.submit("/admin/vocabularies/sector", action: "/admin/vocabularies/sector/terms/\(health)/visibility",
                                            ["hidden": "no"]).status == .seeOther)
            #expect(try await Browser(app).get("/sectors/health").status == .ok)
            #expect(try await sectorSlugs().contains("health"))
            #expect(try await Browser(app).get("/data/cases.ndjson").body.string.contains("\"sectors\":[\"Health\"]"))

            // Adding: a new term with no items; the same name twice is refused.
            #expect(try await editor.submit("/admin/vocabularies/sector", action: "/admin/vocabularies/sector/terms", ["name": "Digital identity"]).status == .seeOther)
            #expect(try await editor.get("/admin/vocabularies/sector").body.string.contains("<code>digital-identity</code></td><td>0</td>"))
            let twice = try await editor.submit("/admin/vocabularies/sector", action: "/admin/vocabularies/sector/terms", ["name": "digital identity"])
            #expect(twice.status == .conflict && twice.body.string.contains("value=\"digital identity\""))
            let empty = try await editor.submit("/admin/vocabularies/sector", action: "/admin/vocabularies/sector/terms", ["name": "  "])
            #expect(empty.status == .badRequest && empty.body.string.contains("Give the term a name."))
            #expect(try await editor.get("/admin/vocabularies/nonsense").status == .notFound)
        }
    }
}
