import Foundation
import ObservatoryCore
import SQLKit

/// One entry to a call.
struct SubmissionRecord: Sendable {
    let id: Int64
    let callItemID: Int64
    let questionnaireKey: String
    let questionnaireVersion: Int
    let ownerID: Int64
    let status: SubmissionStatus
    let title: String
    let answers: Answers
    /// Revision of each section (0 when never saved).
    let revisions: [String: Int]
    let createdAt: Int64
    let updatedAt: Int64
    let submittedAt: Int64?
    let publishedItemID: Int64?

    static let columns = ["id", "call_item_id", "questionnaire_key", "questionnaire_version", "owner_id", "status", "title", "answers",
                          "revisions", "created_at", "updated_at", "submitted_at", "published_item_id"]

    /// A row of `columns` as stored: the status as its raw value, answers and revisions as JSON text.
    fileprivate struct Row: Decodable, Sendable {
        let id: Int64
        let callItemID: Int64
        let questionnaireKey: String
        let questionnaireVersion: Int
        let ownerID: Int64
        let status: String
        let title: String
        let answers: String
        let revisions: String
        let createdAt: Int64
        let updatedAt: Int64
        let submittedAt: Int64?
        let publishedItemID: Int64?
    }

    fileprivate init(row: Row) {
        id = row.id
        callItemID = row.callItemID
        questionnaireKey = row.questionnaireKey
        questionnaireVersion = row.questionnaireVersion
        ownerID = row.ownerID
        status = SubmissionStatus(rawValue: row.status) ?? .draft
        title = row.title
        answers = AnswersCoding.decode(row.answers)
        revisions = (try? JSONDecoder().decode([String: Int].self, from: Data(row.revisions.utf8))) ?? [:]
        createdAt = row.createdAt
        updatedAt = row.updatedAt
        submittedAt = row.submittedAt
        publishedItemID = row.publishedItemID
    }
}

/// A visible event in an entry's history.
struct SubmissionEvent: Sendable {
    let at: Int64
    let actor: String
    let action: String
    let from: SubmissionStatus?
    let to: SubmissionStatus?
    let message: String?
    let isInternal: Bool
}

extension SubmissionEvent {
    /// A row of `submission_events` with the statuses as raw values; `internal` is a Swift
    /// keyword, so the column is read as `is_internal`.
    fileprivate struct Row: Decodable, Sendable {
        let at: Int64
        let actorLabel: String
        let action: String
        let fromStatus: String?
        let toStatus: String?
        let message: String?
        let isInternal: Bool
    }

    fileprivate init(row: Row) {
        self.init(at: row.at, actor: row.actorLabel, action: row.action, from: row.fromStatus.flatMap(SubmissionStatus.init(rawValue:)),
                  to: row.toStatus.flatMap(SubmissionStatus.init(rawValue:)), message: row.message, isInternal: row.isInternal)
    }
}

struct SubmissionStore {
    let sql: any SQLDatabase
    let now: Int64

    func find(id: Int64) async throws -> SubmissionRecord? {
        try await sql.select().columns(SubmissionRecord.columns).from("submissions").where("id", .equal, id)
            .first(as: SubmissionRecord.Row.self).map(SubmissionRecord.init(row:))
    }

    func create(call: CallInfo, ownerID: Int64, title: String) async throws -> Int64 {
        guard let id = try await sql.insert(into: "submissions")
            .columns("call_item_id", "questionnaire_key", "questionnaire_version", "owner_id", "status", "title", "answers", "revisions",
                     "created_at", "updated_at")
            .values(SQLBind(call.itemID), SQLBind(call.questionnaireKey), SQLBind(call.questionnaireVersion), SQLBind(ownerID),
                    SQLBind(SubmissionStatus.draft.rawValue), SQLBind(title), SQLBind("{}"), SQLBind("{}"), SQLBind(now), SQLBind(now))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        else { throw SubmissionStoreError.notCreated }
        return id
    }

    enum SaveOutcome: Sendable {
        case saved(revision: Int)
        /// Someone saved the section since the form was opened: nothing was written.
        case conflict(current: SubmissionRecord)
    }

