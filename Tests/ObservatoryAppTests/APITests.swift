import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

@Suite("JSON API")
struct APITests {
    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as! [String: Any]
    }

    static let content = (0..<7).map { index in
        importLine(type: index < 5 ? "post" : "event", title: "Item \(index)", published: "2021-0\(index % 3 + 1)-1\(index)T10:00:00Z",
                   extra: ["tags": [index % 2 == 0 ? "even" : "odd"]])
    } + [importLine(type: "call", title: "Call for Cities", published: "2020-01-01T00:00:00Z", extra: ["fields": [
        "opens_at": "2020-01-02T09:00:00+01:00", "closes_at": "2098-09-22T23:59:00+02:00", "timezone": "Europe/Paris",
    ] as [String: Any]])]

    @Test(arguments: TestDatabase.allCases)
    func itemsPageThroughWithCursorsAndFilters(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.content)
            var seen: [String] = []
            var path = "/api/v1/items?type=post&limit=2"
            var pages = 0
            while true {
                let page = try Self.json(try await app.testing().sendRequest(.GET, path))
                #expect(page["total"] as? Int == 5)
                seen += (page["items"] as! [[String: Any]]).map { $0["title"] as! String }
                pages += 1
                guard let next = (page["links"] as! [String: String])["next"] else { break }
                path = String(next.dropFirst("http://127.0.0.1:8080".count))
            }
            #expect(pages == 3)
            // Newest first, every item once.
            #expect(seen == ["Item 2", "Item 4", "Item 1", "Item 3", "Item 0"])
            let oldest = try Self.json(try await app.testing().sendRequest(.GET, "/api/v1/items?sort=oldest&limit=1"))
            #expect((oldest["items"] as! [[String: Any]]).first?["title"] as? String == "Call for Cities")
            let tagged = try Self.json(try await app.testing().sendRequest(.GET, "/api/v1/items?tag=odd"))
            #expect((tagged["items"] as! [[String: Any]]).map { $0["title"] as! String }.sorted() == ["Item 1", "Item 3", "Item 5"])
            for bad in ["/api/v1/items?cursor=abc", "/api/v1/items?limit=0", "/api/v1/items?limit=101", "/api/v1/items?sort=random",
                        "/api/v1/items?type=poem", "/api/v1/items?tag=no-such-tag"] {
                let response = try await app.testing().sendRequest(.GET, bad)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.headers.first(name: .contentType) == "application/problem+json")
                #expect(try Self.json(response)["detail"] as? String != nil, "\(bad)")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func oneItemVocabulariesAndCalls(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines(Self.content)
            let item = try await app.testing().sendRequest(.GET, "/api/v1/items/post/item-3")
            #expect(item.status == .ok)
            let body = try Self.json(item)
            #expect(body["title"] as? String == "Item 3" && (body["terms"] as? [String: [String]])?["tag"] == ["odd"])
            #expect((body["body_html"] as? String)?.contains("<p>") == true)
            let missing = try await app.testing().sendRequest(.GET, "/api/v1/items/post/nothing-here")
            #expect(missing.status == .notFound && missing.headers.first(name: .contentType) == "application/problem+json")

            let vocabularies = try JSONSerialization.jsonObject(with: Data(try await app.testing().sendRequest(.GET, "/api/v1/vocabularies").body.string.utf8)) as! [[String: Any]]
            let tags = try #require(vocabularies.first { $0["name"] as? String == "tag" })
            let counts = Dictionary(uniqueKeysWithValues: (tags["terms"] as! [[String: Any]]).map { ($0["slug"] as! String, $0["count"] as! Int) })
            #expect(counts["even"] == 4 && counts["odd"] == 3)

            let calls = try JSONSerialization.jsonObject(with: Data(try await app.testing().sendRequest(.GET, "/api/v1/calls").body.string.utf8)) as! [[String: Any]]
            #expect(calls.count == 1)
            #expect(calls[0]["status"] as? String == "open" && calls[0]["closes_at"] as? String == "2098-09-22T23:59:00+02:00")
        }
    }

    @Test func conditionalRequestsCORSAndMethods() async throws {
        try await withApp(.sqlite) { app in
            try await app.importLines(Self.content)
            let first = try await app.testing().sendRequest(.GET, "/api/v1/items/post/item-3")
            let etag = try #require(first.headers.first(name: .eTag))
            let lastModified = try #require(first.headers.first(name: .lastModified))
            #expect(first.headers.first(name: "Access-Control-Allow-Origin") == "*")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/items/post/item-3", headers: ["If-None-Match": etag]).status == .notModified)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/items/post/item-3", headers: ["If-Modified-Since": lastModified]).status == .notModified)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/items/post/item-3", headers: ["If-None-Match": "\"other\""]).status == .ok)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/items")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/items", headers: ["If-None-Match": list.headers.first(name: .eTag)!]).status == .notModified)
            // A change makes the old validator stale.
            try await app.importLines([importLine(type: "post", title: "Newer item", published: "2022-01-01T00:00:00Z")])
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/items", headers: ["If-None-Match": list.headers.first(name: .eTag)!]).status == .ok)

            let preflight = try await app.testing().sendRequest(.OPTIONS, "/api/v1/items", headers: ["Origin": "https://elsewhere.example",
                                                                                                   "Access-Control-Request-Method": "GET"])
            #expect(preflight.status == .noContent && preflight.headers.first(name: "Access-Control-Allow-Origin") == "*")
            let post = try await app.testing().sendRequest(.POST, "/api/v1/items")
            #expect(post.status == .methodNotAllowed && post.headers.first(name: .allow) == "GET, HEAD, OPTIONS")
        }
    }

    @Test func theOpenAPIDocumentValidatesAndSchemathesisFindsNothing() async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            try await app.importLines(Self.content + (0..<6).map { index in
                importLine(type: "case_study", title: "Case \(index)", published: "2022-01-0\(index + 1)T00:00:00Z",
                           extra: ["fields": ["country_code": "KE", "year_launched": 2010 + index, "innovation_tags": ["Open data"]] as [String: Any]])
            })
            let document = try await app.testing().sendRequest(.GET, "/api/openapi.json").body.string
            let validation = try runPython("""
            import json, sys
            from openapi_spec_validator import validate
            validate(json.loads(sys.stdin.read()))
            print("valid")
            """, input: document)
            #expect(String(decoding: validation, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "valid")

            // A contributor's token that writes, so the write endpoints are fuzzed past authentication
            // (the imported call is open until 2098).
            let contributor = try await app.makeAccount("fuzzer@example.org")
            let (_, token) = try await APITokenStore(sql: app.db as! any SQLDatabase, now: app.clock.now())
                .create(accountID: contributor.id, name: "fuzz", scopes: [.read, .write])

            // A real server on a free port, fuzzed by schemathesis from the document.
            let port = Int.random(in: 20_000...60_000)
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = port
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["schemathesis", "run", "http://127.0.0.1:\(port)/api/openapi.json", "--url", "http://127.0.0.1:\(port)",
                                 "--max-examples", "60", "--generation-deterministic", "--header", "Authorization: Bearer \(token)",
                                 "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,response_headers_conformance"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            await app.server.shutdown()
            #expect(process.terminationStatus == 0, "schemathesis:\n\(text.suffix(4_000))")
            // The token took the fuzzer past authentication: it started entries.
            let started = try await (app.db as! any SQLDatabase).select().column("id").from("submissions")
                .where("owner_id", .equal, contributor.id).all()
            #expect(!started.isEmpty)
            // Every generated case passed every check (warnings about coverage may remain: a
            // random entry id is rarely one's own, random answers rarely fit the questionnaire).
            let counts = text.firstMatch(of: /(\d+) generated, (\d+) passed/)
            #expect(counts != nil && counts?.output.1 == counts?.output.2 && Int(counts?.output.1 ?? "0")! > 500,
                    "schemathesis:\n\(text.suffix(2_000))")
            #expect(!text.contains("FAILURES") && !text.contains("ERRORS"), "schemathesis:\n\(text.suffix(4_000))")
        }
    }
}
