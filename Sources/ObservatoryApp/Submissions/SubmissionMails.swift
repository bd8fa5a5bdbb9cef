import Foundation
import ObservatoryCore

/// Mails about entries: the receipt with a copy of the answers, invitations, status changes.
struct SubmissionMails {
    private let composer: MailComposer

    init(settings: SiteSettings) { composer = MailComposer(settings: settings) }

    private var localizer: Localizer { composer.localizer }

    private func fill(_ key: String, _ values: [String: String]) -> String { composer.text(key, values) }

    private func mail(to recipient: String, kind: String, _ key: String, _ values: [String: String], appendix: String = "") -> OutgoingMail {
        composer.mail(to: recipient, kind: kind, key, values, appendix: appendix)
    }

    private func link(_ path: String) -> String { composer.link(path) }

    /// Every visible question and its answer, section by section.
    static func copy(of submission: SubmissionRecord, view: QuestionnaireView, rules: QuestionnaireRules) -> String {
        var lines: [String] = []
        for section in view.questionnaire.sections {
            lines.append("")
            lines.append("== \(view.text(section.title)) ==")
            for field in section.fields where field.kind != .guidance && field.kind != .file && rules.isVisible(field, in: submission.answers) {
                let answer = view.plain(field, submission.answers[field.id])
                lines.append("")
                lines.append(view.text(field.label))
                lines.append(answer.isEmpty ? "—" : answer)
            }
        }
        return lines.joined(separator: "\n")
    }

    func receipt(to recipient: String, submission: SubmissionRecord, call: CallInfo, view: QuestionnaireView, rules: QuestionnaireRules) -> OutgoingMail {
        mail(to: recipient, kind: "submission-receipt", "receipt",
             ["title": submission.title, "call": call.title, "link": link(SiteURL.Routes.submission.path(submission.id))],
             appendix: "\n" + Self.copy(of: submission, view: view, rules: rules))
    }

    func invitation(to recipient: String, from inviter: String, submission: SubmissionRecord, call: CallInfo, token: String) -> OutgoingMail {
        mail(to: recipient, kind: "collaborator-invitation", "invitation",
             ["inviter": inviter, "title": submission.title, "call": call.title,
              "link": link(SiteURL.Routes.invitationAccept.path(query: [("token", token)]))])
    }

    func statusChanged(to recipient: String, submission: SubmissionRecord, status: SubmissionStatus, message: String?, publishedURL: String?) -> OutgoingMail {
        var values = ["title": submission.title, "status": localizer(L10nKey(status.nameKey)), "link": link(SiteURL.Routes.submission.path(submission.id))]
        values["message"] = message.map { "\n\n\($0)" } ?? ""
        values["published"] = publishedURL.map { "\n\n" + fill("mail.statusChanged.published", ["url": $0]) } ?? ""
        return mail(to: recipient, kind: "submission-status", "statusChanged", values)
    }

    func digest(to recipient: String, waiting: [(title: String, status: SubmissionStatus, id: Int64)]) -> OutgoingMail {
        let list = waiting.map { "- \($0.title) (\(localizer(L10nKey($0.status.nameKey)))): \(link(SiteURL.Routes.reviewSubmission.path($0.id)))" }
            .joined(separator: "\n")
        return mail(to: recipient, kind: "editor-digest", "digest", ["count": String(waiting.count), "list": list])
    }
}
