import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// The requests that stopped the server or got through a check, each found from outside or in
/// review, with what must happen instead.
@Suite("Hostile requests")
struct HostileRequestTests {
    @Test(arguments: TestDatabase.allCases)
    func pagesAndOffsetsFromTheAddressNeverTrap(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            _ = try await ObservatoryDatabase.loadSampleContentIfEmpty(app, count: 40)
            // More past events than one page holds, so the pager is drawn.
            try await app.importLines((1...45).map { day in
                importLine(type: "event", title: "Past forum \(day)", published: "2020-01-01T10:00:00Z", extra: ["fields": [
                    "starts_at": String(format: "2021-03-%02dT09:00:00Z", day % 28 + 1), "timezone": "UTC",
                ] as [String: Any]])
            })
            let visitor = Browser(app)
            // Far past the last page of a listing drawn by the pager: the last pages, said plainly.
            let past = try await visitor.get("/events?when=past&page=200")
            #expect(past.status == .notFound)
            #expect(past.body.string.contains("There is no page 200: these results fill 3 page(s)."))
            #expect(past.body.string.contains("href=\"/events?when=past&amp;page=3\""))
            #expect(try await visitor.get("/events?when=upcoming&page=1000000").status == .notFound)
            #expect(try await visitor.get("/search?page=999999").status == .notFound)
            #expect(try await visitor.get("/search?page=9223372036854775807").status == .badRequest)
            // Sitemap parts: a number that would overflow the offset is simply not a part.
            #expect(try await visitor.get("/sitemaps/items-9223372036854775807.xml").status == .notFound)
            #expect(try await visitor.get("/sitemaps/items-1000000.xml").status == .notFound)
            #expect(try await visitor.get("/sitemaps/items--1.xml").status == .notFound)
            #expect(try await visitor.get("/sitemaps/items-1.xml").status == .ok)

            let admin = try await app.browser(signedInAs: try await app.makeAccount("pages-admin@example.org", role: .admin))
            for path in ["/admin/accounts?page=9223372036854775807", "/admin/audit?page=9223372036854775807", "/admin/content?page=100000",
                         "/admin/content?page=-9223372036854775808", "/admin/newsletter/subscribers?page=9223372036854775807",
                         "/admin/accounts?page=abc"] {
                let response = try await admin.get(path)
                #expect(response.status == .ok, "\(path): \(response.status)")
            }
            #expect(try await Browser(app).get("/").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func keywordsThatBrokeTheFullTextQueryAreSearched(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([importLine(type: "case_study", title: "Health clinics on wheels", extra: ["fields": ["country_code": "KE"]])])
            // U+0D4E joins a following quote (or apostrophe) into one character.
            for keywords in ["%E0%B5%8E%22", "%E0%B5%8E%27", "%E0%B5%8E%22health", "health%E0%B5%8E%27", "%22%E0%B5%8E%22%22", "%27%27%27",
                             "health%20%E0%B5%8E%22%20clinics"] {
                for path in ["/search", "/innovations", "/toolkits", "/api/v1/cases", "/api/v1/items", "/search/feed.json", "/innovations/feed.rss"] {
                    let response = try await app.testing().sendRequest(.GET, "\(path)?q=\(keywords)")
                    #expect(response.status == .ok, "\(path)?q=\(keywords): \(response.status) \(response.body.string.prefix(200))")
                }
            }
            #expect(try await app.testing().sendRequest(.GET, "/search?q=%E0%B5%8E%22").body.string.contains("Results: 0"))
            #expect(try await app.testing().sendRequest(.GET, "/search?q=clinics%27").body.string.contains("Health clinics on wheels"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func signInReturnsOnlyToThisSite(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("next@example.org")
            for next in ["/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/\u{200B}/evil.example"] {
                let browser = Browser(app)
                let response = try await browser.submit("/account/sign-in", ["email": account.email, "password": account.password, "next": next])
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/account", "\(next.debugDescription)")
            }
            let browser = Browser(app)
            let page = try await browser.get("/account/sign-in?next=%2F%09%2Fevil.example")
            #expect(!page.body.string.contains("evil.example"))
            let good = try await browser.submit("/account/sign-in", ["email": account.email, "password": account.password, "next": "/calls?x=1"])
            #expect(good.headers.first(name: .location) == "/calls?x=1")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func signInLimitsCountFailuresAndLockOnlyTheFailingClient(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            app.clock.freeze(at: app.clock.now())
            let office = "203.0.113.50"
            let colleague = try await app.makeAccount("colleague@example.org")
            let careless = try await app.makeAccount("careless@example.org")
            // Four failures from the office address, then the right password: signed in.
            for attempt in 0..<4 {
                #expect(try await Browser(app, address: office).signIn(careless.email, "wrong \(attempt)").status == .badRequest)
            }
            #expect(try await Browser(app, address: office).signIn(careless.email, careless.password).status == .seeOther)
            // Forty successful sign-ins from one address are never limited.
            for _ in 0..<40 {
                #expect(try await Browser(app, address: office).signIn(colleague.email, colleague.password).status == .seeOther)
            }
            // Someone failing on purpose from elsewhere stops only themselves.
            let attacker = "198.51.100.99"
            for attempt in 0..<(RateLimits.signInFailuresPerAccountAndAddress.limit + 3) {
                _ = try await Browser(app, address: attacker).signIn(colleague.email, "guess \(attempt)")
            }
            #expect(try await Browser(app, address: attacker).signIn(colleague.email, colleague.password).status == .tooManyRequests)
            #expect(try await Browser(app, address: office).signIn(colleague.email, colleague.password).status == .seeOther)
            // One client failing against many accounts is stopped too.
            let sprayer = "198.51.100.100"
            for index in 0..<RateLimits.signInFailuresPerAddress.limit {
                _ = try await Browser(app, address: sprayer).signIn("person\(index)@example.org", "guess")
            }
            #expect(try await Browser(app, address: sprayer).signIn(careless.email, careless.password).status == .tooManyRequests)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func registrationDoesTheSameWorkForAKnownAddress(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            _ = try await app.makeAccount("known@example.org")
            /// The bcrypt computations one registration makes (the expensive part of the answer).
            func work(registering email: String) async throws -> Int {
                let browser = Browser(app, address: "198.51.100.\(Int.random(in: 1...250))")
                let page = try await browser.get("/account/register")
                let hidden = Browser.hiddenFields(in: page.body.string, formAction: "/account/register")
                let fields = hidden.merging(["name": "Some One", "email": email, "password": "a long enough passphrase here"]) { $1 }
                let before = app.passwordWork.total
                let response = try await browser.post("/account/register", fields)
                #expect(response.status == .ok, "\(email): \(response.status)")
                // The same page either way: nothing in the answer tells the two apart.
                #expect(response.body.string.contains("Check your inbox"), "\(email)")
                return app.passwordWork.total - before
            }
            // Before: none for a known address (answered in 5 ms), one for a new one (278 ms).
            #expect(try await work(registering: "known@example.org") == 1)
            #expect(try await work(registering: "new@example.org") == 1)
            #expect(try await work(registering: "KNOWN@example.org") == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func addressesWithControlCharactersNeverReachMail(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let browser = Browser(app)
            for email in ["victim@example.org\r\nBcc: all@example.org", "a@exa\r\nmple.org", "a@example.org\rBcc:x@example.org", "a@exam\u{0}ple.org"] {
                let response = try await browser.submit("/account/register", ["name": "Mallory", "email": email, "password": "a long enough passphrase here"])
                #expect(response.status == .badRequest, "\(email.debugDescription)")
                let newsletter = try await Browser(app).submit("/newsletter", ["email": email])
                #expect(newsletter.status == .badRequest, "\(email.debugDescription)")
            }
            #expect(try await app.outbox().isEmpty)
            // Anything stored before cannot end a header either.
            let rendered = MailMessage.render(OutgoingMail(recipient: "Name\r\nBcc: x@example.org <a@example.org\r\nX: y>", subject: "Hi\r\nBcc: z",
                                                           body: "Body", kind: "test"),
                                              from: "site@example.org", date: Date(), messageID: "m@example.org", readable: true)
            let headers = rendered.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
            #expect(!headers.contains { $0.hasPrefix("Bcc") || $0.hasPrefix("X:") }, "\(headers)")
            #expect(!MailMessage.isClean(address: "a@example.org\r\nRCPT TO:<b@example.org>"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func rssDescriptionsOfPlainTextAreEscapedForHTML(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([importLine(type: "post", title: "Escaping", extra: ["excerpt": "Use <script>alert(1)</script> & <b>bold</b>"])])
            let rss = try await app.testing().sendRequest(.GET, "/blog/feed.rss").body.string
            #expect(rss.contains("<description>Use &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;</description>"))
            // A feed reader, which reads the description as HTML, shows the text as typed.
            let program = """
            import feedparser, sys, json
            feed = feedparser.parse(sys.stdin.read())
            print(json.dumps([e.summary for e in feed.entries]))
            """
            let summaries = try JSONSerialization.jsonObject(with: try runPython(program, input: rss)) as? [String]
            #expect(summaries?.first?.contains("<script>") == false)
            #expect(summaries?.first?.contains("&lt;script&gt;") == true)
            let atom = try await app.testing().sendRequest(.GET, "/blog/feed.atom").body.string
            #expect(atom.contains("<summary>Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</summary>"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func exportsWriteRowsAndFormulasSafely(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "case_study", title: "=HYPERLINK(\"http://evil.example\",\"click\")",
                                                  extra: ["fields": ["country_code": "KE", "organisation_name": "@SUM(1+1)"]])])
            let csv = try await app.testing().sendRequest(.GET, "/data/cases.csv").body.string
            let rows = CSV.parse(csv)
            let header = try #require(rows.first)
            let row = try #require(rows.dropFirst().first)
            #expect(rows.count == 2)
            let title = try #require(header.firstIndex(of: "title")), organisation = try #require(header.firstIndex(of: "organisation_name"))
            #expect(row[title] == "'=HYPERLINK(\"http://evil.example\",\"click\")")
            #expect(row[organisation] == "'@SUM(1+1)")

            // An answer with CR CR LF cannot start a row of its own in the submissions export.
            let editor = try await app.browser(signedInAs: try await app.makeAccount("csv-editor@example.org", role: .editor))
            let slug = try await SubmissionTests.openCall(editor, title: "CSV call")
            let owner = try await app.browser(signedInAs: try await app.makeAccount("csv-owner@example.org"))
            var sections = SubmissionTests.crisisSections
            sections[0].1[4] = ("q.description", "line one\r\r\n99,submitted,forged@example.org\r\n=1+1")
            sections[0].1[0] = ("q.title", "-2+3")
            let id = try await SubmissionTests.startAndFill(owner, slug: slug, sections: sections)
            let call = try #require(try await CallStore(sql: app.db as! any SQLDatabase, now: app.clock.now()).find(slug: slug))
            let export = try await editor.get("/admin/calls/\(call.itemID)/submissions.csv")
            #expect(export.status == .ok)
            let exported = CSV.parse(export.body.string)
            #expect(exported.count == 2, "\(exported)")
            let columns = try #require(exported.first)
            let entry = try #require(exported.dropFirst().first)
            #expect(entry.count == columns.count)
            let description = try #require(columns.firstIndex(of: "description"))
            #expect(entry[description].hasPrefix("line one") && entry[description].contains("99,submitted,forged@example.org"))
            #expect(entry[try #require(columns.firstIndex(of: "title"))] == "'-2+3")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func invitationsExpireAreBoundToTheAddressAndCanBeWithdrawn(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("inv-editor@example.org", role: .editor))
            let slug = try await SubmissionTests.openCall(editor, title: "Call with collaborators")
            let ownerAccount = try await app.makeAccount("inv-owner@example.org", name: "Olu Owner")
            var owner = try await app.browser(signedInAs: ownerAccount)
            let id = try await SubmissionTests.startAndFill(owner, slug: slug, sections: [])
            func invite(_ email: String) async throws -> String {
                let response = try await owner.submit("/submissions/\(id)", action: "/submissions/\(id)/collaborators", ["email": email])
                #expect(response.status == .seeOther)
                return try #require(try await app.linkToken(kind: "collaborator-invitation"))
            }
            func accept(_ browser: Browser, _ token: String) async throws -> TestingHTTPResponse {
                try await browser.submit("/submissions/invitations/accept?token=\(token)", action: "/submissions/invitations/accept", [:])
            }
            let invited = try await app.makeAccount("invited@example.org", name: "Ina Invited")
            let other = try await app.browser(signedInAs: try await app.makeAccount("other@example.org"))

            // Someone else who got hold of the link cannot use it; the invited person can.
            let token = try await invite("invited@example.org")
            let wrong = try await accept(other, token)
            #expect(wrong.status == .forbidden)
            #expect(wrong.body.string.contains("sent to another address"))
            #expect(try await other.get("/submissions/\(id)").status != .ok)
            let invitedBrowser = try await app.browser(signedInAs: invited)
            #expect(try await accept(invitedBrowser, token).status == .seeOther)
            #expect(try await invitedBrowser.get("/submissions/\(id)").status == .ok)
            #expect(try await owner.get("/submissions/\(id)").body.string.contains("accepted by Ina Invited"))

            // The owner removes the collaborator: no more access.
            let removed = try await owner.submit("/submissions/\(id)", action: "/submissions/\(id)/collaborators/remove", ["email": "invited@example.org"])
            #expect(removed.status == .seeOther)
            #expect(try await invitedBrowser.get("/submissions/\(id)").status != .ok)
            #expect(try await app.auditActions().contains(AuditAction.collaboratorRemoved.rawValue))
            // Only the owner removes; to anyone else the entry does not exist.
            #expect(try await other.post("/submissions/\(id)/collaborators/remove",
                                         ["csrf_token": try await other.csrfToken(), "email": "invited@example.org"]).status == .notFound)

            // An invitation not accepted in 14 days expires; a withdrawn one is gone.
            let late = try await app.makeAccount("late@example.org")
            let lateToken = try await invite("late@example.org")
            #expect(try await owner.get("/submissions/\(id)").body.string.contains("invited"))
            app.clock.advance(by: SubmissionStore.invitationLifetime + 1)
            owner = try await app.browser(signedInAs: ownerAccount)
            #expect(try await owner.get("/submissions/\(id)").body.string.contains("invitation expired"))
            let lateBrowser = try await app.browser(signedInAs: late)
            #expect(try await accept(lateBrowser, lateToken).status == .gone)
            let again = try await invite("late@example.org")
            _ = try await owner.submit("/submissions/\(id)", action: "/submissions/\(id)/collaborators/remove", ["email": "late@example.org"])
            #expect(try await accept(lateBrowser, again).status == .gone)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func onlyFilesOfPublicQuestionsArePublishedAtUnguessableAddresses(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let sql = app.db as! any SQLDatabase
            // Version 2 of the case-study questionnaire publishes the images, not the documents.
            let stored = try #require(try await sql.select().column("definition").from("questionnaires")
                .where("key", .equal, "case-study").where("version", .equal, 1).first()?.decode(column: "definition", as: String.self))
            var object = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
            object["version"] = 2
            var sections = try #require(object["sections"] as? [[String: Any]])
            for (sectionIndex, section) in sections.enumerated() {
                var fields = try #require(section["fields"] as? [[String: Any]])
                for (fieldIndex, field) in fields.enumerated() where field["id"] as? String == "images" {
                    fields[fieldIndex]["public"] = true
                }
                sections[sectionIndex]["fields"] = fields
            }
            object["sections"] = sections
            let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            _ = try await QuestionnaireCommand.add(json: json, to: sql, now: app.clock.now())

            let editor = try await app.browser(signedInAs: try await app.makeAccount("pub-editor@example.org", role: .editor))
            let slug = try await SubmissionTests.openCall(editor, title: "Call with public images", questionnaire: "case-study@2")
            let owner = try await app.browser(signedInAs: try await app.makeAccount("pub-owner@example.org"))
            let id = try await SubmissionTests.startAndFill(owner, slug: slug, sections: [])
            let form = try await owner.get("/submissions/\(id)/sections/materials").body.string
            #expect(form.contains("Files here are published with your entry if it is accepted."))
            #expect(form.contains("Files here are seen only by the people working on this entry and by the editors"))
            #expect(try await AttachmentTests.upload(owner, submission: id, field: "images", name: "photo.png", bytes: AttachmentTests.png).status == .seeOther)
            #expect(try await AttachmentTests.upload(owner, submission: id, field: "supporting_files", name: "budget.pdf", bytes: AttachmentTests.pdf).status == .seeOther)
            let files = try await AttachmentStore(sql: sql).list(submissionID: id)
            let image = try #require(files.first { $0.fieldID == "images" })
            let document = try #require(files.first { $0.fieldID == "supporting_files" })
            #expect(image.addressKey.count >= 40 && image.addressKey != document.addressKey)
            #expect(!image.path.contains("/\(image.id)/"))
            // Sequential ids are no address.
            #expect(try await Browser(app).get("/attachments/\(image.id)/\(image.fileName)").status == .notFound)

            try await sql.update("submissions").set("status", to: SubmissionStatus.published.rawValue).where("id", .equal, id).run()
            let anyone = Browser(app)
            let publicImage = try await anyone.get(image.path)
            #expect(publicImage.status == .ok)
            #expect(publicImage.headers.first(name: .cacheControl) == "public, max-age=3600")
            #expect(try await anyone.get(document.path).status == .notFound)
            let stillPrivate = try await editor.get(document.path)
            #expect(stillPrivate.status == .ok && stillPrivate.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await owner.get(document.path).status == .ok)
        }
    }
}
