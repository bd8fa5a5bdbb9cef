import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// What submitters do: preview a call's questions, start an entry, fill it in step by step
/// (saving at every step), review it and submit it before the deadline, invite collaborators.
struct SubmissionPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get(SiteURL.Routes.callQuestions, use: preview)
        routes.access(.signedIn).get(SiteURL.Routes.mySubmissions, use: mine)
        let contributors = routes.access(.contributor)
        contributors.post(SiteURL.Routes.callSubmissionStart, use: start)
        contributors.get(SiteURL.Routes.submission, use: overview)
        contributors.get(SiteURL.Routes.submissionSection, use: sectionForm)
        contributors.post(SiteURL.Routes.submissionSection, use: saveSection)
        contributors.post(SiteURL.Routes.submissionSubmit, use: submit)
        contributors.post(SiteURL.Routes.submissionWithdraw, use: withdraw)
        contributors.post(SiteURL.Routes.submissionCollaborators, use: invite)
        contributors.post(SiteURL.Routes.submissionCollaboratorsRemove, use: removeCollaborator)
        contributors.get(SiteURL.Routes.invitationAccept, use: invitationForm)
        contributors.post(SiteURL.Routes.invitationAccept, use: acceptInvitation)
    }

    // MARK: Before starting

    func preview(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let sql = try request.sql
        guard let slug = request.parameters.get("slug"), let call = try await CallStore(sql: sql, now: context.now).find(slug: slug) else {
            throw Abort(.notFound)
        }
        let questionnaire = try await request.application.questionnaires.questionnaire(key: call.questionnaireKey, version: call.questionnaireVersion, on: sql)
        let view = try await questionnaireView(request, questionnaire, context)
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.item(.call, slug: call.slug).path)">\(call.title)</a></p>
        <h1>\(context("questionnaire.previewTitle", ["title": view.text(questionnaire.title)]))</h1>
        \(questionnaire.description.map { "<p class=\"lead\">\(view.text($0))</p>" as HTML })
        <p class="no-print">\(context("questionnaire.printHint"))</p>
        \(view.preview())
        \(startForm(call, context, request: request))
        """
        return Layout.page(context, title: context("questionnaire.previewTitle", ["title": view.text(questionnaire.title)]), content: content)
    }

    func startForm(_ call: CallInfo, _ context: PageContext, request: Request) -> HTML {
        guard call.schedule.phase(at: context.now) == .open else { return "" }
        guard request.signedIn != nil else {
            return "<p><a class=\"button\" href=\"\(SiteURL.signIn(next: SiteURL.item(.call, slug: call.slug).path).path)\">\(context("call.signInToStart"))</a></p>"
        }
        return """
        <form method="post" action="\(SiteURL.Routes.callSubmissionStart.path(call.slug))" class="no-print">\(FormBuilder.csrf(request.csrfToken))
        <button type="submit">\(context("call.start"))</button></form>
        """
    }

    func questionnaireView(_ request: Request, _ questionnaire: Questionnaire, _ context: PageContext,
                           submissionID: Int64? = nil) async throws -> QuestionnaireView {
        var terms: [String: [String]] = [:]
        for vocabulary in Set(questionnaire.fields.compactMap(\.vocabulary)) { terms[vocabulary] = try await request.terms(of: vocabulary) }
        var view = QuestionnaireView(questionnaire: questionnaire, context: context, vocabularyTerms: terms)
        if let submissionID {
            view.attachments = Dictionary(grouping: try await AttachmentStore(sql: try request.sql).list(submissionID: submissionID), by: \.fieldID)
        }
        return view
    }

    // MARK: Starting and listing

    func start(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        guard let slug = request.parameters.get("slug"),
              let call = try await CallStore(sql: try request.sql, now: context.now).find(slug: slug)
        else { throw Abort(.notFound) }
        switch try await SubmissionActions.start(call, by: signedIn, request: request) {
        case .callNotOpen:
            throw Abort(.forbidden, reason: context("submission.callNotOpen"))
        case .started(let id, let questionnaire):
            return request.redirect(to: SiteURL.Routes.submissionSection.path(id, questionnaire.sections[0].id), redirectType: .normal)
        }
    }

    func mine(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let sql = try request.sql
        let submissions = try await SubmissionStore(sql: sql, now: context.now).list(forAccount: signedIn.accountID)
        var rows: [HTML] = []
        for submission in submissions {
            let call = try await CallStore(sql: sql, now: context.now).find(itemID: submission.callItemID)
            rows.append("""
            <tr><td><a href="\(SiteURL.Routes.submission.path(submission.id))">\(submission.title)</a></td><td>\(call?.title ?? "")</td>
            <td>\(context(L10nKey(submission.status.nameKey)))</td><td>\(context.moment(submission.updatedAt, in: context.settings.timeZone))</td></tr>
            """)
        }
        let done = (try? request.query.get(String.self, at: "done")) == "saved" ? context("submission.savedForLater") : nil
        let content: HTML = """
        <h1>\(context("submission.mine"))</h1>
        \(AccountViews.notice(done))
        \(rows.isEmpty ? "<p>\(context("submission.none"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("submission.title"))</th><th scope="col">\(context("type.call.one"))</th>
        <th scope="col">\(context("account.field.status"))</th><th scope="col">\(context("submission.updated"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: context("submission.mine"), content: content)
    }

    // MARK: One entry

    struct Loaded {
        let submission: SubmissionRecord
        let call: CallInfo
        let questionnaire: Questionnaire
        let rules: QuestionnaireRules
    }

    /// The entry of the request, if the signed-in account may edit it; otherwise 404, so that
    /// nobody learns which entries exist.
    func load(_ request: Request) async throws -> Loaded {
        guard let signedIn = request.signedIn, let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let sql = try request.sql
        let now = request.application.clock.now()
        let store = SubmissionStore(sql: sql, now: now)
        guard let submission = try await store.find(id: id), try await store.mayEdit(submission, accountID: signedIn.accountID),
              let call = try await CallStore(sql: sql, now: now).find(itemID: submission.callItemID)
        else { throw Abort(.notFound) }
        let questionnaire = try await request.application.questionnaires.questionnaire(
            key: submission.questionnaireKey, version: submission.questionnaireVersion, on: sql)
        return Loaded(submission: submission, call: call, questionnaire: questionnaire, rules: try await request.rules(for: questionnaire))
    }

    func overview(_ request: Request) async throws -> Response {
        try await overviewPage(request, try await load(request), status: .ok)
    }

    func overviewPage(_ request: Request, _ loaded: Loaded, status: HTTPResponseStatus, message: String? = nil) async throws -> Response {
        let context = PageContext(request: request)
        let submission = loaded.submission
        let view = try await questionnaireView(request, loaded.questionnaire, context, submissionID: submission.id)
        let problems = loaded.rules.problems(in: submission.answers, attachments: view.attachments.mapValues(\.count))
        let editable = submission.status.isEditableBySubmitter
        let sections: [HTML] = loaded.questionnaire.sections.map { section in
            let sectionProblems = problems[section.id] ?? [:]
            let answers: [HTML] = section.fields.filter { $0.kind != .guidance && loaded.rules.isVisible($0, in: submission.answers) }.map { field in
                let problem: HTML = sectionProblems[field.id].map { "<p class=\"field-error\">\(context.message($0))</p>" } ?? ""
                let answer = field.kind == .file ? view.fileList(field) : view.display(field, submission.answers[field.id])
                return "<dt>\(view.text(field.label))</dt><dd>\(problem)\(answer)</dd>"
            }
            let edit: HTML = editable ? "<a href=\"\(SiteURL.Routes.submissionSection.path(submission.id, section.id))\">\(context("submission.editSection", ["section": view.text(section.title)]))</a>" : ""
            return """
            <section class="review-section" aria-labelledby="review-\(section.id)">
            <h2 id="review-\(section.id)">\(view.text(section.title))</h2>
            \(sectionProblems.isEmpty ? "" : "<p class=\"notice\">\(context("submission.sectionIncomplete", ["count": String(sectionProblems.count)]))</p>" as HTML)
            <dl class="answers">\(answers)</dl>
            \(edit)
            </section>
            """
        }
        let missing = problems.values.reduce(0) { $0 + $1.count }
        let phase = loaded.call.schedule.phase(at: request.application.clock.now())
        let csrf = request.csrfToken
        var actions: [HTML] = []
        if editable {
            if phase == .open {
                actions.append("""
                <form method="post" action="\(SiteURL.Routes.submissionSubmit.path(submission.id))">\(FormBuilder.csrf(csrf))
                <button type="submit">\(context(submission.status == .changesRequested ? "submission.resubmit" : "submission.submit"))</button></form>
                """)
            } else {
                actions.append("<p class=\"notice\">\(context("submission.callClosed"))</p>")
            }
        }
        if submission.status == .submitted {
            actions.append("""
            <form method="post" action="\(SiteURL.Routes.submissionWithdraw.path(submission.id))">\(FormBuilder.csrf(csrf))
            <button type="submit" class="secondary">\(context("submission.withdraw"))</button></form>
            """)
        }
        let events = try await SubmissionStore(sql: try request.sql, now: context.now).events(of: submission.id, includingInternal: false)
        let messages: [HTML] = events.compactMap { event in
            guard let message = event.message, !message.isEmpty else { return nil }
            return "<li><p class=\"card-meta\">\(context.moment(event.at, in: context.settings.timeZone)) · \(event.actor)</p><p>\(message)</p></li>"
        }
        let collaborators = try await SubmissionStore(sql: try request.sql, now: context.now).collaborators(of: submission.id)
        let isOwner = request.signedIn?.accountID == submission.ownerID
        let collaboratorList: [HTML] = collaborators.map { collaborator in
            let state: HTML
            if let name = collaborator.acceptedBy {
                state = "\(context("submission.collaborator.acceptedBy", ["name": name]))"
            } else if collaborator.expired {
                state = "\(context("submission.collaborator.expired"))"
            } else {
                state = "\(context("submission.collaborator.invited"))"
            }
            let remove: HTML = isOwner ? """
                <form method="post" action="\(SiteURL.Routes.submissionCollaboratorsRemove.path(submission.id))" class="inline">\(FormBuilder.csrf(csrf))\
                <input type="hidden" name="email" value="\(collaborator.email)">\
                <button type="submit" class="link-button">\(context(collaborator.acceptedBy == nil ? "submission.collaborator.withdraw" : "submission.collaborator.remove"))</button></form>
                """ : ""
            return "<li>\(collaborator.email) · \(state) \(remove)</li>"
        }
        let inviteForm = FormBuilder(context)
        let done = (try? request.query.get(String.self, at: "done")).flatMap { key -> String? in
            let full = L10nKey("submission.done.\(key)")
            return Localizer.hasText(for: full) ? context(full) : nil
        }
        let extended: HTML = loaded.call.extended ? " (\(context("call.extended")))" : ""
        let deadline: HTML = "\(context("submission.deadline")) \(context.deadline(loaded.call.schedule.closesAt, in: loaded.call.timeZone))\(extended)"
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.item(.call, slug: loaded.call.slug).path)">\(loaded.call.title)</a> · <a href="\(SiteURL.Routes.mySubmissions.path)">\(context("submission.mine"))</a></p>
        <h1>\(submission.title)</h1>
        \(AccountViews.notice(done))
        \(message.map { "<div class=\"error-summary\" role=\"alert\"><p>\($0)</p></div>" as HTML })
        <p class="status">\(context(L10nKey(submission.status.nameKey)))</p>
        <p>\(deadline)</p>
        \(missing > 0 && editable ? "<p class=\"notice\">\(context("submission.missingCount", ["count": String(missing)]))</p>" as HTML : "")
        \(messages.isEmpty ? "" : "<section><h2>\(context("submission.messages"))</h2><ul class=\"messages\">\(messages)</ul></section>" as HTML)
        \(sections)
        <div class="actions">\(actions)</div>
        <section aria-labelledby="collaborators-heading">
        <h2 id="collaborators-heading">\(context("submission.collaborators"))</h2>
        \(collaboratorList.isEmpty ? "<p>\(context("submission.collaborators.none"))</p>" as HTML : "<ul>\(collaboratorList)</ul>" as HTML)
        \(isOwner && editable ? """
        <form method="post" action="\(SiteURL.Routes.submissionCollaborators.path(submission.id))" class="inline-form">\(FormBuilder.csrf(csrf))
        \(inviteForm.input("email", label: "submission.collaborators.email", type: "email", required: true, autocomplete: "off", maxLength: EmailAddress.maximumLength))
        <button type="submit">\(context("submission.collaborators.invite"))</button></form>
        """ as HTML : "")
        </section>
        """
        return Layout.page(context, title: submission.title, content: content).htmlResponse(status: status)
    }

    // MARK: Sections

    func sectionForm(_ request: Request) async throws -> Response {
        let loaded = try await load(request)
        guard loaded.submission.status.isEditableBySubmitter else {
            return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id), redirectType: .normal)
        }
        guard let sectionID = request.parameters.get("section"), let section = loaded.questionnaire.section(sectionID) else { throw Abort(.notFound) }
        return try await sectionPage(request, loaded, section, values: loaded.submission.answers, problems: [:],
                                     revision: loaded.submission.revisions[section.id] ?? 0, status: .ok)
    }

    func sectionPage(_ request: Request, _ loaded: Loaded, _ section: QuestionnaireSection, values: Answers, problems: [String: AnswerProblem],
                     revision: Int, status: HTTPResponseStatus, theirs: Answers? = nil, message: String? = nil) async throws -> Response {
        let context = PageContext(request: request)
        let view = try await questionnaireView(request, loaded.questionnaire, context, submissionID: loaded.submission.id)
        let sections = loaded.questionnaire.sections
        let index = sections.firstIndex { $0.id == section.id } ?? 0
        let allProblems = loaded.rules.problems(in: loaded.submission.answers, attachments: view.attachments.mapValues(\.count))
        let steps: [HTML] = sections.enumerated().map { number, step in
            let state = step.id == section.id ? "current" : (allProblems[step.id] == nil && (loaded.submission.revisions[step.id] ?? 0) > 0 ? "complete" : "todo")
            let label = "\(view.text(step.title))"
            let stateText = context(L10nKey("questionnaire.stepState.\(state)"))
            if step.id == section.id {
                return "<li class=\"step-current\" aria-current=\"step\">\(label) <span class=\"visually-hidden\">(\(stateText))</span></li>"
            }
            return "<li class=\"step-\(state)\"><a href=\"\(SiteURL.Routes.submissionSection.path(loaded.submission.id, step.id))\">\(label)</a> <span class=\"visually-hidden\">(\(stateText))</span></li>"
        }
        let summaryItems: [HTML] = problems.sorted { $0.key < $1.key }.map { key, problem in
            let fieldID = key.split(separator: ".").first.map(String.init) ?? key
            let label = loaded.questionnaire.field(fieldID).map { view.text($0.label) } ?? key
            let anchor = key.contains(".") ? "q-" + key.replacingOccurrences(of: ".", with: "-") : "q-\(key)"
            return "<li><a href=\"#\(anchor)\">\(label): \(context.message(problem))</a></li>"
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.submission.path(loaded.submission.id))">\(loaded.submission.title)</a></p>
        <nav class="progress" aria-label="\(context("questionnaire.progress"))">
        <p>\(context("questionnaire.step", ["number": String(index + 1), "count": String(sections.count)]))</p>
        <ol>\(steps)</ol>
        </nav>
        <h1>\(view.text(section.title))</h1>
        \(section.intro.map { "<p class=\"lead\">\(view.text($0))</p>" as HTML })
        \(message.map { "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><p>\($0)</p></div>" as HTML })
        \(summaryItems.isEmpty ? "" : "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>\(context("form.problem"))</h2><ul>\(summaryItems)</ul></div>" as HTML)
        <form method="post" action="\(SiteURL.Routes.submissionSection.path(loaded.submission.id, section.id))" class="questionnaire-form" novalidate>
        \(FormBuilder.csrf(request.csrfToken))
        <input type="hidden" name="revision" value="\(String(revision))">
        \(view.form(section: section, values: values, problems: problems, theirs: theirs))
        <div class="actions">
        <button type="submit" name="next" value="continue">\(context(index + 1 < sections.count ? "questionnaire.saveContinue" : "questionnaire.saveReview"))</button>
        <button type="submit" name="next" value="later" class="secondary">\(context("questionnaire.saveLater"))</button>
        </div>
        </form>
        \(view.fileForms(section: section, submissionID: loaded.submission.id, csrf: request.csrfToken))
        """
        return Layout.page(context, title: "\(view.text(section.title)) – \(loaded.submission.title)", content: content).htmlResponse(status: status)
    }

    /// The answer to the script's automatic saves.
    static func json<T: Encodable>(_ status: HTTPResponseStatus, _ value: T) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try JSONEncoder().encode(value)))
    }

    /// The posted fields in order, repeated names included.
    static func formPairs(_ request: Request) -> [(name: String, value: String)] {
        guard let body = request.body.string else { return [] }
        return body.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let name = parts.first else { return nil }
            return (decode(name), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    func saveSection(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await load(request)
        guard let signedIn = request.signedIn, let sectionID = request.parameters.get("section"),
              let section = loaded.questionnaire.section(sectionID)
        else { throw Abort(.notFound) }
        guard loaded.submission.status.isEditableBySubmitter else {
            throw Abort(.conflict, reason: context("submission.notEditable"))
        }
        let pairs = Self.formPairs(request)
        let sectionAnswers = QuestionnaireForm.answers(from: pairs, section: section)
        let baseRevision = Int(pairs.last { $0.name == "revision" }?.value ?? "") ?? 0
        var merged = loaded.submission.answers
        for (id, answer) in sectionAnswers { merged[id] = answer }
        // Answers that cannot be kept as typed (too long, not a number…) are not saved: the form
        // comes back with everything typed and the reasons. Missing answers are saved as they are.
        let problems = loaded.rules.problems(in: section, answers: merged).filter { !$0.value.isMissingAnswer }
        let isAutosave = request.headers.first(name: "X-Autosave") == "1"
        if isAutosave, !problems.isEmpty {
            return try Self.json(.unprocessableEntity, ["problems": problems.mapValues { context.message($0) }])
        }
        guard problems.isEmpty else {
            return try await sectionPage(request, loaded, section, values: merged, problems: problems, revision: baseRevision, status: .badRequest)
        }
        let now = request.application.clock.now()
        let title = SubmissionActions.title(for: merged, default: loaded.submission.title)
        let outcome = try await SubmissionStore(sql: try request.sql, now: now)
            .saveSection(section.id, of: loaded.submission, answers: sectionAnswers, baseRevision: baseRevision, title: title)
        if isAutosave {
            switch outcome {
            case .saved(let revision): return try Self.json(.ok, ["revision": revision])
            case .conflict: return try Self.json(.conflict, ["conflict": true])
            }
        }
        if case .conflict(let current) = outcome {
            // Both versions stay visible: what this person typed in the fields, what was saved
            // meanwhile beside each field that differs. Saving again keeps what is in the fields.
            let reloaded = Loaded(submission: current, call: loaded.call, questionnaire: loaded.questionnaire, rules: loaded.rules)
            return try await sectionPage(request, reloaded, section, values: merged, problems: [:],
                                         revision: current.revisions[section.id] ?? 0, status: .conflict, theirs: current.answers,
                                         message: context("submission.conflict"))
        }
        _ = signedIn
        let sections = loaded.questionnaire.sections
        if pairs.last(where: { $0.name == "next" })?.value == "later" {
            return request.redirect(to: SiteURL.Routes.mySubmissions.path(query: [("done", "saved")]), redirectType: .normal)
        }
        if let index = sections.firstIndex(where: { $0.id == section.id }), index + 1 < sections.count {
            return request.redirect(to: SiteURL.Routes.submissionSection.path(loaded.submission.id, sections[index + 1].id), redirectType: .normal)
        }
        return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id), redirectType: .normal)
    }

    // MARK: Submitting

    func submit(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await load(request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        switch try await SubmissionActions.submit(loaded, by: signedIn, request: request) {
        case .late(let deadline):
            let message = context("submission.late", ["deadline": context.formatter.dateTime(deadline, in: loaded.call.timeZone)])
            return try await overviewPage(request, loaded, status: .forbidden, message: message)
        case .incomplete(let problems):
            let count = problems.values.reduce(0) { $0 + $1.count }
            return try await overviewPage(request, loaded, status: .badRequest, message: context("submission.incomplete", ["count": String(count)]))
        case .notSubmittable:
            throw Abort(.conflict, reason: context("submission.notEditable"))
        case .submitted:
            return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id, query: [("done", "submitted")]), redirectType: .normal)
        }
    }

    func withdraw(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await load(request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let next: SubmissionStatus
        do {
            next = try SubmissionWorkflow.next(from: loaded.submission.status, .withdraw, by: .submitter)
        } catch {
            throw Abort(.conflict, reason: context("submission.cannotWithdraw"))
        }
        try await SubmissionStore(sql: try request.sql, now: request.application.clock.now())
            .transition(loaded.submission, action: .withdraw, to: next, actorID: signedIn.accountID, actorLabel: signedIn.name, message: nil)
        return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id, query: [("done", "withdrawn")]), redirectType: .normal)
    }

    // MARK: Collaborators

    func invite(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await load(request)
        guard let signedIn = request.signedIn, signedIn.accountID == loaded.submission.ownerID else {
            throw Abort(.forbidden, reason: context("submission.collaborators.ownerOnly"))
        }
        guard let email = EmailAddress(request.formValue("email")) else {
            return try await overviewPage(request, loaded, status: .badRequest, message: context("account.error.email"))
        }
        let now = request.application.clock.now()
        try await request.rateLimiter.hit(RateLimits.accountMailPerAccount, key: String(signedIn.accountID))
        let mails = SubmissionMails(settings: request.application.siteSettings)
        try await request.db.transaction { database in
            let sql = try database.sql
            let token = try await SubmissionStore(sql: sql, now: now).invite(loaded.submission.id, email: email)
            try await Outbox.enqueue(mails.invitation(to: email.value, from: signedIn.name, submission: loaded.submission, call: loaded.call,
                                                      token: token), at: now, on: sql)
        }
        return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id, query: [("done", "invited")]), redirectType: .normal)
    }

    /// The owner takes someone off the entry, or withdraws an invitation not yet accepted.
    func removeCollaborator(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await load(request)
        guard let signedIn = request.signedIn, signedIn.accountID == loaded.submission.ownerID else {
            throw Abort(.forbidden, reason: context("submission.collaborators.ownerOnly"))
        }
        guard let email = EmailAddress(request.formValue("email")),
              try await SubmissionStore(sql: try request.sql, now: request.application.clock.now())
                .removeCollaborator(loaded.submission.id, emailKey: email.lookupKey)
        else {
            return try await overviewPage(request, loaded, status: .badRequest, message: context("submission.collaborator.notFound"))
        }
        try await request.audit(.collaboratorRemoved, target: AuditEntry.Target(type: "submission", id: String(loaded.submission.id),
                                                                            label: loaded.submission.title),
                                after: ["email": email.lookupKey])
        return request.redirect(to: SiteURL.Routes.submission.path(loaded.submission.id, query: [("done", "collaboratorRemoved")]), redirectType: .normal)
    }

    func invitationForm(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let token = (try? request.query.get(String.self, at: "token")) ?? ""
        return AccountViews.message(context, title: context("submission.invitation.title"), text: context("submission.invitation.text"),
                                    confirm: (SiteURL.Routes.invitationAccept.path, token, request.csrfToken, context("submission.invitation.accept")))
    }

    func acceptInvitation(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        guard let email = EmailAddress(signedIn.email) else { throw Abort(.forbidden) }
        switch try await SubmissionStore(sql: try request.sql, now: request.application.clock.now())
            .accept(token: request.formValue("token"), accountID: signedIn.accountID, email: email) {
        case .accepted(let id):
            return request.redirect(to: SiteURL.Routes.submission.path(id), redirectType: .normal)
        case .otherAddress:
            return AccountViews.message(context, title: context("submission.invitation.title"),
                                        text: context("submission.invitation.otherAddress", ["email": email.value]))
                .htmlResponse(status: .forbidden)
        case .invalid:
            return AccountViews.message(context, title: context("account.link.expiredTitle"), text: context("submission.invitation.expired"))
                .htmlResponse(status: .gone)
        }
    }
}