    /// Saves one section's answers if the section is still at `baseRevision`. The check and
    /// the write are one conditional update, so of two concurrent saves exactly one wins.
    func saveSection(_ sectionID: String, of submission: SubmissionRecord, answers sectionAnswers: Answers, baseRevision: Int,
                     title: String) async throws -> SaveOutcome {
        var answers = submission.answers
        for (id, answer) in sectionAnswers { answers[id] = answer }
        var revisions = submission.revisions
        guard (revisions[sectionID] ?? 0) == baseRevision else {
            return .conflict(current: submission)
        }
        revisions[sectionID] = baseRevision + 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let oldRevisions = String(decoding: try encoder.encode(submission.revisions), as: UTF8.self)
        let newRevisions = String(decoding: try encoder.encode(revisions), as: UTF8.self)
        let updated = try await sql.raw("""
            UPDATE submissions SET answers = \(bind: AnswersCoding.encode(answers)), revisions = \(bind: newRevisions), \
            title = \(bind: title), updated_at = \(bind: now) \
            WHERE id = \(bind: submission.id) AND revisions = \(bind: oldRevisions) RETURNING id
            """).first()
        guard updated != nil else {
            // Another section or the same one changed in between: read again and decide.
            guard let current = try await find(id: submission.id) else { throw SubmissionStoreError.notFound }
            if (current.revisions[sectionID] ?? 0) != baseRevision { return .conflict(current: current) }
            return try await saveSection(sectionID, of: current, answers: sectionAnswers, baseRevision: baseRevision, title: title)
        }
        return .saved(revision: baseRevision + 1)
    }

    /// Moves an entry to `status` and records the event.
    func transition(_ submission: SubmissionRecord, action: SubmissionAction, to status: SubmissionStatus, actorID: Int64?,
                    actorLabel: String, message: String?) async throws {
        var update = sql.update("submissions").set("status", to: status.rawValue).set("updated_at", to: now)
            .where("id", .equal, submission.id).where("status", .equal, submission.status.rawValue)
        if action == .submit { update = update.set("submitted_at", to: now) }
        try await update.run()
        try await record(submission.id, action: action.rawValue, from: submission.status, to: status, actorID: actorID,
                         actorLabel: actorLabel, message: message, isInternal: false)
    }

    func record(_ submissionID: Int64, action: String, from: SubmissionStatus?, to: SubmissionStatus?, actorID: Int64?, actorLabel: String,
                message: String?, isInternal: Bool) async throws {
        try await sql.insert(into: "submission_events")
            .columns("submission_id", "at", "actor_id", "actor_label", "action", "from_status", "to_status", "message", "internal")
            .values(SQLBind(submissionID), SQLBind(now), SQLBind(actorID), SQLBind(actorLabel), SQLBind(action),
                    SQLBind(from?.rawValue), SQLBind(to?.rawValue), SQLBind(message), SQLBind(isInternal))
            .run()
    }

    func events(of submissionID: Int64, includingInternal: Bool) async throws -> [SubmissionEvent] {
        var query = sql.select().columns("at", "actor_label", "action", "from_status", "to_status", "message").column("internal", as: "is_internal")
            .from("submission_events").where("submission_id", .equal, submissionID)
        if !includingInternal { query = query.where("internal", .equal, false) }
        return try await query.orderBy(SQLColumn("id"), SQLDirection.ascending).all(as: SubmissionEvent.Row.self).map(SubmissionEvent.init(row:))
    }

    /// Whether the account owns the entry or accepted an invitation to it.
    func mayEdit(_ submission: SubmissionRecord, accountID: Int64) async throws -> Bool {
        if submission.ownerID == accountID { return true }
        return try await sql.select().column("submission_id").from("submission_collaborators")
            .where("submission_id", .equal, submission.id).where("account_id", .equal, accountID)
            .where(SQLColumn("accepted_at"), .isNot, SQLLiteral.null).first() != nil
    }

