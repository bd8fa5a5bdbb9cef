import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// What the submission form and the API both do, written once: start an entry on an open
/// call, save answers with the questionnaire's rules, submit before the deadline.
enum SubmissionActions {
    enum StartOutcome {
        case started(id: Int64, questionnaire: Questionnaire)
        case callNotOpen
    }

    /// Opens a draft on a call, if the call takes entries now.
    static func start(_ call: CallInfo, by signedIn: SignedIn, request: Request) async throws -> StartOutcome {
        let now = request.application.clock.now()
        guard call.schedule.phase(at: now) == .open else { return .callNotOpen }
        let questionnaire = try await request.application.questionnaires.questionnaire(
            key: call.questionnaireKey, version: call.questionnaireVersion, on: try request.sql)
        let id: Int64 = try await request.db.transaction { database in
            let sql = try database.sql
            let store = SubmissionStore(sql: sql, now: now)
            let id = try await store.create(call: call, ownerID: signedIn.accountID, title: call.title)
            try await store.record(id, action: "created", from: nil, to: .draft, actorID: signedIn.accountID, actorLabel: signedIn.name,
                                   message: nil, isInternal: false)
            return id
        }
        return .started(id: id, questionnaire: questionnaire)
    }

    /// The entry's title: its "title" answer once there is one.
    static func title(for answers: Answers, default fallback: String) -> String {
        answers["title"]?.values.first.flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    enum SubmitOutcome {
        case submitted
        /// The deadline passed (or the call is not open yet): the entry stays as it was.
        case late(deadline: Int64)
        /// Answers are missing or wrong, by section and field.
        case incomplete([String: [String: AnswerProblem]])
        case notSubmittable
    }

    /// Submits an entry: checked against the deadline to the second in UTC and against every
    /// rule of the questionnaire; a receipt goes to the submitter (and the owner).
    static func submit(_ loaded: SubmissionPages.Loaded, by signedIn: SignedIn, request: Request) async throws -> SubmitOutcome {
        let now = request.application.clock.now()
        let call = loaded.call
        guard call.schedule.phase(at: now) == .open else { return .late(deadline: call.schedule.closesAt) }
        let files = try await AttachmentStore(sql: try request.sql).list(submissionID: loaded.submission.id)
        let problems = loaded.rules.problems(in: loaded.submission.answers, attachments: Dictionary(grouping: files, by: \.fieldID).mapValues(\.count))
        guard problems.isEmpty else { return .incomplete(problems) }
        guard let next = try? SubmissionWorkflow.next(from: loaded.submission.status, .submit, by: .submitter) else {
            return .notSubmittable
        }
        let context = PageContext(request: request)
        let view = try await SubmissionPages().questionnaireView(request, loaded.questionnaire, context)
        let mails = SubmissionMails(settings: request.application.siteSettings)
        let owner = try await AccountStore(sql: try request.sql, now: now).find(id: loaded.submission.ownerID)
        try await request.db.transaction { database in
            let sql = try database.sql
            try await SubmissionStore(sql: sql, now: now).transition(loaded.submission, action: .submit, to: next, actorID: signedIn.accountID,
                                                                     actorLabel: signedIn.name, message: nil)
            // "Would you like to receive our newsletter?": the same double opt-in as the form.
            if loaded.submission.answers["newsletter"] == .text("yes"), let email = EmailAddress(signedIn.email) {
                try await NewsletterPages.subscribe(email, source: "questionnaire", settings: request.application.siteSettings, now: now, on: sql)
            }
            var recipients = [signedIn.email]
            if let owner, owner.id != signedIn.accountID { recipients.append(owner.email) }
            for recipient in recipients {
                try await Outbox.enqueue(mails.receipt(to: recipient, submission: loaded.submission, call: call, view: view,
                                                       rules: loaded.rules), at: now, on: sql)
            }
        }
        return .submitted
    }
}
