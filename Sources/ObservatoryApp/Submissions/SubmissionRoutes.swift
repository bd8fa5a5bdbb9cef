extension SiteURL.Routes {
    static let mySubmissions = Address0("/account/submissions")
    /// Starts an entry to a call.
    static let callSubmissionStart = Address1<String>("/calls/:slug/submissions")
    static let submission = Address1<Int64>("/submissions/:id")
    static let submissionSection = Address2<Int64, String>("/submissions/:id/sections/:section")
    static let submissionSubmit = submission.appending("submit")
    static let submissionWithdraw = submission.appending("withdraw")
    static let submissionCollaborators = submission.appending("collaborators")
    static let submissionCollaboratorsRemove = submissionCollaborators.appending("remove")
    static let invitationAccept = Address0("/submissions/invitations/accept")
    static let submissionAttachments = submission.appending("attachments")
    static let submissionAttachmentDelete = Address2<Int64, Int64>("/submissions/:id/attachments/:attachment/delete")
    /// A file attached to an entry, by its address key and name.
    static let attachmentFile = Address2<String, String>("/attachments/:key/:name")
    static let reviewQueue = Address0("/admin/submissions")
    static let reviewSubmission = Address1<Int64>("/admin/submissions/:id")
    static let reviewTransition = reviewSubmission.appending("transition")
    static let reviewNotes = reviewSubmission.appending("notes")
    static let reviewDelete = reviewSubmission.appending("delete")
}