    /// The entries an account owns or collaborates on, newest first.
    func list(forAccount accountID: Int64) async throws -> [SubmissionRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: SubmissionRecord.columns.map { "s." + $0 }.joined(separator: ", ")) FROM submissions s \
            WHERE s.owner_id = \(bind: accountID) OR s.id IN (SELECT submission_id FROM submission_collaborators \
            WHERE account_id = \(bind: accountID) AND accepted_at IS NOT NULL) ORDER BY s.updated_at DESC, s.id DESC
            """).all(as: SubmissionRecord.Row.self).map(SubmissionRecord.init(row:))
    }

    /// Entries waiting for editors and the rest, optionally of one call and status.
    func queue(callItemID: Int64?, status: SubmissionStatus?) async throws -> [SubmissionRecord] {
        var query = sql.select().columns(SubmissionRecord.columns).from("submissions")
            .where("status", .notEqual, SubmissionStatus.draft.rawValue)
        if let callItemID { query = query.where("call_item_id", .equal, callItemID) }
        if let status { query = query.where("status", .equal, status.rawValue) }
        return try await query.orderBy(SQLColumn("updated_at"), SQLDirection.descending).limit(500).all(as: SubmissionRecord.Row.self)
            .map(SubmissionRecord.init(row:))
    }

    /// Every entry of a call, drafts included, in the order they were started: for exports.
    func entries(ofCall callItemID: Int64) async throws -> [SubmissionRecord] {
        try await sql.select().columns(SubmissionRecord.columns).from("submissions").where("call_item_id", .equal, callItemID)
            .orderBy(SQLColumn("id"), SQLDirection.ascending).all(as: SubmissionRecord.Row.self).map(SubmissionRecord.init(row:))
    }

    private struct OwnerRow: Decodable, Sendable {
        let id: Int64
        let email: String
    }

    /// The address of each owner of `entries`, by account.
    func ownerEmails(of entries: [SubmissionRecord]) async throws -> [Int64: String] {
        // `IN ()` is a syntax error on PostgreSQL: without entries there are no owners to ask for.
        let ownerIDs = Array(Set(entries.map(\.ownerID)))
        guard !ownerIDs.isEmpty else { return [:] }
        var owners: [Int64: String] = [:]
        for owner in try await sql.select().columns("id", "email").from("accounts").where("id", .in, ownerIDs).all(as: OwnerRow.self) {
            owners[owner.id] = owner.email
        }
        return owners
    }

    private struct WaitingRow: Decodable, Sendable {
        let id: Int64
        let title: String
        let status: String
    }

    /// Entries submitted or in review, the longest waiting first: the editors' daily digest.
    func waitingForReview() async throws -> [(title: String, status: SubmissionStatus, id: Int64)] {
        try await sql.select().columns("id", "title", "status").from("submissions")
            .where("status", .in, [SubmissionStatus.submitted.rawValue, SubmissionStatus.inReview.rawValue])
            .orderBy(SQLColumn("submitted_at"), SQLDirection.ascending).all(as: WaitingRow.self)
            .map { (title: $0.title, status: SubmissionStatus(rawValue: $0.status) ?? .submitted, id: $0.id) }
    }

    private struct StatusCount: Decodable, Sendable {
        let status: String
        let n: Int
    }

    /// Entries per status (drafts included), optionally of one call.
    func counts(callItemID: Int64?) async throws -> [SubmissionStatus: Int] {
        var query = sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("submissions")
        if let callItemID { query = query.where("call_item_id", .equal, callItemID) }
        var counts: [SubmissionStatus: Int] = [:]
        for row in try await query.groupBy("status").all(as: StatusCount.self) {
            if let status = SubmissionStatus(rawValue: row.status) { counts[status] = row.n }
        }
        return counts
    }

    func setPublishedItem(_ submissionID: Int64, itemID: Int64) async throws {
        try await sql.update("submissions").set("published_item_id", to: itemID).where("id", .equal, submissionID).run()
    }

    /// Deletes an entry for good with its history, collaborators and the rows of its files
    /// (the files themselves are the caller's to remove).
    func delete(_ submissionID: Int64) async throws {
        for table in ["attachments", "submission_collaborators", "submission_events"] {
            try await sql.delete(from: table).where("submission_id", .equal, submissionID).run()
        }
        try await sql.delete(from: "submissions").where("id", .equal, submissionID).run()
    }

    // MARK: Collaborators

    func invite(_ submissionID: Int64, email: EmailAddress) async throws -> String {
        let token = SecretToken.generate()
        try await sql.raw("""
            INSERT INTO submission_collaborators (submission_id, email_key, token_hash, invited_at) \
            VALUES (\(bind: submissionID), \(bind: email.lookupKey), \(bind: SecretToken.hash(token)), \(bind: now)) \
            ON CONFLICT (submission_id, email_key) DO UPDATE SET token_hash = \(bind: SecretToken.hash(token)), invited_at = \(bind: now)
            """).run()
        return token
    }

    /// How long an invitation can be accepted: two weeks, then the owner sends a new one.
    static let invitationLifetime: Int64 = 14 * 86_400

    enum Acceptance: Equatable {
        case accepted(submissionID: Int64)
        /// The invitation was sent to another address than the signed-in account's.
        case otherAddress
        /// Unknown, used, withdrawn, replaced by a newer one, or older than two weeks.
        case invalid
    }

    private struct InvitationRow: Decodable, Sendable {
        let emailKey: String
        let invitedAt: Int64
    }

    /// Accepts an invitation for the signed-in account, which must be the invited address.
    func accept(token: String, accountID: Int64, email: EmailAddress) async throws -> Acceptance {
        let hash = SecretToken.hash(token)
        guard let invitation = try await sql.select().columns("email_key", "invited_at").from("submission_collaborators")
            .where("token_hash", .equal, hash).where(SQLColumn("accepted_at"), .is, SQLLiteral.null).first(as: InvitationRow.self),
            invitation.invitedAt > now - Self.invitationLifetime
        else { return .invalid }
        guard invitation.emailKey == email.lookupKey else { return .otherAddress }
        let accepted = try await sql.raw("""
            UPDATE submission_collaborators SET account_id = \(bind: accountID), accepted_at = \(bind: now) \
            WHERE token_hash = \(bind: hash) AND accepted_at IS NULL AND email_key = \(bind: email.lookupKey) RETURNING submission_id
            """).first(decodingColumn: "submission_id", as: Int64.self)
        return accepted.map { .accepted(submissionID: $0) } ?? .invalid
    }

    struct Collaborator: Sendable {
        let email: String
        /// The name of the account that accepted, once accepted.
        let acceptedBy: String?
        let invitedAt: Int64
        /// Not accepted within `invitationLifetime`.
        let expired: Bool
    }

    private struct CollaboratorRow: Decodable, Sendable {
        let emailKey: String
        let invitedAt: Int64
        let acceptedAt: Int64?
        let name: String?
    }

    func collaborators(of submissionID: Int64) async throws -> [Collaborator] {
        try await sql.raw("""
            SELECT c.email_key, c.invited_at, c.accepted_at, a.name FROM submission_collaborators c \
            LEFT JOIN accounts a ON a.id = c.account_id WHERE c.submission_id = \(bind: submissionID) ORDER BY c.invited_at, c.email_key
            """).all(as: CollaboratorRow.self).map { row in
                let accepted = row.acceptedAt != nil
                return Collaborator(email: row.emailKey, acceptedBy: accepted ? (row.name ?? "") : nil,
                                    invitedAt: row.invitedAt, expired: !accepted && row.invitedAt <= now - Self.invitationLifetime)
            }
    }

    /// Takes a collaborator (or a pending invitation) off an entry; whether there was one.
    func removeCollaborator(_ submissionID: Int64, emailKey: String) async throws -> Bool {
        try await sql.raw("""
            DELETE FROM submission_collaborators WHERE submission_id = \(bind: submissionID) AND email_key = \(bind: emailKey) RETURNING email_key
            """).first() != nil
    }
}

enum SubmissionStoreError: Error {
    case notCreated
    case notFound
}
