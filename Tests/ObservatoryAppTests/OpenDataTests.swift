import Foundation
import ObservatoryCore
import SQLKit
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Open data exports")
struct OpenDataTests {
    static let tricky = "Commas, \"quotes\",\nnew lines\r\nand São Paulo – 東京 – القاهرة"

    static func cases(_ count: Int) -> [String] {
        (0..<count).map { index in
            let even = index % 2 == 0
            var fields: [String: Any] = [:]
            fields["country_code"] = even ? "KE" : "BR"
            fields["year_launched"] = 2000 + index % 20
            fields["organisation_name"] = index == 0 ? Self.tricky : "Organisation \(index)"
            fields["innovation_tags"] = ["Open data", "Data"]
            fields["level_of_government"] = "Local government"
            fields["video_urls"] = ["https://video.example/\(index)/a", "https://video.example/\(index)/b"]
            let title = index == 0 ? "First, \"quoted\" case" : "Case number \(index)"
            return importLine(type: "case_study", title: title, published: "2021-01-01T00:00:00Z",
                              extra: ["country": [even ? "Kenya" : "Brazil"], "fields": fields])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyFormatReadsBackWithTheDatabasesValues(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            // More cases than one batch, a draft and a post that must stay out.
            let count = CaseExporter.batchSize + 7
            try await app.importLines(Self.cases(count) + [
                importLine(type: "post", title: "Not a case"),
                importLine(type: "case_study", title: "Scheduled case", published: "2099-01-01T00:00:00Z"),
            ])
            let csv = try await app.testing().sendRequest(.GET, "/data/cases.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers.first(name: "Link") == "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"")
            let program = """
            import csv, io, json, sys
            rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))
            print(json.dumps({"count": len(rows), "columns": list(rows[0].keys()), "first": rows[0], "last": rows[-1]}))
            """
            let read = try JSONSerialization.jsonObject(with: try runPython(program, input: csv.body.string)) as! [String: Any]
            #expect(read["count"] as? Int == count)
            #expect(read["columns"] as? [String] == CaseExport.columns.map(\.name))
            let first = read["first"] as! [String: String]
            #expect(first["title"] == "First, \"quoted\" case")
            #expect(first["organisation_name"]?.contains("\"quotes\",") == true && first["organisation_name"]?.contains("東京 – القاهرة") == true)
            #expect(first["country"] == "Kenya" && first["country_code"] == "KE")
            #expect(first["innovation_tags"] == "Open data; Data")
            #expect(first["video_urls"] == "https://video.example/0/a; https://video.example/0/b")
            #expect(first["year_launched"] == "2000")
            #expect(first["url"] == "http://127.0.0.1:8080/innovations/first-quoted-case")
            #expect(first["published_at"] == "2021-01-01T00:00:00Z")
            // The same values as the database holds.
            let stored = try await (app.db as! any SQLDatabase).select().column("text_value").from("item_fields")
                .where("name", .equal, "organisation_name").orderBy(SQLColumn("item_id"), SQLDirection.ascending).first()?
                .decode(column: "text_value", as: String.self)
            #expect(stored == first["organisation_name"])
            #expect((read["last"] as! [String: String])["title"] == "Case number \(count - 1)")

            let ndjson = try await app.testing().sendRequest(.GET, "/data/cases.ndjson").body.string
            let lines = ndjson.split(separator: "\n")
            #expect(lines.count == count)
            let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
            #expect(object["organisation_name"] as? String == stored)
            #expect(object["innovation_tags"] as? [String] == ["Open data", "Data"])
            #expect(object["year_launched"] as? Int == 2000)
            #expect(object["recognition"] is NSNull)
            let json = try await app.testing().sendRequest(.GET, "/data/cases.json")
            let array = try JSONSerialization.jsonObject(with: Data(json.body.string.utf8)) as! [[String: Any]]
            #expect(array.count == count)
            #expect(array.map { $0["id"] as! Int } == array.map { $0["id"] as! Int }.sorted())

            let dictionary = try await app.testing().sendRequest(.GET, "/data").body.string
            #expect(dictionary.contains("Every published case study (\(count) today)"))
            #expect(dictionary.contains("<code>innovation_tags</code>"))
            #expect(dictionary.contains("rel=\"license\">CC BY 4.0</a>"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func storedLinesAreServedWhileCurrentAndForgottenOnEveryChange(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.cases(12) + [importLine(type: "case_study", title: "Scheduled case", published: "2099-01-01T00:00:00Z")])
            let sql = app.db as! any SQLDatabase
            let rows = ExportRows(database: app.db, baseURL: app.siteSettings.baseURL, now: app.clock.now())
            func download() async throws -> String {
                let ndjson = try await app.testing().sendRequest(.GET, "/data/cases.ndjson").body.string
                let csv = try await app.testing().sendRequest(.GET, "/data/cases.csv").body.string
                let json = try await app.testing().sendRequest(.GET, "/data/cases.json").body.string
                return ndjson + "\n--\n" + csv + "\n--\n" + json
            }
            func stored() async throws -> Set<Int64> {
                Set(try await sql.select().column("item_id").from("export_rows").all().map { try $0.decode(column: "item_id", as: Int64.self) })
            }
            /// The download with the stored lines equals the download rendered from scratch.
            func expectCurrent(_ step: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let withLines = try await download()
                try await sql.delete(from: "export_rows").run()
                let rendered = try await download()
                #expect(withLines == rendered, "\(step): stored lines differ from the cases", sourceLocation: sourceLocation)
                try await rows.fillAll()
            }
            let ids = try await sql.select().column("id").from("items").where("type", .equal, "case_study").orderBy("id").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            let rendered = try await download()
            #expect(try await rows.missingCount() == 13)
            #expect(try await rows.fillAll() == 13)
            #expect(try await rows.missingCount() == 0)
            #expect(try await stored() == Set(ids))
            #expect(try await download() == rendered)

            // The stored line is what is served (a changed line shows), for every format's column.
            try await sql.raw("UPDATE export_rows SET json = '{\"stored\":true}' WHERE item_id = \(bind: ids[1])").run()
            #expect(try await app.testing().sendRequest(.GET, "/data/cases.ndjson").body.string.contains("{\"stored\":true}\n"))
            try await sql.delete(from: "export_rows").where("item_id", .equal, ids[1]).run()
            #expect(try await download() == rendered)
            try await rows.fillAll()

            // Each kind of change forgets exactly the lines it touches.
            try await sql.update("item_fields").set("text_value", to: "Renamed organisation").where("item_id", .equal, ids[2])
                .where("name", .equal, "organisation_name").run()
            #expect(try await stored() == Set(ids).subtracting([ids[2]]))
            try await expectCurrent("a field changed")
            #expect(try await download().contains("Renamed organisation"))

            let kenyan = Set(try await sql.raw("""
                SELECT it.item_id FROM item_terms it JOIN terms t ON t.id = it.term_id WHERE t.vocabulary = 'country' AND t.name = 'Kenya'
                """).all().map { try $0.decode(column: "item_id", as: Int64.self) })
            #expect(kenyan.count >= 6 && kenyan.count < ids.count)
            try await sql.update("terms").set("name", to: "Republic of Kenya").where("vocabulary", .equal, "country").where("name", .equal, "Kenya").run()
            #expect(try await stored() == Set(ids).subtracting(kenyan))
            try await expectCurrent("a term renamed")
            #expect(try await download().contains("Republic of Kenya"))

            try await sql.update("items").set("title", to: "Retitled case").where("id", .equal, ids[3]).run()
            #expect(try await stored() == Set(ids).subtracting([ids[3]]))
            try await expectCurrent("an item changed")

            let tag = try await sql.select().column("id").from("terms").where("vocabulary", .equal, "innovation_tag").where("name", .equal, "Data")
                .first()!.decode(column: "id", as: Int64.self)
            try await sql.delete(from: "item_terms").where("item_id", .equal, ids[4]).where("term_id", .equal, tag).run()
            #expect(try await stored() == Set(ids).subtracting([ids[4]]))
            try await expectCurrent("a term taken off")
            try await sql.delete(from: "item_terms").where("term_id", .equal, tag).run()
            try await sql.delete(from: "terms").where("id", .equal, tag).run()
            #expect(try await stored() == Set([ids[4], ids[12]]))
            try await expectCurrent("a term deleted")

            try await sql.delete(from: "item_fields").where("item_id", .equal, ids[5]).run()
            try await sql.delete(from: "item_terms").where("item_id", .equal, ids[5]).run()
            try await sql.delete(from: "items").where("id", .equal, ids[5]).run()
            #expect(try await stored() == Set(ids).subtracting([ids[5]]))
            try await expectCurrent("an item deleted")

            // Lines made for another address of the site are never served, and are forgotten.
            try await sql.update("export_rows").set("base_url", to: "https://old.example.org").run()
            let current = try await download()
            #expect(!current.contains("https://old.example.org") && current.contains("http://127.0.0.1:8080/innovations/"))
            try await rows.forgetOtherBaseURLs()
            #expect(try await stored().isEmpty)
        }
    }

    @Test func csvAndJSONEncodingFollowTheirRules() {
        let row = CaseExport.Row(["id": .integer(7), "title": .text("A \"b\", c"), "overview": .text("line\nbreak \u{1} \u{2028} – é"),
                                  "tags": .list(["x", "y"])])
        let line = CaseExport.csvLine(row)
        #expect(line.hasPrefix("7,,,\"A \"\"b\"\", c\","))
        #expect(line.hasSuffix("\"x; y\"\r\n") || line.hasSuffix("x; y\r\n"))
        let json = CaseExport.jsonObject(row)
        #expect(json.contains("\"overview\":\"line\\nbreak \\u0001 \\u2028 – é\""))
        let decoded = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(decoded?["title"] as? String == "A \"b\", c")
        #expect(decoded?["tags"] as? [String] == ["x", "y"])
    }
}
