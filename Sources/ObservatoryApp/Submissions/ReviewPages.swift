import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The editors' side: the queue of entries by call and status with counts, one entry with its
/// answers, history and internal notes, the workflow's actions, and exports of a call's entries.
struct ReviewPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.reviewQueue, use: queue)
        editors.get(SiteURL.Routes.reviewSubmission, use: show)
        editors.post(SiteURL.Routes.reviewTransition, use: transition)
        editors.post(SiteURL.Routes.reviewNotes, use: note)
        editors.get(SiteURL.Routes.callEntriesCSV) { try await SubmissionExport.csv($0) }
        editors.get(SiteURL.Routes.callEntriesJSON) { try await SubmissionExport.json($0) }
    }

    func queue(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let sql = try request.sql
        let store = SubmissionStore(sql: sql, now: context.now)
        var status: SubmissionStatus?
        if let raw = try? request.query.get(String.self, at: "status"), !raw.isEmpty {
            guard let parsed = SubmissionStatus(rawValue: raw) else { throw Abort(.badRequest, reason: context("submission.badStatus")) }
            status = parsed
        }
        let callID = try? request.query.get(Int64.self, at: "call")
        let counts = try await store.counts(callItemID: callID)
        let entries = try await store.queue(callItemID: callID, status: status)
        let calls = CallStore(sql: sql, now: context.now)
        var rows: [HTML] = []
        var callTitles: [Int64: String] = [:]
        for entry in entries {
            if callTitles[entry.callItemID] == nil { callTitles[entry.callItemID] = try await calls.find(itemID: entry.callItemID)?.title ?? "" }
            rows.append("""
            <tr><td><a href="\(SiteURL.Routes.reviewSubmission.path(entry.id))">\(entry.title)</a></td><td>\(callTitles[entry.callItemID] ?? "")</td>
            <td>\(context(L10nKey(entry.status.nameKey)))</td><td>\(entry.submittedAt.map { context.moment($0, in: context.settings.timeZone) } ?? "—")</td></tr>
            """)
        }
        let countLinks: [HTML] = SubmissionStatus.allCases.map { each in
            var query: [(String, String)] = [("status", each.rawValue)]
            if let callID { query.append(("call", String(callID))) }
            let current: HTML = each == status ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(SiteURL.Routes.reviewQueue.path(query: query))\"\(current)>\(context(L10nKey(each.nameKey))): \(String(counts[each] ?? 0))</a></li>"
        }
        let exports: HTML = callID.map { id in
            "<p><a href=\"\(SiteURL.Routes.callEntriesCSV.path(id))\">\(context("submission.export.csv"))</a> · <a href=\"\(SiteURL.Routes.callEntriesJSON.path(id))\">\(context("submission.export.json"))</a></p>"
        } ?? ""
        let content: HTML = """
        <h1>\(context("submission.queue"))</h1>
        <ul class="chips status-counts">\(countLinks)</ul>
        \(exports)
        <table class="data-table"><thead><tr><th scope="col">\(context("submission.title"))</th><th scope="col">\(context("type.call.one"))</th>
        <th scope="col">\(context("account.field.status"))</th><th scope="col">\(context("submission.submittedAt"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
        return Layout.page(context, title: context("submission.queue"), content: content)
    }

    private func load(_ request: Request) async throws -> (SubmissionRecord, CallInfo, Questionnaire, QuestionnaireRules) {
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let sql = try request.sql
        let now = request.application.clock.now()
        guard let submission = try await SubmissionStore(sql: sql, now: now).find(id: id),
              let call = try await CallStore(sql: sql, now: now).find(itemID: submission.callItemID)
        else { throw Abort(.notFound) }
        let questionnaire = try await request.application.questionnaires.questionnaire(
            key: submission.questionnaireKey, version: submission.questionnaireVersion, on: sql)
        return (submission, call, questionnaire, try await request.rules(for: questionnaire))
    }

    func show(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let (submission, call, questionnaire, rules) = try await load(request)
        let view = try await SubmissionPages().questionnaireView(request, questionnaire, context, submissionID: submission.id)
        let sql = try request.sql
        let owner = try await AccountStore(sql: sql, now: context.now).find(id: submission.ownerID)
        let events = try await SubmissionStore(sql: sql, now: context.now).events(of: submission.id, includingInternal: true)
        let sections: [HTML] = questionnaire.sections.map { section in
            let answers: [HTML] = section.fields.filter { $0.kind != .guidance && rules.isVisible($0, in: submission.answers) }.map {
                "<dt>\(view.text($0.label))</dt><dd>\($0.kind == .file ? view.fileList($0) : view.display($0, submission.answers[$0.id]))</dd>"
            }
            return "<section class=\"review-section\"><h2>\(view.text(section.title))</h2><dl class=\"answers\">\(answers)</dl></section>"
        }
        let history: [HTML] = events.map { event in
            let change: String = event.to.map { to in "\(event.from.map { context(L10nKey($0.nameKey)) } ?? "—") → \(context(L10nKey(to.nameKey)))" } ?? ""
            return """
            <li class="\(event.isInternal ? "internal-note" : "")"><p class="card-meta">\(context.moment(event.at, in: context.settings.timeZone)) · \(event.actor) · \(event.isInternal ? context("submission.internalNote") : change)</p>
            \(event.message.map { "<p>\($0)</p>" as HTML })</li>
            """
        }
        let csrf = request.csrfToken
        let actions = SubmissionWorkflow.actions(from: submission.status, by: .editor)
        let actionForm: HTML = actions.isEmpty ? "" : """
        <form method="post" action="\(SiteURL.Routes.reviewTransition.path(submission.id))" class="stacked-form">\(FormBuilder.csrf(csrf))
        <fieldset><legend>\(context("submission.decision"))</legend>
        \(actions.enumerated().map { index, action in
            "<div class=\"choice\"><input type=\"radio\" id=\"action-\(index)\" name=\"action\" value=\"\(action.rawValue)\"\(index == 0 ? " checked" : "" as HTML)><label for=\"action-\(index)\">\(context(L10nKey(action.nameKey)))</label></div>" as HTML
        })
        </fieldset>
        <div class="field"><label for="field-message">\(context("submission.messageToSubmitter"))</label>
        <p class="hint" id="field-message-hint">\(context("submission.messageHint"))</p>
        <textarea id="field-message" name="message" rows="4" aria-describedby="field-message-hint"></textarea></div>
        <button type="submit">\(context("submission.apply"))</button>
        </form>
        """
        let purge: HTML = submission.status == .pendingDeletion ? """
        <form method="post" action="\(SiteURL.Routes.reviewDelete.path(submission.id))">\(FormBuilder.csrf(csrf))
        <button type="submit" class="secondary">\(context("submission.deleteForGood"))</button></form>
        """ : ""
        let published: HTML = submission.publishedItemID == nil ? "" : "<p><a href=\"\(SiteURL.cases(CaseQuery()).path)\">\(context("submission.publishedLink"))</a></p>"
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.reviewQueue.path)">\(context("submission.queue"))</a> · \(call.title)</p>
        <h1>\(submission.title)</h1>
        <p class="status">\(context(L10nKey(submission.status.nameKey)))</p>
        <p>\(context("submission.by", ["name": owner?.name ?? "?", "email": owner?.email ?? "?"]))</p>
        \(published)
        \(actionForm)
        \(purge)
        <section><h2>\(context("submission.history"))</h2><ol class="history">\(history)</ol>
        <form method="post" action="\(SiteURL.Routes.reviewNotes.path(submission.id))" class="stacked-form">\(FormBuilder.csrf(csrf))
        <div class="field"><label for="field-note">\(context("submission.addNote"))</label>
        <textarea id="field-note" name="note" rows="3"></textarea></div>
        <button type="submit" class="secondary">\(context("submission.saveNote"))</button></form></section>
        \(sections)
        """
        return Layout.page(context, title: submission.title, content: content)
    }

    func transition(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let editor = request.signedIn else { throw Abort(.unauthorized) }
        let (submission, call, questionnaire, rules) = try await load(request)
        guard let action = SubmissionAction(rawValue: request.formValue("action")) else {
            throw Abort(.badRequest, reason: context("submission.badAction"))
        }
        let message = request.formValue("message").trimmingCharacters(in: .whitespacesAndNewlines)
        let next: SubmissionStatus
        do {
            next = try SubmissionWorkflow.next(from: submission.status, action, by: .editor, message: message)
        } catch SubmissionWorkflow.Refusal.messageRequired {
            throw Abort(.badRequest, reason: context("submission.messageRequired"))
        } catch {
            throw Abort(.conflict, reason: context("submission.illegalTransition", [
                "action": context(L10nKey(action.nameKey)), "status": context(L10nKey(submission.status.nameKey))]))
        }
        let now = request.application.clock.now()
        let settings = request.application.siteSettings
        let mails = SubmissionMails(settings: settings)
        let sql = try request.sql
        let owner = try await AccountStore(sql: sql, now: now).find(id: submission.ownerID)
        _ = questionnaire
        try await request.db.transaction { database in
            let sql = try database.sql
            var publishedURL: String?
            if next == .published {
                let (itemID, slug) = try await CasePublisher(sql: sql, now: now).publish(submission, rules: rules, author: owner?.name ?? editor.name)
                try await SubmissionStore(sql: sql, now: now).setPublishedItem(submission.id, itemID: itemID)
                publishedURL = settings.baseURL + SiteURL.item(.caseStudy, slug: slug).path
            }
            try await SubmissionStore(sql: sql, now: now).transition(submission, action: action, to: next, actorID: editor.accountID,
                                                                     actorLabel: editor.name, message: message.isEmpty ? nil : message)
            if let owner {
                try await Outbox.enqueue(mails.statusChanged(to: owner.email, submission: submission, status: next,
                                                             message: message.isEmpty ? nil : message, publishedURL: publishedURL), at: now, on: sql)
            }
            let audited: AuditAction? = [.published: .entryPublished, .rejected: .entryRejected, .pendingDeletion: .entryMarkedForDeletion][next]
            if let audited {
                try await request.audit(audited, target: AuditEntry.Target(type: "submission", id: String(submission.id), label: submission.title),
                                        before: ["status": submission.status.rawValue], after: ["status": next.rawValue], on: sql)
            }
        }
        _ = call
        return request.redirect(to: SiteURL.Routes.reviewSubmission.path(submission.id), redirectType: .normal)
    }

    func note(_ request: Request) async throws -> Response {
        guard let editor = request.signedIn, let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let note = request.formValue("note").trimmingCharacters(in: .whitespacesAndNewlines)
        let store = SubmissionStore(sql: try request.sql, now: request.application.clock.now())
        guard try await store.find(id: id) != nil else { throw Abort(.notFound) }
        guard !note.isEmpty, note.count <= 5_000 else { throw Abort(.badRequest, reason: PageContext(request: request)("submission.noteInvalid")) }
        try await store.record(id, action: "note", from: nil, to: nil, actorID: editor.accountID, actorLabel: editor.name, message: note, isInternal: true)
        return request.redirect(to: SiteURL.Routes.reviewSubmission.path(id), redirectType: .normal)
    }
}
