import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// The newsletter: double opt-in, one-click unsubscribe, issues sent in batches.
@Suite("Newsletter")
struct NewsletterTests {
    static func status(_ app: Application, _ email: String) async throws -> String? {
        try await (app.db as! any SQLDatabase).select().column("status").from("newsletter_subscribers")
            .where("email_key", .equal, email.lowercased()).first()?.decode(column: "status", as: String.self)
    }

    /// The link in the newest mail of a kind, starting with `prefix`.
    static func link(_ app: Application, kind: String, to recipient: String, prefix: String) async throws -> String? {
        guard let mail = try await app.outbox().last(where: { $0.kind == kind && $0.recipient.lowercased() == recipient.lowercased() }),
              let range = mail.body.range(of: prefix) else { return nil }
        return prefix + String(mail.body[range.upperBound...].prefix { !$0.isWhitespace })
    }

    @Test(arguments: TestDatabase.allCases)
    func doubleOptInThenIssuesInBatchesAndOneClickUnsubscribe(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "post", title: "Open budgets in Kenya"),
                                       importLine(type: "news", title: "Awards open", published: "2021-01-01T00:00:00Z")])
            let sql = app.db as! any SQLDatabase
            let reader = Browser(app)
            let bad = try await reader.submit("/newsletter", ["email": "not an address"])
            #expect(bad.status == .badRequest && bad.body.string.contains("value=\"not an address\""))

            // Subscribing asks for a confirmation first: nothing is sent to a pending address.
            let asked = try await reader.submit("/newsletter", ["email": "Reader@Example.org"])
            #expect(asked.status == .ok && asked.body.string.contains("Check your inbox"))
            #expect(try await Self.status(app, "reader@example.org") == "pending")
            let confirmLink = try #require(try await Self.link(app, kind: "newsletter-confirm", to: "Reader@Example.org", prefix: "http://127.0.0.1:8080/newsletter/confirm?token="))
            let path = String(confirmLink.dropFirst("http://127.0.0.1:8080".count))
            // Opening the link (as a mail scanner would) confirms nothing; the button does.
            let page = try await reader.get(path)
            #expect(page.body.string.contains("Confirm my subscription"))
            #expect(try await Self.status(app, "reader@example.org") == "pending")
            #expect(try await reader.submit(path, action: "/newsletter/confirm", [:]).body.string.contains("You are subscribed"))
            #expect(try await Self.status(app, "reader@example.org") == "confirmed")
            // Asking again changes nothing and says the same; the link works once.
            let again = try await Browser(app).submit("/newsletter", ["email": "reader@example.org"])
            #expect(again.body.string.contains("Check your inbox"))
            #expect(try await app.outbox().filter { $0.kind == "newsletter-confirm" }.count == 1)
            #expect(try await reader.submit(path, action: "/newsletter/confirm", [:]).status == .badRequest)

            // Some more confirmed readers, and one who never confirmed.
            for index in 0..<449 {
                try await sql.insert(into: "newsletter_subscribers").columns("email", "email_key", "status", "source", "created_at", "confirmed_at")
                    .values(SQLBind("r\(index)@example.org"), SQLBind("r\(index)@example.org"), SQLBind("confirmed"), SQLBind("form"),
                            SQLBind(Int64(0)), SQLBind(Int64(0))).run()
            }
            _ = try await Browser(app).submit("/newsletter", ["email": "pending@example.org"])

            // An editor writes an issue from recent items, previews it, tests it, sends it.
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor, name: "Eda Editor"))
            let budgets = try await sql.select().column("id").from("items").where("slug", .equal, "open-budgets-in-kenya").first()!
                .decode(column: "id", as: Int64.self)
            let form = try await editor.get("/admin/newsletter/issues/new").body.string
            #expect(form.contains("<label for=\"item-\(budgets)\">Open budgets in Kenya"))
            let missing = try await editor.submit("/admin/newsletter/issues/new", ["subject": "", "introduction": "Hello"])
            #expect(missing.status == .badRequest && missing.body.string.contains("Choose at least one item"))
            let made = try await editor.submit("/admin/newsletter/issues/new", ["subject": "News from the observatory", "introduction": "Dear readers,\nthis month:",
                                                                               "items": String(budgets)])
            #expect(made.status == .seeOther)
            let issuePath = try #require(made.headers.first(name: .location))
            let issueID = try #require(Int64(issuePath.split(separator: "/").last!))
            let preview = try await editor.get(issuePath).body.string
            #expect(preview.contains("this month:") && preview.contains("Open budgets in Kenya") && preview.contains("/blog/open-budgets-in-kenya"))
            #expect(preview.contains("Send to 450 subscribers"))
            #expect(try await editor.submit(issuePath, action: issuePath + "/test", [:]).status == .seeOther)
            #expect(try await app.outbox().last?.recipient == "editor@example.org")

            #expect(try await editor.submit(issuePath, action: issuePath + "/send", [:]).status == .seeOther)
            var issueMails = try await app.outbox().filter { $0.kind == "newsletter-\(issueID)" }
            #expect(issueMails.count == NewsletterStore.batchSize)
            #expect(try await editor.get(issuePath).body.string.contains("200 queued, 0 sent of 450"))
            let sending = NewsletterSending(database: app.db, settings: app.siteSettings, key: try await app.secrets.formSigningKey(sql), now: app.clock.now())
            #expect(try await sending.enqueueBatch(issueID) == 200)
            #expect(try await sending.enqueueBatch(issueID) == 50)
            #expect(try await sending.enqueueBatch(issueID) == 0)
            #expect(try await NewsletterStore(sql: sql, now: 0).issue(issueID)?.status == "sent")
            issueMails = try await app.outbox().filter { $0.kind == "newsletter-\(issueID)" }
            #expect(issueMails.count == 450 && Set(issueMails.map(\.recipient)).count == 450)
            #expect(!issueMails.contains { $0.recipient == "pending@example.org" })
            // Sent once only, however the form is replayed.
            #expect(try await editor.post(issuePath + "/send", ["csrf_token": try await editor.csrfToken()]).status == .conflict)

            // Every issue carries its reader's own unsubscribe link, also as List-Unsubscribe.
            let mail = try #require(issueMails.first { $0.recipient.lowercased() == "reader@example.org" })
            let unsubscribe = try #require(try await Self.link(app, kind: "newsletter-\(issueID)", to: "Reader@Example.org",
                                                               prefix: "http://127.0.0.1:8080/newsletter/unsubscribe?"))
            #expect(mail.body.contains("Open budgets in Kenya"))
            let header = try await sql.select().column("unsubscribe_url").from("outbox").where("recipient", .equal, mail.recipient)
                .where("kind", .equal, "newsletter-\(issueID)").first()?.decode(column: "unsubscribe_url", as: String?.self)
            #expect(header == unsubscribe)
            let rendered = MailMessage.render(OutgoingMail(recipient: mail.recipient, subject: mail.subject, body: mail.body, kind: mail.kind,
                                                           unsubscribeURL: header), from: "site@example.org", date: Date(), messageID: "x@y")
            #expect(rendered.contains("List-Unsubscribe: <\(unsubscribe)>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"))

            // A forged link does nothing; the real one works in one POST, from a mail program,
            // without cookies or a form token.
            let unsubscribePath = String(unsubscribe.dropFirst("http://127.0.0.1:8080".count))
            let forged = try await app.testing().sendRequest(.POST, unsubscribePath.replacingOccurrences(of: "&t=", with: "&t=00"),
                                                              headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                              body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(forged.status == .badRequest)
            #expect(try await Self.status(app, "reader@example.org") == "confirmed")
            let oneClick = try await app.testing().sendRequest(.POST, unsubscribePath,
                                                               headers: ["Content-Type": "application/x-www-form-urlencoded", "Origin": "https://mail.example.net"],
                                                               body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(oneClick.status == .ok && oneClick.body.string.contains("You are unsubscribed"))
            #expect(try await Self.status(app, "reader@example.org") == "unsubscribed")
            // The issue waiting in the outbox for them is not sent after all.
            #expect(try await !app.outbox().contains { $0.kind == "newsletter-\(issueID)" && $0.recipient == mail.recipient })
            #expect(try await app.outbox().filter { $0.kind == "newsletter-\(issueID)" }.count == 449)

            // Administrators see and export the list; editors do not.
            #expect(try await editor.get("/admin/newsletter/subscribers").status == .forbidden)
            let admin = try await app.browser(signedInAs: try await app.makeAccount("admin@example.org", role: .admin))
            let csv = try await admin.get("/admin/newsletter/subscribers.csv").body.string
            #expect(csv.hasPrefix("email,status,source,subscribed_at,confirmed_at\r\n"))
            #expect(csv.contains("\(mail.recipient),unsubscribed,form,") && csv.contains("pending@example.org,pending,form,"))
            #expect(csv.components(separatedBy: "\r\n").count == 1 + 451 + 1)
        }
    }
}
