import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The write API: a contributor starts an entry to an open call, changes its answers and
/// submits it, with the same rules and deadline as the form (`SubmissionActions`). Reached
/// with a personal API token (`Authorization: Bearer`) or a signed-in browser session.
struct SubmissionsAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let contributors = routes.access(.contributor)
        contributors.get(SiteURL.Routes.apiSubmissions, use: list)
        contributors.post(SiteURL.Routes.apiCallSubmissions, use: create)
        contributors.get(SiteURL.Routes.apiSubmission, use: show)
        contributors.on(.PATCH, SiteURL.Routes.apiSubmission, use: update)
        contributors.post(SiteURL.Routes.apiSubmissionSubmit, use: submit)
    }

    struct EntryBody: Content {
        struct Problem: Content {
            let field: String
            let section: String
            let detail: String
        }

        let id: Int64
        let call: String
        let questionnaire: String
        let status: String
        let title: String
        let answers: Answers
        /// What must still be answered (or corrected) before the entry can be submitted.
        let missing: [Problem]
        let created_at: String
        let updated_at: String
        let submitted_at: String?
        let links: [String: String]
    }

    struct AnswersBody: Decodable {
        let answers: [String: AnswerInput]?
    }

    // MARK: Reading

    func list(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let sql = try request.sql
        let now = request.application.clock.now()
        var bodies: [EntryBody] = []
        for submission in try await SubmissionStore(sql: sql, now: now).list(forAccount: signedIn.accountID) {
            guard let call = try await CallStore(sql: sql, now: now).find(itemID: submission.callItemID) else { continue }
            let questionnaire = try await request.application.questionnaires.questionnaire(
                key: submission.questionnaireKey, version: submission.questionnaireVersion, on: sql)
            let loaded = SubmissionPages.Loaded(submission: submission, call: call, questionnaire: questionnaire,
                                                rules: try await request.rules(for: questionnaire))
            bodies.append(try await body(loaded, request))
        }
        return try APIResponse.json(bodies, request: request, isPrivate: true)
    }

    func show(_ request: Request) async throws -> Response {
        try APIResponse.json(try await body(try await SubmissionPages().load(request), request), request: request, isPrivate: true)
    }

    func body(_ loaded: SubmissionPages.Loaded, _ request: Request) async throws -> EntryBody {
        let context = PageContext(request: request)
        let submission = loaded.submission
        let files = try await AttachmentStore(sql: try request.sql).list(submissionID: submission.id)
        let problems = loaded.rules.problems(in: submission.answers, attachments: Dictionary(grouping: files, by: \.fieldID).mapValues(\.count))
        let utc = TimeZone(identifier: "UTC")!
        let base = context.settings.baseURL
        return EntryBody(
            id: submission.id, call: loaded.call.slug, questionnaire: "\(submission.questionnaireKey)@\(submission.questionnaireVersion)",
            status: submission.status.rawValue, title: submission.title, answers: submission.answers,
            missing: Self.problemList(problems, context), created_at: MomentFormatter.rfc3339(submission.createdAt, in: utc),
            updated_at: MomentFormatter.rfc3339(submission.updatedAt, in: utc),
            submitted_at: submission.submittedAt.map { MomentFormatter.rfc3339($0, in: utc) },
            links: ["self": base + SiteURL.Routes.apiSubmission.path(submission.id), "html": base + SiteURL.Routes.submission.path(submission.id),
                    "submit": base + SiteURL.Routes.apiSubmissionSubmit.path(submission.id)])
    }

    static func problemList(_ problems: [String: [String: AnswerProblem]], _ context: PageContext) -> [EntryBody.Problem] {
        problems.sorted { $0.key < $1.key }.flatMap { section, fields in
            fields.sorted { $0.key < $1.key }.map { EntryBody.Problem(field: $0.key, section: section, detail: context.message($0.value)) }
        }
    }

    // MARK: Writing

    /// The answers of a JSON body `{"answers": {...}}`, sorted into sections with the form's
    /// rules; a 400 or 422 problem when they cannot be read or kept.
    func answers(_ request: Request, _ questionnaire: Questionnaire, required: Bool) throws -> [String: Answers] {
        let context = PageContext(request: request)
        guard request.body.data != nil else {
            if required { throw APIProblem(.badRequest, detail: context("api.error.noBody")) }
            return [:]
        }
        guard request.headers.contentType?.type == "application", request.headers.contentType?.subType == "json" else {
            throw APIProblem(.unsupportedMediaType, detail: context("api.error.mediaType"))
        }
        let decoded: AnswersBody
        do {
            decoded = try request.content.decode(AnswersBody.self, using: JSONDecoder())
        } catch {
            throw APIProblem(.badRequest, detail: context("api.error.json"))
        }
        guard let inputs = decoded.answers else {
            if required { throw APIProblem(.badRequest, detail: context("api.error.noAnswers")) }
            return [:]
        }
        switch QuestionnaireInput.answers(inputs, questionnaire: questionnaire) {
        case .success(let bySection):
            return bySection
        case .failure(let failure):
            let errors = failure.problems.sorted { $0.key < $1.key }.map { field, problem in
                APIProblem.FieldError(field: field, section: nil, detail: context.message(problem))
            }
            throw APIProblem(.unprocessableEntity, detail: context("api.error.answers", ["count": String(errors.count)]), errors: errors)
        }
    }

    /// Checks answers with the questionnaire's rules as the form does: answers that cannot be
    /// kept (too long, not a number…) refuse the whole change; missing ones do not.
    func check(_ bySection: [String: Answers], over saved: Answers, _ rules: QuestionnaireRules, _ context: PageContext) throws {
        var merged = saved
        for answers in bySection.values { for (id, answer) in answers { merged[id] = answer } }
        var problems: [String: [String: AnswerProblem]] = [:]
        for sectionID in bySection.keys {
            guard let section = rules.questionnaire.section(sectionID) else { continue }
            let found = rules.problems(in: section, answers: merged).filter { !$0.value.isMissingAnswer }
            if !found.isEmpty { problems[sectionID] = found }
        }
        guard problems.isEmpty else {
            let errors = Self.problemList(problems, context).map { APIProblem.FieldError(field: $0.field, section: $0.section, detail: $0.detail) }
            throw APIProblem(.unprocessableEntity, detail: context("api.error.answers", ["count": String(errors.count)]), errors: errors)
        }
    }

    /// Saves the sections in one transaction: if someone saved one of them meanwhile, nothing
    /// is written and the client is told to read the entry again.
    func save(_ bySection: [String: Answers], to submission: SubmissionRecord, request: Request) async throws {
        guard !bySection.isEmpty else { return }
        let now = request.application.clock.now()
        let context = PageContext(request: request)
        try await request.db.transaction { database in
            let store = SubmissionStore(sql: try database.sql, now: now)
            var current = submission
            for (sectionID, answers) in bySection.sorted(by: { $0.key < $1.key }) {
                var merged = current.answers
                for (id, answer) in answers { merged[id] = answer }
                let outcome = try await store.saveSection(sectionID, of: current, answers: answers, baseRevision: current.revisions[sectionID] ?? 0,
                                                          title: SubmissionActions.title(for: merged, default: current.title))
                guard case .saved = outcome, let reread = try await store.find(id: submission.id) else {
                    throw APIProblem(.conflict, detail: context("api.error.changedMeanwhile"))
                }
                current = reread
            }
        }
    }

    func create(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let sql = try request.sql
        guard let slug = request.parameters.get("slug"), let call = try await CallStore(sql: sql, now: context.now).find(slug: slug) else {
            throw APIProblem(.notFound, detail: context("api.error.call"))
        }
        guard call.schedule.phase(at: context.now) == .open else {
            throw APIProblem(.forbidden, detail: context("submission.callNotOpen"), deadline: Self.deadline(call))
        }
        let questionnaire = try await request.application.questionnaires.questionnaire(key: call.questionnaireKey, version: call.questionnaireVersion, on: sql)
        let bySection = try answers(request, questionnaire, required: false)
        let rules = try await request.rules(for: questionnaire)
        // Checked before the entry exists, so refused answers leave nothing behind.
        try check(bySection, over: [:], rules, context)
        guard case .started(let id, _) = try await SubmissionActions.start(call, by: signedIn, request: request),
              let created = try await SubmissionStore(sql: sql, now: context.now).find(id: id)
        else { throw APIProblem(.forbidden, detail: context("submission.callNotOpen"), deadline: Self.deadline(call)) }
        try await save(bySection, to: created, request: request)
        guard let saved = try await SubmissionStore(sql: sql, now: context.now).find(id: id) else { throw Abort(.internalServerError) }
        let loaded = SubmissionPages.Loaded(submission: saved, call: call, questionnaire: questionnaire, rules: rules)
        let response = try APIResponse.json(try await body(loaded, request), request: request, status: .created, isPrivate: true)
        response.headers.replaceOrAdd(name: .location, value: context.settings.baseURL + SiteURL.Routes.apiSubmission.path(id))
        return response
    }

    func update(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await SubmissionPages().load(request)
        guard loaded.submission.status.isEditableBySubmitter else {
            throw APIProblem(.conflict, detail: context("submission.notEditable"))
        }
        if let expected = request.headers.first(name: .ifMatch) {
            let current = try APIResponse.etag(of: try await body(loaded, request))
            let tags = expected.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard tags.contains(current) || tags.contains("*") else {
                throw APIProblem(.preconditionFailed, detail: context("api.error.ifMatch"))
            }
        }
        let bySection = try answers(request, loaded.questionnaire, required: true)
        try check(bySection, over: loaded.submission.answers, loaded.rules, context)
        try await save(bySection, to: loaded.submission, request: request)
        return try await show(request)
    }

    func submit(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await SubmissionPages().load(request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        switch try await SubmissionActions.submit(loaded, by: signedIn, request: request) {
        case .late(let deadline):
            throw APIProblem(.forbidden, detail: context("submission.late", ["deadline": context.formatter.dateTime(deadline, in: loaded.call.timeZone)]),
                             deadline: Self.deadline(loaded.call))
        case .incomplete(let problems):
            let errors = Self.problemList(problems, context).map { APIProblem.FieldError(field: $0.field, section: $0.section, detail: $0.detail) }
            throw APIProblem(.unprocessableEntity, detail: context("submission.incomplete", ["count": String(errors.count)]), errors: errors)
        case .notSubmittable:
            throw APIProblem(.conflict, detail: context("submission.notEditable"))
        case .submitted:
            return try await show(request)
        }
    }

    static func deadline(_ call: CallInfo) -> String {
        MomentFormatter.rfc3339(call.schedule.closesAt, in: call.timeZone)
    }
}

/// An API error with the members of RFC 9457 problem details this API adds: the problems of
/// each field, and the deadline when it passed.
struct APIProblem: AbortError {
    struct FieldError: Encodable, Sendable {
        let field: String
        let section: String?
        let detail: String
    }

    let status: HTTPResponseStatus
    let detail: String
    var errors: [FieldError]? = nil
    var deadline: String? = nil

    init(_ status: HTTPResponseStatus, detail: String, errors: [FieldError]? = nil, deadline: String? = nil) {
        self.status = status
        self.detail = detail
        self.errors = errors
        self.deadline = deadline
    }

    var reason: String { detail }
}
