import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Calls for innovations from the submitter's and the editor's side.
@Suite("Calls and submissions")
struct SubmissionTests {
    /// Opens a call through the editors' form; returns its slug.
    static func openCall(_ editor: Browser, title: String, questionnaire: String = "crisis-response@1", opens: String = "2020-01-01T09:00",
                         closes: String = "2099-12-31T23:59", zone: String = "Europe/Paris") async throws -> String {
        let response = try await editor.submit("/admin/calls/new", [
            "title": title, "description": "Tell us how you responded.", "audience": "City governments",
            "criteria": "The public sector is involved.\nIt is implemented.", "opens_at": opens, "closes_at": closes,
            "timezone": zone, "languages": "en, fr", "questionnaire": questionnaire,
        ])
        #expect(response.status == .seeOther, "opening the call: \(response.status) \(response.body.string.prefix(300))")
        let location = try #require(response.headers.first(name: .location))
        return String(location.split(separator: "/").last!)
    }

    static let crisisSections: [(String, [(String, String)])] = [
        ("response", [("q.title", "Mobile clinics, Nairobi"), ("q.country", "KE"), ("q.crisis", "pandemic"), ("q.started_on", "2020-03-15"),
                      ("q.description", "Clinics on wheels, with \"quotes\", commas, and\nnew lines."), ("q.issues", "health"), ("q.issues", "services")]),
        ("contact", [("q.contacts.0.name", "Wanjiru Kamau"), ("q.contacts.0.email", "wanjiru@example.org"), ("q.people_reached", "12000")]),
    ]

    /// Starts an entry to a call and answers every section; returns the entry's id.
    static func startAndFill(_ browser: Browser, slug: String, sections: [(String, [(String, String)])] = crisisSections) async throws -> Int64 {
        let started = try await browser.submit("/calls/\(slug)/questions", action: "/calls/\(slug)/submissions", [:])
        #expect(started.status == .seeOther, "starting: \(started.status) \(started.body.string.prefix(300))")
        let location = try #require(started.headers.first(name: .location))
        let id = try #require(Int64(location.split(separator: "/")[1]))
        for (section, pairs) in sections {
            let saved = try await browser.submit("/submissions/\(id)/sections/\(section)", pairs: pairs + [("next", "continue")])
            #expect(saved.status == .seeOther, "saving \(section): \(saved.status) \(saved.body.string.prefix(2_000))")
        }
        return id
    }

