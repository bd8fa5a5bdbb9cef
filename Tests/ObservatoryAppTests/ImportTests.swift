import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import ObservatoryApp
@testable import ObservatoryCore

@Suite("Import")
struct ImportTests {
    @Test(arguments: TestDatabase.allCases)
    func importIsIdempotentAndUpdatesChangedLines(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            let first = try await app.importLines(fixtureLines)
            #expect(first.created == fixtureLines.count)
            #expect(first.skipped.isEmpty)
            let versionAfterFirst = try await contentVersion(app)

            let second = try await app.importLines(fixtureLines)
            #expect(second.created == 0)
            #expect(second.updated == 0)
            #expect(second.unchanged == fixtureLines.count)
            #expect(try await contentVersion(app) == versionAfterFirst)
            #expect(try await count(app, "items") == fixtureLines.count)

            var changed = fixtureLines
            changed[1] = importLine(type: "case_study", title: "Open Budget Lab", published: "2021-04-01T09:00:00Z",
                                    body: "Now about citizen assemblies.")
            let third = try await app.importLines(changed)
            #expect(third.updated == 1)
            #expect(third.unchanged == fixtureLines.count - 1)
            #expect(try await count(app, "items") == fixtureLines.count)
            #expect(try await contentVersion(app) > versionAfterFirst)
            try await app.testing().test(.GET, "/innovations/open-budget-lab") { response in
                #expect(response.body.string.contains("Now about citizen assemblies."))
            }
            // Terms and authors were not duplicated by the re-imports.
            let freshTermLinks = try await countAfterFreshImport(changed, database)
            #expect(try await count(app, "item_terms") == freshTermLinks)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badLinesAreReportedAndSkipped(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            let lines = [
                importLine(type: "post", title: "Good One"),
                "{not json",
                importLine(type: "post", title: "   "),
                importLine(type: "podcast", title: "Unknown Type"),
                importLine(type: "post", title: "Bad Date", published: "2020-13-45T00:00:00Z"),
                "",
                importLine(type: "case_study", title: "Bad Year", extra: ["fields": ["year_launched": "soon"]]),
                importLine(type: "post", title: "Good Two"),
            ]
            let report = try await app.importLines(lines)
            #expect(report.created == 2)
            #expect(report.skipped.map(\.lineNumber) == [2, 3, 4, 5, 7])
            #expect(report.skipped[0].message == "not valid JSON")
            #expect(report.skipped[1].message == "“title” is missing")
            #expect(report.skipped[2].message.hasPrefix("unknown type “podcast” (valid types: post, case_study"))
            #expect(report.skipped[3].message == "“published_at” is not an RFC 3339 date and time: “2020-13-45T00:00:00Z”")
            #expect(report.skipped[4].message == "field “year_launched” must be a whole number")
            #expect(try await count(app, "items") == 2)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func slugsAreUniquePerTypeAndTransliterated(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([
                importLine(type: "case_study", title: "Município de São Paulo"),
                importLine(type: "post", title: "Município de São Paulo"),
            ])
            // The same slug may exist once per type.
            #expect(try await count(app, "items") == 2)
            let sql = try #require(app.db as? any SQLDatabase)
            let store = ContentStore(sql: sql)
            #expect(try await store.availableSlug(for: "Município de São Paulo", type: .caseStudy) == "municipio-de-sao-paulo-2")
            #expect(try await store.availableSlug(for: "Município de São Paulo", type: .toolkit) == "municipio-de-sao-paulo")
            // The database refuses a second item of the same type and slug.
            await #expect(throws: (any Error).self) {
                try await sql.insert(into: "items")
                    .columns("type", "slug", "title", "summary", "body", "body_html", "search_text", "status",
                             "created_at", "updated_at", "language", "featured", "fingerprint")
                    .values(SQLBind("case_study"), SQLBind("municipio-de-sao-paulo"), SQLBind("Copy"), SQLBind(""),
                            SQLBind(""), SQLBind(""), SQLBind(""), SQLBind("draft"), SQLBind(0), SQLBind(0),
                            SQLBind("en"), SQLBind(false), SQLBind(""))
                    .run()
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func importsTheProjectsSampleContent(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            let lines = Array(SampleContent(seed: 1).lines(count: 120))
            let report = try await app.importLines(lines)
            #expect(report.skipped.isEmpty, "\(report.skipped)")
            #expect(report.created == 120)
            for type in ContentType.allCases {
                try await app.testing().test(.GET, "/search?type=\(type.rawValue)") { response in
                    #expect(response.status == .ok)
                    #expect(!response.body.string.contains("Results: 0"), "no \(type.rawValue) in the sample")
                }
            }
        }
    }

    static let sharedDataSet = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/dataset/posts-200.jsonl").standardized.path

    /// The data set other systems are measured on, when it lies beside the project (it does in
    /// development and CI; a user's machine has none, and the runner then reports the skip).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedDataSet), "the shared data set is not beside the project"),
          arguments: TestDatabase.allCases)
    func importsTheSharedDataSet(_ database: TestDatabase) async throws {
        let path = Self.sharedDataSet
        try await withApp(database) { app in
            let report = try await Importer(database: app.db).run(lines: try LineReader(path: path))
            #expect(report.skipped.isEmpty, "\(report.skipped)")
            #expect(report.created == 200)
        }
    }

    private func count(_ app: Application, _ table: String) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()
        return try #require(row).decode(column: "n", as: Int.self)
    }

    private func contentVersion(_ app: Application) async throws -> Int64 {
        let sql = try #require(app.db as? any SQLDatabase)
        let row = try await sql.select().column("content_version").from("site_state").first()
        return try #require(row).decode(column: "content_version", as: Int64.self)
    }

    private func countAfterFreshImport(_ lines: [String], _ database: TestDatabase) async throws -> Int {
        var result = 0
        try await withApp(database) { app in
            try await app.importLines(lines)
            result = try await count(app, "item_terms")
        }
        return result
    }
}
