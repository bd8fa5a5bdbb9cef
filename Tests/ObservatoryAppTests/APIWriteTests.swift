import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Personal API tokens and the write API: entries started, changed and submitted by
/// programs, under the form's rules and deadline.
@Suite("API tokens and the write API")
struct APIWriteTests {
    /// Makes a token through the account page, as a person would; returns the token shown once.
    static func makeToken(_ browser: Browser, name: String, scope: APIScope) async throws -> String {
        let made = try await browser.submit("/account", action: "/account/api-tokens", ["token_name": name, "token_scope": scope.rawValue])
        #expect(made.status == .created, "making a token: \(made.status) \(made.body.string.prefix(500))")
        let page = made.body.string
        let marker = "value=\"" + APITokenFormat.prefix
        let start = try #require(page.range(of: marker))
        let rest = page[page.index(start.upperBound, offsetBy: -APITokenFormat.prefix.count)...]
        return String(rest.prefix { $0 != "\"" })
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil,
                     headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        if json != nil { headers.contentType = .json }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any])
    }

    @Test(arguments: TestDatabase.allCases)
    func tokensAreShownOnceStoredHashedScopedAndRevocable(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            app.clock.freeze(at: 1_900_000_000)
            let account = try await app.makeAccount("coder@example.org", name: "Cody Coder")
            let browser = try await app.browser(signedInAs: account)
            let reader = try await Self.makeToken(browser, name: "Dashboard", scope: .read)
            let writer = try await Self.makeToken(browser, name: "Submission script", scope: .write)
            #expect(reader.hasPrefix("obs_") && reader.count > 40 && reader != writer)

            // Only a hash is stored: neither token appears in the table.
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.select().columns("name", "token_hash", "prefix", "scopes", "last_used_at").from("api_tokens")
                .orderBy("id").all()
            #expect(rows.count == 2)
            let hashes = try rows.map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(!hashes.contains(reader) && !hashes.contains(writer))
            #expect(hashes[0] == SecretToken.hash(reader))
            #expect(try rows.map { try $0.decode(column: "scopes", as: String.self) } == ["read", "read write"])
            #expect(try rows[0].decode(column: "last_used_at", as: Int64?.self) == nil)

            // The account page lists both, never the tokens themselves, and says they were never used.
            var page = try await browser.get("/account").body.string
            #expect(page.contains("Dashboard") && page.contains("Submission script"))
            #expect(!page.contains(reader) && !page.contains(writer))
            #expect(page.contains(String(reader.prefix(12)) + "…"))
            #expect(page.components(separatedBy: "<td>Never</td>").count == 3)

            // Reading with either token; the last use is recorded and shown.
            app.clock.advance(by: 120)
            let mine = try await Self.send(app, .GET, "/api/v1/submissions", token: reader)
            #expect(mine.status == .ok && mine.body.string == "[]")
            #expect(mine.headers.first(name: .cacheControl) == "private, no-store")
            page = try await browser.get("/account").body.string
            #expect(page.components(separatedBy: "<td>Never</td>").count == 2)

            // A reading token may not write: 403 naming the scope, nothing created.
            let slug = try await SubmissionTests.openCall(try await app.browser(signedInAs: try await app.makeAccount("ed@example.org", role: .editor)),
                                                          title: "Call for Tokens")
            let refused = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: reader, json: "{}")
            #expect(refused.status == .forbidden)
            #expect(refused.headers.first(name: "WWW-Authenticate")?.contains("insufficient_scope") == true)
            #expect(try Self.object(refused)["detail"] as? String == "This token does not allow write: make a token that does on your account page.")
            #expect(try await sql.select().column("id").from("submissions").all().isEmpty)
            #expect(try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: writer, json: "{}").status == .created)

            // Tokens work only under /api/: on pages they sign nobody in.
            let page401 = try await Self.send(app, .GET, "/account", token: writer)
            #expect(page401.status == .seeOther && page401.headers.first(name: .location)?.hasPrefix("/account/sign-in") == true)

            // Revoked: refused at once with 401 and a Bearer challenge; the other token still works.
            let tokenID = try await sql.select().column("id").from("api_tokens").where("name", .equal, "Dashboard").first()!
                .decode(column: "id", as: Int64.self)
            let revoked = try await browser.submit("/account", action: "/account/api-tokens/\(tokenID)/revoke", [:])
            #expect(revoked.status == .seeOther)
            let after = try await Self.send(app, .GET, "/api/v1/submissions", token: reader)
            #expect(after.status == .unauthorized)
            #expect(after.headers.first(name: "WWW-Authenticate")?.contains("invalid_token") == true)
            #expect(after.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(try await Self.send(app, .GET, "/api/v1/submissions", token: writer).status == .ok)
            // Someone else cannot revoke a token that is not theirs.
            let other = try await app.browser(signedInAs: try await app.makeAccount("other@example.org"))
            let writerID = try await sql.select().column("id").from("api_tokens").first()!.decode(column: "id", as: Int64.self)
            #expect(try await other.post("/account/api-tokens/\(writerID)/revoke", ["csrf_token": try await other.csrfToken()]).status == .notFound)
            #expect(try await Self.send(app, .GET, "/api/v1/submissions", token: writer).status == .ok)
            #expect(try await app.auditActions().filter { $0.hasPrefix("api_token.") } == ["api_token.created", "api_token.created", "api_token.revoked"])

            // A new password ends every token: whoever knew the old one may have made them.
            let changed = try await browser.submit("/account", action: "/account/password", [
                "current_password": account.password, "password": "another sufficiently long passphrase 2027",
            ])
            #expect(changed.status == .seeOther)
            #expect(try await Self.send(app, .GET, "/api/v1/submissions", token: writer).status == .unauthorized)
            #expect(try await sql.select().column("id").from("api_tokens").where("account_id", .equal, account.id).all().isEmpty)
            // A suspended account's tokens stop working; a made-up token never worked.
            try await sql.update("accounts").set("status", to: AccountStatus.suspended.rawValue).where("id", .equal, account.id).run()
            #expect(try await Self.send(app, .GET, "/api/v1/submissions", token: writer).status == .unauthorized)
            #expect(try await Self.send(app, .GET, "/api/v1/submissions", token: "obs_" + String(repeating: "x", count: 43)).status == .unauthorized)
        }
    }

    @Test func theTokenFormRefusesBadInputWithTheReason() async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            let browser = try await app.browser(signedInAs: try await app.makeAccount("form@example.org"))
            let response = try await browser.submit("/account", action: "/account/api-tokens", ["token_name": "  ", "token_scope": "admin"])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("Give the token a name."))
            #expect(response.body.string.contains("Choose what the token allows."))
            let long = try await browser.submit("/account", action: "/account/api-tokens", ["token_name": String(repeating: "n", count: 81), "token_scope": "read"])
            #expect(long.status == .badRequest && long.body.string.contains("Use at most 80 characters."))
            #expect(try await (app.db as! any SQLDatabase).select().column("id").from("api_tokens").all().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func programsFillAndSubmitEntriesUnderTheFormsRules(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let deadline = try LocalDateTime.instant("2027-03-31T17:00", in: TimeZone(identifier: "America/New_York")!)
            app.clock.freeze(at: deadline - 86_400)
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await SubmissionTests.openCall(editor, title: "Crisis responses 2027", closes: "2027-03-31T17:00", zone: "America/New_York")
            let contributor = try await app.makeAccount("bot-owner@example.org", name: "Ola Owner")
            let token = try await Self.makeToken(try await app.browser(signedInAs: contributor), name: "Importer", scope: .write)
            let sql = app.db as! any SQLDatabase

            // An answer that cannot be kept refuses the request and creates nothing.
            let tooLong = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token,
                                              json: #"{"answers": {"title": "\#(String(repeating: "x", count: 201))", "nonsense": "1"}}"#)
            #expect(tooLong.status == .unprocessableEntity)
            let problem = try Self.object(tooLong)
            let errors = try #require(problem["errors"] as? [[String: Any]])
            #expect(errors.map { $0["field"] as? String } == ["nonsense"])
            #expect(errors.first?["detail"] as? String == "This questionnaire has no such question.")
            let tooLongOnly = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token,
                                                  json: #"{"answers": {"title": "\#(String(repeating: "x", count: 201))"}}"#)
            #expect(tooLongOnly.status == .unprocessableEntity)
            #expect(try (Self.object(tooLongOnly)["errors"] as? [[String: Any]])?.first?["detail"] as? String
                    == "Use at most 200 characters (this answer has 201).")
            #expect(try await sql.select().column("id").from("submissions").all().isEmpty)
            let notJSON = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token, json: "{answers:")
            #expect(notJSON.status == .badRequest && notJSON.headers.contentType?.description.hasPrefix("application/problem+json") == true)

            // Started with some answers (numbers and lists as JSON values); the rest is listed as missing.
            let created = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token, json: """
                {"answers": {"title": "Flood alerts by SMS", "country": "BD", "crisis": "natural-disaster", "issues": ["health", "communication"],
                 "people_reached": 250000}}
                """)
            #expect(created.status == .created, "\(created.body.string)")
            var entry = try Self.object(created)
            let id = try #require(entry["id"] as? Int)
            #expect(created.headers.first(name: .location) == "http://127.0.0.1:8080/api/v1/submissions/\(id)")
            #expect(entry["status"] as? String == "draft" && entry["title"] as? String == "Flood alerts by SMS")
            #expect(entry["call"] as? String == slug && entry["questionnaire"] as? String == "crisis-response@1")
            #expect((entry["answers"] as? [String: Any])?["people_reached"] as? String == "250000")
            #expect((entry["answers"] as? [String: Any])?["issues"] as? [String] == ["health", "communication"])
            let missing = Set(((entry["missing"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(missing == ["started_on", "description", "contacts"])

            // Submitting now is refused with every missing answer, and the entry stays a draft.
            let early = try await Self.send(app, .POST, "/api/v1/submissions/\(id)/submit", token: token)
            #expect(early.status == .unprocessableEntity)
            #expect(Set(((try Self.object(early)["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }) == missing)
            #expect(try await SubmissionTests.status(app, Int64(id)) == .draft)

            // Changes are safe with If-Match: a stale ETag changes nothing (412).
            let read = try await Self.send(app, .GET, "/api/v1/submissions/\(id)", token: token)
            let etag = try #require(read.headers.first(name: .eTag))
            let stale = try await Self.send(app, .PATCH, "/api/v1/submissions/\(id)", token: token,
                                            json: #"{"answers": {"started_on": "2026-08-01"}}"#, headers: ["If-Match": "\"0000\""])
            #expect(stale.status == .preconditionFailed)
            let impossible = try await Self.send(app, .PATCH, "/api/v1/submissions/\(id)", token: token,
                                                 json: #"{"answers": {"started_on": "2026-02-30", "contacts": "Ana"}}"#, headers: ["If-Match": etag])
            #expect(impossible.status == .unprocessableEntity)
            #expect(Set(((try Self.object(impossible)["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }) == ["contacts"])
            let patched = try await Self.send(app, .PATCH, "/api/v1/submissions/\(id)", token: token, json: """
                {"answers": {"started_on": "2026-08-01", "description": "Alerts in Bangla, \\"two hours\\" ahead.\\nSent to 2 million phones.",
                 "contacts": [{"name": "Rafiq Islam", "email": "rafiq@example.org"}]}}
                """, headers: ["If-Match": etag])
            #expect(patched.status == .ok, "\(patched.body.string)")
            entry = try Self.object(patched)
            #expect((entry["missing"] as? [Any])?.isEmpty == true)
            #expect((entry["answers"] as? [String: Any])?["title"] as? String == "Flood alerts by SMS")
            // The same entry in the form, for the person: the answers are there.
            let stored = try #require(try await SubmissionStore(sql: sql, now: 0).find(id: Int64(id)))
            #expect(stored.answers["contacts"] == .rows([["name": "Rafiq Islam", "email": "rafiq@example.org"]]))
            #expect(stored.answers["description"] == .text("Alerts in Bangla, \"two hours\" ahead.\nSent to 2 million phones."))
            #expect(stored.revisions == ["contact": 2, "response": 2])

            // Someone else's entry does not exist for this token.
            let stranger = try await Self.makeToken(try await app.browser(signedInAs: try await app.makeAccount("stranger@example.org")),
                                                    name: "Other", scope: .write)
            #expect(try await Self.send(app, .GET, "/api/v1/submissions/\(id)", token: stranger).status == .notFound)
            #expect(try await Self.send(app, .PATCH, "/api/v1/submissions/\(id)", token: stranger, json: #"{"answers": {"title": "Mine"}}"#).status == .notFound)

            // Submitted before the deadline: a receipt is mailed; after that, no more changes.
            let submitted = try await Self.send(app, .POST, "/api/v1/submissions/\(id)/submit", token: token)
            #expect(submitted.status == .ok)
            #expect(try Self.object(submitted)["status"] as? String == "submitted")
            #expect(try await app.outbox().contains { $0.recipient == "bot-owner@example.org" && $0.body.contains("Flood alerts by SMS") })
            #expect(try await Self.send(app, .PATCH, "/api/v1/submissions/\(id)", token: token, json: #"{"answers": {"title": "Late"}}"#).status == .conflict)
            #expect(try await Self.send(app, .POST, "/api/v1/submissions/\(id)/submit", token: token).status == .conflict)

            // One second after the deadline: a new entry can neither start nor be submitted.
            let second = try Self.object(try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token, json: """
                {"answers": {"title": "Second", "country": "BD", "crisis": "pandemic", "issues": ["health"], "started_on": "2020-03-01",
                 "description": "Text.", "contacts": [{"name": "A", "email": "a@example.org"}]}}
                """))
            let secondID = try #require(second["id"] as? Int)
            app.clock.freeze(at: deadline + 1)
            let late = try await Self.send(app, .POST, "/api/v1/submissions/\(secondID)/submit", token: token)
            #expect(late.status == .forbidden)
            let lateProblem = try Self.object(late)
            #expect(lateProblem["deadline"] as? String == "2027-03-31T17:00:00-04:00")
            #expect((lateProblem["detail"] as? String)?.contains("The deadline passed at") == true)
            #expect(try await SubmissionTests.status(app, Int64(secondID)) == .draft)
            let closed = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token, json: "{}")
            #expect(closed.status == .forbidden)
            #expect(try Self.object(closed)["deadline"] as? String == "2027-03-31T17:00:00-04:00")
        }
    }

    @Test func accountsThatMayNotContributeCannotWriteWithTokensEither() async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            let slug = try await SubmissionTests.openCall(try await app.browser(signedInAs: try await app.makeAccount("ed@example.org", role: .editor)),
                                                          title: "Call for Pending")
            let pending = try await app.makeAccount("pending@example.org", status: .pending)
            let token = try await Self.makeToken(try await app.browser(signedInAs: pending), name: "Early", scope: .write)
            let refused = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: token, json: "{}")
            #expect(refused.status == .forbidden)
            #expect(try Self.object(refused)["detail"] as? String != nil)
            #expect(try await (app.db as! any SQLDatabase).select().column("id").from("submissions").all().isEmpty)
            // Without any credentials: 401 with a Bearer challenge, not a CSRF refusal.
            let anonymous = try await Self.send(app, .POST, "/api/v1/calls/\(slug)/submissions", token: nil, json: "{}")
            #expect(anonymous.status == .unauthorized && anonymous.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
        }
    }

    @Test func aSignedInBrowserWritesThroughTheAPIOnlyWithItsFormToken() async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            let slug = try await SubmissionTests.openCall(try await app.browser(signedInAs: try await app.makeAccount("ed@example.org", role: .editor)),
                                                          title: "Call for Browsers")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("web@example.org"))
            let forged = try await browser.request(.POST, "/api/v1/calls/\(slug)/submissions", body: ByteBuffer(string: "{}"), contentType: .json)
            #expect(forged.status == .forbidden)
            #expect(try await (app.db as! any SQLDatabase).select().column("id").from("submissions").all().isEmpty)
            let token = try await browser.csrfToken()
            let allowed = try await browser.request(.POST, "/api/v1/calls/\(slug)/submissions", body: ByteBuffer(string: "{}"), contentType: .json,
                                                    headers: [CSRFProtection.headerName: token])
            #expect(allowed.status == .created)
        }
    }
}