    static func status(_ app: Application, _ id: Int64) async throws -> SubmissionStatus? {
        try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id)?.status
    }

    @Test(arguments: TestDatabase.allCases)
    func fromOpeningACallToAPublishedCaseStudy(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor, name: "Eda Editor"))
            let slug = try await Self.openCall(editor, title: "Call for Cities 2027", questionnaire: "case-study@1")
            let callPage = try await Browser(app).get("/calls/\(slug)")
            #expect(callPage.body.string.contains("Read the questions and start your submission"))
            #expect(callPage.body.string.contains("City governments"))

            let contributor = try await app.makeAccount("amara@example.org", name: "Amara Okafor")
            let browser = try await app.browser(signedInAs: contributor)
            let preview = try await browser.get("/calls/\(slug)/questions")
            #expect(preview.body.string.contains("Step 8 of 8: Feedback"))
            #expect(preview.body.string.contains("Short and simple explanation"))
            #expect(preview.body.string.contains("At most 500 characters."))

            let sections: [(String, [(String, String)])] = [
                ("owner", [("q.public_employee", "yes"), ("q.your_name", "Amara Okafor"), ("q.your_email", "amara@example.org")]),
                ("organisation", [("q.organisation_name", "Nairobi City County"), ("q.organisation_type", "Government"), ("q.country", "KE"),
                                  ("q.level_of_government", "Local government"), ("q.primary_sectors", "Health"), ("q.primary_sectors", "Education")]),
                ("summary", [("q.title", "Health Data Commons Nairobi"), ("q.year_launched", "2019"),
                             ("q.short_explanation", "Clinics share anonymised data so the city can plan services."),
                             ("q.overview", "The city brought clinics together to share data.\n\nIt now plans with it."),
                             ("q.innovation_tags", "Open data"), ("q.innovation_tags", "Neighbourhood clinics")]),
                ("description", [("q.what_makes_it_innovative", "Shared data between rivals."), ("q.innovation_status", "Implementation"),
                                 ("q.status_description", "Running in 12 clinics.")]),
                ("development", [("q.collaborations", "Clinics, the university and residents.")]),
                ("reflections", [("q.results", "Waiting times fell."), ("q.challenges", "Trust."), ("q.conditions_for_success", "Leadership."),
                                 ("q.replication", "Two more cities."), ("q.lessons_learned", "Start small.")]),
                ("materials", [("q.video_urls.0.url", "https://video.example/nairobi")]),
                ("feedback", [("q.form_simplicity", "8"), ("q.newsletter", "yes")]),
            ]
            let id = try await Self.startAndFill(browser, slug: slug, sections: sections)
            let review = try await browser.get("/submissions/\(id)")
            #expect(review.body.string.contains("Health Data Commons Nairobi"))
            #expect(!review.body.string.contains("answers are still needed"))
            #expect(review.body.string.contains("Neighbourhood clinics"))

            let submitted = try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:])
            #expect(submitted.status == .seeOther)
            #expect(try await browser.get("/submissions/\(id)?done=submitted").body.string.contains("We sent you a receipt"))
            let receipt = try #require(try await app.outbox().last { $0.kind == "submission-receipt" })
            #expect(receipt.recipient == contributor.email)
            #expect(receipt.body.contains("== Summary ==") && receipt.body.contains("Clinics share anonymised data so the city can plan services."))
            // "Yes" to the newsletter question goes through the newsletter's own double opt-in.
            #expect(try await NewsletterTests.status(app, contributor.email) == "pending")
            #expect(try await app.outbox().contains { $0.kind == "newsletter-confirm" && $0.recipient == contributor.email })

            // The editor asks for changes; the submitter changes the title and submits again.
            let queue = try await editor.get("/admin/submissions")
            #expect(queue.body.string.contains("Submitted: 1"))
            let asked = try await editor.submit("/admin/submissions/\(id)", action: "/admin/submissions/\(id)/transition",
                                                ["action": "request_changes", "message": "Please add the year of the first clinic."])
            #expect(asked.status == .seeOther)
            #expect(try await Self.status(app, id) == .changesRequested)
            #expect(try await app.outbox().last?.body.contains("Please add the year of the first clinic.") == true)
            #expect(try await browser.get("/submissions/\(id)").body.string.contains("Please add the year of the first clinic."))
            _ = try await browser.submit("/submissions/\(id)/sections/summary", pairs: sections[2].1.filter { $0.0 != "q.title" }
                + [("q.title", "Health Data Commons of Nairobi"), ("next", "continue")])
            #expect(try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:]).status == .seeOther)
            #expect(try await Self.status(app, id) == .submitted)

            // Accepted and published: a case study of the library, found and counted.
            let published = try await editor.submit("/admin/submissions/\(id)", action: "/admin/submissions/\(id)/transition", ["action": "publish"])
            #expect(published.status == .seeOther)
            #expect(try await Self.status(app, id) == .published)
            let page = try await Browser(app).get("/innovations/health-data-commons-of-nairobi")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<h1>Health Data Commons of Nairobi</h1>"))
            #expect(page.body.string.contains("<dd>Nairobi City County</dd>"))
            let api = try await Browser(app).get("/api/v1/cases?q=commons&country=kenya")
            #expect(api.body.string.contains("\"total\":1"))
            #expect(api.body.string.contains("health-data-commons-of-nairobi"))
            let mail = try #require(try await app.outbox().last { $0.kind == "submission-status" })
            #expect(mail.body.contains("/innovations/health-data-commons-of-nairobi"))
            #expect(try await app.auditActions().contains(AuditAction.entryPublished.rawValue))
        }
    }

    @Test(arguments: [("Europe/Paris", "2026-10-25T23:59"), ("America/New_York", "2026-03-08T12:00"), ("Asia/Kolkata", "2026-09-22T17:30")])
    func theDeadlineHoldsToTheSecond(_ zone: String, _ closes: String) async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            let deadline = try LocalDateTime.instant(closes, in: TimeZone(identifier: zone)!)
            app.clock.freeze(at: deadline - 3_000)
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call \(zone)", closes: closes, zone: zone)
            let browser = try await app.browser(signedInAs: try await app.makeAccount("late@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug)

            // The review page was open before the deadline; "Submit" arrives one second after it:
            // refused, and the draft stays as it was.
            app.clock.freeze(at: deadline - 5)
            let page = try await browser.get("/submissions/\(id)")
            let fields = Browser.hiddenFields(in: page.body.string, formAction: "/submissions/\(id)/submit")
            #expect(fields["csrf_token"] != nil)
            app.clock.freeze(at: deadline + 1)
            let late = try await browser.post("/submissions/\(id)/submit", fields)
            #expect(late.status == .forbidden)
            #expect(late.body.string.contains("The deadline passed at"))
            #expect(late.body.string.contains("Your draft stays saved."))
            let draft = try #require(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id))
            #expect(draft.status == .draft && draft.answers["title"] == .text("Mobile clinics, Nairobi"))

            // The editor extends the deadline; the call says so; the entry goes in.
            app.clock.freeze(at: deadline + 10)
            let extended = try await editor.submit("/admin/calls/\(draft.callItemID)", action: "/admin/calls/\(draft.callItemID)/extend",
                                                   ["closes_at": LocalDateTime.text(deadline + 86_400, in: TimeZone(identifier: zone)!)])
            #expect(extended.status == .seeOther)
            let history = try await editor.get("/admin/calls/\(draft.callItemID)")
            #expect(history.body.string.contains("Extensions"))
            app.clock.freeze(at: deadline + 20)
            #expect(try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:]).status == .seeOther)
            #expect(try await Self.status(app, id) == .submitted)
            #expect(try await app.auditActions().contains(AuditAction.callExtended.rawValue))
        }
    }

    @Test func oneSecondBeforeTheDeadlineIsOnTime() async throws {
        try await withApp(.sqlite, adjust: accountTestSettings) { app in
            let deadline = try LocalDateTime.instant("2026-10-25T23:59", in: TimeZone(identifier: "Europe/Paris")!)
            app.clock.freeze(at: deadline - 3_000)
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call on time", closes: "2026-10-25T23:59", zone: "Europe/Paris")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("ontime@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug)
            app.clock.freeze(at: deadline - 5)
            let page = try await browser.get("/submissions/\(id)")
            app.clock.freeze(at: deadline - 1)
            #expect(try await browser.post("/submissions/\(id)/submit", Browser.hiddenFields(in: page.body.string, formAction: "/submissions/\(id)/submit")).status == .seeOther)
            #expect(try await Self.status(app, id) == .submitted)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func badAnswersAreRefusedWithEverythingTypedKept(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call for long answers")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("typist@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug, sections: [])
            let long = String(repeating: "Très long récit. ", count: 130)
            let response = try await browser.submit("/submissions/\(id)/sections/response", pairs: [
                ("q.title", "Kept title"), ("q.country", "KE"), ("q.description", long), ("q.started_on", "2021-02-30"), ("next", "continue"),
            ])
            #expect(response.status == .badRequest)
            let body = response.body.string
            #expect(body.contains("Use at most 2000 characters (this answer has \(long.trimmingCharacters(in: .whitespaces).count))."))
            #expect(body.contains("Enter a date that exists, like 2024-03-31."))
            #expect(body.contains(long.trimmingCharacters(in: .whitespaces).htmlEscaped + "</textarea>"))
            #expect(body.contains("value=\"Kept title\""))
            let stored = try #require(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id))
            #expect(stored.answers.isEmpty, "nothing is saved until the answers can be kept")

            // Missing answers do not stop saving; they stop submitting.
            let partial = try await browser.submit("/submissions/\(id)/sections/response", pairs: [("q.title", "Only a title"), ("next", "later")])
            #expect(partial.status == .seeOther)
            #expect(partial.headers.first(name: .location) == "/account/submissions?done=saved")
            let refused = try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:])
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("answers are still needed before you can submit"))
            #expect(try await Self.status(app, id) == .draft)
            // The conditional question appears only when asked for.
            let other = try await browser.submit("/submissions/\(id)/sections/response", pairs: Self.crisisSections[0].1.filter { $0.0 != "q.crisis" }
                + [("q.crisis", "other"), ("next", "continue")])
            #expect(other.status == .seeOther)
            #expect(try await browser.get("/submissions/\(id)").body.string.contains("Which crisis?"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func collaboratorsShareADraftAndNeverOverwriteEachOther(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call for teams")
            let owner = try await app.browser(signedInAs: try await app.makeAccount("owner@example.org"))
            let id = try await Self.startAndFill(owner, slug: slug)
            let colleagueAccount = try await app.makeAccount("colleague@example.org")
            let colleague = try await app.browser(signedInAs: colleagueAccount)
            let stranger = try await app.browser(signedInAs: try await app.makeAccount("stranger@example.org"))

            // Not invited: the entry does not exist for them.
            #expect(try await stranger.get("/submissions/\(id)").status == .notFound)
            #expect(try await stranger.get("/submissions/\(id)/sections/response").status == .notFound)
            #expect(try await stranger.post("/submissions/\(id)/sections/response", ["csrf_token": try await stranger.csrfToken(), "q.title": "Hijacked"]).status == .notFound)
            #expect(try await colleague.get("/submissions/\(id)").status == .notFound)

            _ = try await owner.submit("/submissions/\(id)", action: "/submissions/\(id)/collaborators", ["email": colleagueAccount.email])
            let token = try #require(try await app.linkToken(kind: "collaborator-invitation"))
            let accepted = try await colleague.submit("/submissions/invitations/accept?token=\(token)", action: "/submissions/invitations/accept", [:])
            #expect(accepted.status == .seeOther)
            #expect(try await colleague.get("/submissions/\(id)").status == .ok)
            #expect(try await colleague.get("/account/submissions").body.string.contains("Mobile clinics, Nairobi"))
            // Only the owner invites.
            let invite = try await colleague.submit("/submissions/\(id)", action: "/submissions/\(id)/sections/response", [:])
            _ = invite
            #expect(try await colleague.post("/submissions/\(id)/collaborators", ["csrf_token": try await colleague.csrfToken(), "email": "x@example.org"]).status == .forbidden)

            // Both open the same step; the owner saves first; the colleague's save is refused with both versions shown.
            let ownerForm = try await owner.get("/submissions/\(id)/sections/response")
            let colleagueForm = try await colleague.get("/submissions/\(id)/sections/response")
            var ownerFields = Browser.hiddenFields(in: ownerForm.body.string, formAction: "/submissions/\(id)/sections/response")
            ownerFields["q.title"] = "Owner's title"
            var colleagueFields = Browser.hiddenFields(in: colleagueForm.body.string, formAction: "/submissions/\(id)/sections/response")
            colleagueFields["q.title"] = "Colleague's title"
            #expect(try await owner.post("/submissions/\(id)/sections/response", ownerFields).status == .seeOther)
            let conflict = try await colleague.post("/submissions/\(id)/sections/response", colleagueFields)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Someone else saved this step after you opened it."))
            #expect(conflict.body.string.contains("value=\"Colleague&#39;s title\"") || conflict.body.string.contains("value=\"Colleague's title\""))
            #expect(conflict.body.string.contains("Saved meanwhile by someone else:"))
            #expect(conflict.body.string.contains("Owner&#39;s title") || conflict.body.string.contains("Owner's title"))
            #expect(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id)?.answers["title"] == .text("Owner's title"))
            // Saving again from the conflict page is a deliberate choice, and goes through.
            var again = Browser.hiddenFields(in: conflict.body.string, formAction: "/submissions/\(id)/sections/response")
            again["q.title"] = "Colleague's title"
            #expect(try await colleague.post("/submissions/\(id)/sections/response", again).status == .seeOther)
            #expect(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id)?.answers["title"] == .text("Colleague's title"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func automaticSavesAnswerInJSON(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call for typists")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("auto@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug, sections: [])
            let page = try await browser.get("/submissions/\(id)/sections/response")
            #expect(page.body.string.contains("<script src=\"/assets/site-\(Script.version).js\" defer></script>"))
            #expect(page.body.string.contains("data-characters-left=\"{count} characters left\""))
            let token = try await browser.csrfToken()
            func autosave(_ pairs: [(String, String)]) async throws -> TestingHTTPResponse {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let body = (pairs + [("csrf_token", token)]).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
                return try await browser.request(.POST, "/submissions/\(id)/sections/response", body: ByteBuffer(string: body),
                                                 contentType: .urlEncodedForm, headers: ["X-Autosave": "1"])
            }
            let first = try await autosave([("revision", "0"), ("q.title", "Typed so far")])
            #expect(first.status == .ok)
            #expect(first.body.string == #"{"revision":1}"#)
            #expect(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id)?.answers["title"] == .text("Typed so far"))
            // "Saved" means on disk: another process reads it at once, and SQLite syncs every commit.
            try await withSecondInstance(of: app) { other in
                let seen = try await SubmissionStore(sql: other.db as! any SQLDatabase, now: 0).find(id: id)
                #expect(seen?.answers["title"] == .text("Typed so far"))
            }
            if database == .sqlite {
                let mode = try await (app.db as! any SQLDatabase).raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
                #expect(mode == 2, "FULL: a commit is on disk before the answer")
            }
            let stale = try await autosave([("revision", "0"), ("q.title", "From an old tab")])
            #expect(stale.status == .conflict)
            let tooLong = try await autosave([("revision", "1"), ("q.title", String(repeating: "x", count: 201))])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.body.string.contains("Use at most 200 characters (this answer has 201)."))
            #expect(try await browser.get("/assets/site-\(Script.version).js").headers.contentType?.subType == "javascript")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func newQuestionnaireVersionsNeverChangeOldOnes(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let sql = app.db as! any SQLDatabase
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call before the change")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("early@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug)

            let v2 = ShippedQuestionnaires.crisisResponse.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
                .replacingOccurrences(of: "Name of the response", with: "Name of the crisis response")
            await #expect(throws: QuestionnaireCommand.AddError.self) {
                _ = try await QuestionnaireCommand.add(json: ShippedQuestionnaires.crisisResponse, to: sql, now: 0)
            }
            #expect(try await QuestionnaireCommand.add(json: v2, to: sql, now: 0) == "Stored crisis-response@2: 2 sections, 10 questions.")
            #expect(try await CallStore(sql: sql, now: 0).questionnaireVersions().map { "\($0.key)@\($0.version)" }
                    == ["case-study@1", "crisis-response@2", "crisis-response@1"])
            // The entry made against version 1 still shows version 1's questions.
            let page = try await browser.get("/submissions/\(id)")
            #expect(page.body.string.contains("Name of the response"))
            #expect(!page.body.string.contains("Name of the crisis response"))
            // A new call can take version 2.
            let newer = try await Self.openCall(editor, title: "Call after the change", questionnaire: "crisis-response@2")
            #expect(try await browser.get("/calls/\(newer)/questions").body.string.contains("Name of the crisis response"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func illegalTransitionsAreRefused(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await Self.openCall(editor, title: "Call for rules")
            let browser = try await app.browser(signedInAs: try await app.makeAccount("rules@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug)
            func act(_ action: String, message: String = "") async throws -> TestingHTTPResponse {
                try await editor.post("/admin/submissions/\(id)/transition", ["csrf_token": try await editor.csrfToken(), "action": action, "message": message])
            }
            let early = try await act("publish")
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("is not possible for an entry that is “Draft”"))
            #expect(try await act("fly").status == .badRequest)
            _ = try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:])
            #expect(try await act("request_changes").status == .badRequest, "a message is needed")
            #expect(try await act("start_review").status == .seeOther)
            #expect(try await act("start_review").status == .conflict)
            #expect(try await act("reject", message: "Out of scope.").status == .seeOther)
            #expect(try await Self.status(app, id) == .rejected)
            #expect(try await act("publish").status == .conflict)
            // Submitters cannot act as editors, nor submit a rejected entry.
            #expect(try await browser.post("/admin/submissions/\(id)/transition", ["csrf_token": try await browser.csrfToken(), "action": "publish"]).status == .forbidden)
            #expect(try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:]).status != .seeOther)
            #expect(try await Self.status(app, id) == .rejected)
            // Internal notes stay internal.
            _ = try await editor.submit("/admin/submissions/\(id)", action: "/admin/submissions/\(id)/notes", ["note": "Looks like spam to me."])
            #expect(try await editor.get("/admin/submissions/\(id)").body.string.contains("Looks like spam to me."))
            #expect(!(try await browser.get("/submissions/\(id)").body.string.contains("Looks like spam to me.")))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func pendingAccountsCannotStartAndEditorsGetADigestAndExports(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editorAccount = try await app.makeAccount("editor@example.org", role: .editor)
            let editor = try await app.browser(signedInAs: editorAccount)
            let slug = try await Self.openCall(editor, title: "Call for data")
            let pending = try await app.browser(signedInAs: try await app.makeAccount("pending@example.org", status: .pending))
            let refused = try await pending.post("/calls/\(slug)/submissions", ["csrf_token": try await pending.csrfToken()])
            #expect(refused.status == .forbidden)

            let browser = try await app.browser(signedInAs: try await app.makeAccount("data@example.org"))
            let id = try await Self.startAndFill(browser, slug: slug)
            _ = try await browser.submit("/submissions/\(id)", action: "/submissions/\(id)/submit", [:])
            #expect(try await DigestCommand.queueDigest(app) == 1)
            let digest = try #require(try await app.outbox().last { $0.kind == "editor-digest" })
            #expect(digest.recipient == editorAccount.email)
            #expect(digest.body.contains("Mobile clinics, Nairobi") && digest.body.contains("/admin/submissions/\(id)"))

            let callID = try #require(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id)?.callItemID)
            let csv = try await editor.get("/admin/calls/\(callID)/submissions.csv?bom=1")
            #expect(csv.headers.contentType?.subType == "csv")
            let text = csv.body.string
            #expect(text.hasPrefix("\u{FEFF}id,status,owner,"))
            // Python's csv module reads it back with the same values.
            let script = "import csv,io,json,sys; rows=list(csv.reader(io.StringIO(sys.stdin.read().lstrip('\\ufeff'), newline=''))); print(json.dumps(rows))"
            let parsed = try JSONSerialization.jsonObject(with: try runPython(script, input: text)) as! [[String]]
            #expect(parsed.count == 2)
            let header = parsed[0], row = parsed[1]
            func value(_ column: String) -> String? { header.firstIndex(of: column).map { row[$0] } }
            #expect(value("description") == "Clinics on wheels, with \"quotes\", commas, and\nnew lines.")
            #expect(value("issues") == "health; services")
            #expect(value("contacts") == "Wanjiru Kamau; wanjiru@example.org")
            #expect(value("owner") == "data@example.org" && value("status") == "submitted")
            let json = try await editor.get("/admin/calls/\(callID)/submissions.json")
            #expect(json.body.string.contains("\"submitted_at\""))
            #expect(try await browser.get("/admin/calls/\(callID)/submissions.csv").status == .forbidden)
        }
    }
}
