import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Editors writing, publishing, scheduling and revising content through the admin form.
@Suite("Editorial admin")
struct EditorialTests {
    /// Every field of the editor's form as the page shows it: what a person submits when they
    /// change only some of them.
    static func formValues(_ html: String) -> [String: String] {
        guard let start = html.range(of: "class=\"stacked-form editor-form\""), let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex) else {
            return [:]
        }
        let form = String(html[start.upperBound..<end.lowerBound])
        var values: [String: String] = [:]
        for piece in form.components(separatedBy: "<input").dropFirst() {
            let tag = piece.components(separatedBy: ">")[0]
            guard let name = Browser.attribute("name", in: tag) else { continue }
            if tag.contains("type=\"checkbox\"") {
                if tag.contains(" checked") { values[name] = "on" }
            } else {
                values[name] = Browser.attribute("value", in: tag)?.htmlUnescaped ?? ""
            }
        }
        for piece in form.components(separatedBy: "<textarea").dropFirst() {
            let tag = piece.components(separatedBy: ">")[0]
            guard let name = Browser.attribute("name", in: tag) else { continue }
            let content = piece.drop { $0 != ">" }.dropFirst()
            values[name] = String(content.components(separatedBy: "</textarea>")[0]).htmlUnescaped
        }
        for piece in form.components(separatedBy: "<select").dropFirst() {
            let tag = piece.components(separatedBy: ">")[0]
            guard let name = Browser.attribute("name", in: tag) else { continue }
            let options = piece.components(separatedBy: "</select>")[0]
            if let selected = options.components(separatedBy: "<option").first(where: { $0.contains(" selected") }) {
                values[name] = Browser.attribute("value", in: selected)?.htmlUnescaped ?? ""
            }
        }
        return values
    }

    /// Opens the form, changes `changes` and saves; returns the response.
    static func edit(_ browser: Browser, _ page: String, action: String? = nil, _ changes: [String: String]) async throws -> TestingHTTPResponse {
        let html = try await browser.get(page).body.string
        var fields = formValues(html)
        fields.merge(Browser.hiddenFields(in: html, formAction: nil)) { $1 }
        fields.merge(changes) { $1 }
        if fields["action"] == nil { fields["action"] = "save" }
        return try await browser.post(action ?? page, fields)
    }

    static func itemID(_ response: TestingHTTPResponse) throws -> Int64 {
        let location = try #require(response.headers.first(name: .location))
        return try #require(Int64(location.split(separator: "/")[2].split(separator: "?")[0]))
    }

    @Test(arguments: TestDatabase.allCases)
    func writingPreviewingPublishingAndScheduling(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let start = try LocalDateTime.instant("2027-03-20T09:00", in: TimeZone(identifier: "Europe/Paris")!)
            app.clock.freeze(at: start)
            let editorAccount = try await app.makeAccount("editor@example.org", role: .editor, name: "Eda Editor")
            var editor = try await app.browser(signedInAs: editorAccount)
            let sql = app.db as! any SQLDatabase
            let form = try await editor.get("/admin/content/new?type=post")
            #expect(form.status == .ok && form.body.string.contains("New Blog post"))
            #expect(form.body.string.contains("<label for=\"field-body\">Body"))

            // Problems come back with everything typed and the reasons.
            let typed = "A **bold** start, and [a link](https://example.org)."
            let missing = try await Self.edit(editor, "/admin/content/new?type=post", ["title": "  ", "body": typed, "status": "scheduled"])
            #expect(missing.status == .badRequest)
            #expect(missing.body.string.contains("Give it a title.") && missing.body.string.contains("Choose when the item should appear."))
            #expect(Self.formValues(missing.body.string)["body"] == typed)

            // Preview renders the Markdown and saves nothing.
            let preview = try await Self.edit(editor, "/admin/content/new?type=post", ["title": "Open budgets", "body": typed, "action": "preview"])
            #expect(preview.status == .ok && preview.body.string.contains("<strong>bold</strong>"))
            #expect(try await sql.select().column("id").from("items").all().isEmpty)

            // A draft is not public; publishing it puts it on its page, the listing, the feed and search at once.
            let draft = try await Self.edit(editor, "/admin/content/new?type=post", ["title": "Open budgets", "body": typed + " Participatory.", "status": "draft",
                                                                                       "tags": "open-data\nbudgets", "authors": "Eda Editor"])
            #expect(draft.status == .seeOther, "\(draft.body.string.prefix(1_000))")
            let id = try Self.itemID(draft)
            #expect(try await Browser(app).get("/blog/open-budgets").status == .notFound)
            let published = try await Self.edit(editor, "/admin/content/\(id)", ["status": "published", "published_at": ""])
            #expect(published.status == .seeOther)
            #expect(try await Browser(app).get("/blog/open-budgets").body.string.contains("<strong>bold</strong>"))
            #expect(try await Browser(app).get("/blog").body.string.contains("Open budgets"))
            #expect(try await Browser(app).get("/blog/feed.rss").body.string.contains("Open budgets"))
            #expect(try await Browser(app).get("/search?q=participatory").body.string.contains("Open budgets"))

            // Scheduled in the editor's zone: hidden until the time, then public by itself, even
            // if nothing ran at that moment (the server was down).
            let scheduled = try await Self.edit(editor, "/admin/content/new?type=news", [
                "title": "New observatory report", "body": "Out soon.", "status": "scheduled", "published_at": "2027-03-28T10:30",
                "timezone": "Europe/Paris",
            ])
            #expect(scheduled.status == .seeOther, "\(scheduled.body.string.prefix(1_000))")
            let scheduledID = try Self.itemID(scheduled)
            let stored = try #require(try await ItemRecords(sql: sql).find(id: scheduledID))
            // 28 March 2027 10:30 in Paris is summer time (+02:00): 08:30 UTC.
            let utcTime = try LocalDateTime.instant("2027-03-28T08:30", in: TimeZone(identifier: "UTC")!)
            #expect(stored.record.publishedAt?.secondsSince1970 == utcTime)
            // The revision keeps the editor's offset.
            #expect(try await Revisions(sql: sql, now: 0).list(itemID: scheduledID).first?.record.publishedAt?.utcOffsetSeconds == 7_200)
            #expect(try await Browser(app).get("/news/new-observatory-report").status == .notFound)
            #expect(try await !(Browser(app).get("/news").body.string.contains("New observatory report")))
            let list = try await editor.get("/admin/content?status=scheduled").body.string
            #expect(list.contains("New observatory report") && !list.contains("Open budgets"))
            app.clock.freeze(at: try LocalDateTime.instant("2027-03-28T10:31", in: TimeZone(identifier: "Europe/Paris")!))
            // A week later the editor's session has ended: they sign in again.
            editor = try await app.browser(signedInAs: editorAccount)
            #expect(try await Browser(app).get("/news/new-observatory-report").status == .ok)
            #expect(try await Browser(app).get("/news").body.string.contains("New observatory report"))
            #expect(try await Browser(app).get("/news/feed.atom").body.string.contains("New observatory report"))

            // Unpublished: gone from the site, kept in the admin.
            let unpublished = try await Self.edit(editor, "/admin/content/\(id)", ["status": "unpublished"])
            #expect(unpublished.status == .seeOther, "\(unpublished.body.string.components(separatedBy: "error-summary").dropFirst().first?.prefix(800) ?? "")")
            #expect(try await Browser(app).get("/blog/open-budgets").status == .notFound)
            #expect(try await !(Browser(app).get("/blog").body.string.contains("Open budgets")))
            let all = try await editor.get("/admin/content").body.string
            #expect(all.contains("All types</strong> (2)") && all.contains("Unpublished</a> (1)"))
            #expect(try await editor.get("/admin/content?q=budgets").body.string.contains("1 items"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func revisionsCompareByFieldAndWordAndRestore(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "case_study", title: "Mobile clinics", slug: "mobile-clinics", published: "2020-05-01T10:00:17Z",
                                                  body: "Clinics on wheels reach remote villages every week.",
                                                  extra: ["fields": ["year_launched": 2019, "organisation_name": "Ministry of Health"] as [String: Any]])])
            let sql = app.db as! any SQLDatabase
            let id = try await sql.select().column("id").from("items").first()!.decode(column: "id", as: Int64.self)
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor, name: "Eda Editor"))
            #expect(try await editor.get("/admin/content/\(id)/history").body.string.contains("No version is recorded yet"))

            #expect(try await Self.edit(editor, "/admin/content/\(id)", [
                "title": "Mobile health clinics", "field.year_launched": "2020",
                "body": "Clinics on wheels reach remote villages twice a week, with a nurse.",
            ]).status == .seeOther)
            #expect(try await Self.edit(editor, "/admin/content/\(id)", ["field.organisation_name": "Ministry of Health, Kenya"]).status == .seeOther)
            let history = try await editor.get("/admin/content/\(id)/history").body.string
            #expect(history.contains("As it was before the first edit"))
            #expect(history.components(separatedBy: "name=\"to\"").count == 4)

            let diff = try await editor.get("/admin/content/\(id)/compare?from=1&to=3")
            #expect(diff.status == .ok)
            let text = diff.body.string
            #expect(text.contains("4 fields differ."))
            #expect(text.contains("<del>Mobile clinics</del>") && text.contains("<ins>Mobile health clinics</ins>"))
            #expect(text.contains("<del>2019</del>") && text.contains("<ins>2020</ins>"))
            // Long text by words: only what changed is marked.
            let body = try #require(text.components(separatedBy: "class=\"word-diff\">").dropFirst().first?.components(separatedBy: "</td>").first)
            #expect(body.hasPrefix("Clinics on wheels reach remote villages <del>every</del>"))
            #expect(body.contains("<ins>twice</ins>") && body.contains("nurse.</ins>"))
            // Taking out the marks of one side gives each version back.
            func strip(_ html: String, keeping mark: String, dropping other: String) -> String {
                html.replacing(try! Regex("<\(other)>[^<]*</\(other)>"), with: "").replacingOccurrences(of: "<\(mark)>", with: "")
                    .replacingOccurrences(of: "</\(mark)>", with: "")
            }
            #expect(strip(body, keeping: "del", dropping: "ins") == "Clinics on wheels reach remote villages every week.")
            #expect(strip(body, keeping: "ins", dropping: "del") == "Clinics on wheels reach remote villages twice a week, with a nurse.")
            #expect(!text.contains("<th scope=\"row\">Address (slug)</th>"))

            // Restore the first version: the item is as imported, and that is a new version.
            let restored = try await editor.submit("/admin/content/\(id)/history", action: "/admin/content/\(id)/revisions/1/restore", [:])
            #expect(restored.status == .seeOther)
            let record = try #require(try await ItemRecords(sql: sql).find(id: id)).record
            #expect(record.title == "Mobile clinics" && record.fields["year_launched"] == .integer(2019))
            #expect(record.fields["organisation_name"] == .text("Ministry of Health"))
            #expect(try await Browser(app).get("/innovations/mobile-clinics").body.string.contains("every week"))
            let after = try await editor.get("/admin/content/\(id)/history").body.string
            #expect(after.contains("Restored from version 1") && after.components(separatedBy: "name=\"to\"").count == 5)
            #expect(try await editor.get("/admin/content/\(id)/compare?from=1&to=4").body.string.contains("0 fields differ."))
            #expect(try await editor.get("/admin/content/\(id)/compare?from=1&to=9").status == .notFound)
            // Saving the form unchanged changes nothing, not even the seconds the form does not show.
            #expect(try await Self.edit(editor, "/admin/content/\(id)", [:]).status == .seeOther)
            #expect(try await editor.get("/admin/content/\(id)/compare?from=4&to=5").body.string.contains("0 fields differ."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aChangedSlugRedirectsFromEveryOldAddress(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "post", title: "Open budgets", slug: "open-budgets"),
                                       importLine(type: "post", title: "Taken", slug: "taken")])
            let sql = app.db as! any SQLDatabase
            let id = try await sql.select().column("id").from("items").where("slug", .equal, "open-budgets").first()!.decode(column: "id", as: Int64.self)
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let form = try await editor.get("/admin/content/\(id)").body.string
            #expect(form.contains("the old address will redirect to the new one"))

            let moved = try await Self.edit(editor, "/admin/content/\(id)", ["slug": "participatory-budgets"])
            #expect(moved.headers.first(name: .location) == "/admin/content/\(id)?done=slug-moved")
            #expect(try await editor.get("/admin/content/\(id)?done=slug-moved").body.string.contains("The old address now redirects"))
            let old = try await Browser(app).get("/blog/open-budgets")
            #expect(old.status == .movedPermanently && old.headers.first(name: .location) == "/blog/participatory-budgets")
            #expect(try await Browser(app).get("/blog/participatory-budgets").status == .ok)

            // Moved again: both earlier addresses lead to the newest.
            #expect(try await Self.edit(editor, "/admin/content/\(id)", ["slug": "budgets"]).status == .seeOther)
            #expect(try await Browser(app).get("/blog/open-budgets").headers.first(name: .location) == "/blog/budgets")
            #expect(try await Browser(app).get("/blog/participatory-budgets").headers.first(name: .location) == "/blog/budgets")
            // Another type's address is not affected, and a slug in use is refused.
            #expect(try await Browser(app).get("/news/open-budgets").status == .notFound)
            let taken = try await Self.edit(editor, "/admin/content/\(id)", ["slug": "taken"])
            #expect(taken.status == .conflict && taken.body.string.contains("Another item of this type has this address."))
            #expect(try await Browser(app).get("/blog/taken").body.string.contains("Taken"))
            // Going back to an old address makes it the item's own again.
            #expect(try await Self.edit(editor, "/admin/content/\(id)", ["slug": "open-budgets"]).status == .seeOther)
            #expect(try await Browser(app).get("/blog/open-budgets").status == .ok)
            #expect(try await Browser(app).get("/blog/budgets").headers.first(name: .location) == "/blog/open-budgets")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aSecondEditorIsToldInsteadOfOverwriting(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            try await app.importLines([importLine(type: "post", title: "Open budgets", slug: "open-budgets")])
            let id = try await (app.db as! any SQLDatabase).select().column("id").from("items").first()!.decode(column: "id", as: Int64.self)
            let first = try await app.browser(signedInAs: try await app.makeAccount("first@example.org", role: .editor))
            let second = try await app.browser(signedInAs: try await app.makeAccount("second@example.org", role: .editor))
            // Both open the form; the first saves.
            let secondForm = try await second.get("/admin/content/\(id)").body.string
            #expect(try await Self.edit(first, "/admin/content/\(id)", ["title": "Open budgets in Kenya"]).status == .seeOther)
            // The second's save is refused with what they typed; nothing is overwritten.
            var fields = Self.formValues(secondForm)
            fields.merge(Browser.hiddenFields(in: secondForm, formAction: nil)) { $1 }
            fields["title"] = "Participatory budgets"
            fields["action"] = "save"
            let refused = try await second.post("/admin/content/\(id)", fields)
            #expect(refused.status == .conflict && refused.body.string.contains("Someone saved this item since you opened it"))
            #expect(Self.formValues(refused.body.string)["title"] == "Participatory budgets")
            #expect(try #require(try await ItemRecords(sql: app.db as! any SQLDatabase).find(id: id)).record.title == "Open budgets in Kenya")
            // Saving again, knowingly, keeps the second's text; both versions are in the history.
            var again = Self.formValues(refused.body.string)
            again.merge(Browser.hiddenFields(in: refused.body.string, formAction: nil)) { $1 }
            again["action"] = "save"
            #expect(try await second.post("/admin/content/\(id)", again).status == .seeOther)
            #expect(try #require(try await ItemRecords(sql: app.db as! any SQLDatabase).find(id: id)).record.title == "Participatory budgets")
            #expect(try await Revisions(sql: app.db as! any SQLDatabase, now: 0).latestNumber(itemID: id) == 3)
        }
    }

    @Test func wordDiffMarksOnlyWhatChanged() {
        let pieces = RevisionDiff.words(from: "The quick brown fox jumps", to: "The quick red fox jumps high")
        #expect(pieces == [.same("The quick "), .removed("brown"), .added("red"), .same(" fox jumps"), .added(" high")])
        #expect(RevisionDiff.words(from: "same", to: "same") == [.same("same")])
        let record = ContentRecord(type: .post, title: "A", body: "x")
        var changed = record
        changed.title = "B"
        changed.terms[.tag] = ["data"]
        let diff = RevisionDiff(from: record, to: changed)
        #expect(diff.changes.map(\.key) == ["title", "terms.tag"])
        #expect(diff.changes.first?.words == nil)
    }
}
