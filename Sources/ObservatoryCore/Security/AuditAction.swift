/// What the audit log records: security and editorial actions.
public enum AuditAction: String, CaseIterable, Sendable {
    case signInSucceeded = "sign_in.succeeded"
    case signInFailed = "sign_in.failed"
    case signedOut = "sign_out"
    case registered = "account.registered"
    case emailVerified = "account.email_verified"
    case passwordChanged = "account.password_changed"
    case passwordReset = "account.password_reset"
    case emailChanged = "account.email_changed"
    case accountApproved = "account.approved"
    case accountRejected = "account.rejected"
    case accountSuspended = "account.suspended"
    case accountReactivated = "account.reactivated"
    case roleChanged = "account.role_changed"
    case adminCreated = "account.admin_created"
    case settingChanged = "setting.changed"
    case entryPublished = "submission.published"
    case entryRejected = "submission.rejected"
    case entryMarkedForDeletion = "submission.marked_for_deletion"
    case entryDeleted = "submission.deleted"
    case collaboratorRemoved = "submission.collaborator_removed"
    case callExtended = "call.extended"
    case callCreated = "call.created"
    case apiTokenCreated = "api_token.created"
    case apiTokenRevoked = "api_token.revoked"
    case termChanged = "term.changed"
    case newsletterSent = "newsletter.sent"
    /// The first request over a rate limit in its window (later ones are not logged again).
    case rateLimited = "rate_limited"

    public var nameKey: String { "audit.action.\(rawValue)" }
}
