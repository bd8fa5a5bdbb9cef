import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The bytes of attached files. Written to a temporary name, flushed and renamed, so a file
/// either exists whole or not at all.
struct AttachmentFiles {
    let directory: String
    let threadPool: NIOThreadPool

    init(_ application: Application) {
        directory = application.siteSettings.uploadsPath
        threadPool = application.threadPool
    }

    init(directory: String, threadPool: NIOThreadPool) {
        self.directory = directory
        self.threadPool = threadPool
    }

    func path(_ storageName: String) -> String { directory + "/" + storageName }

    func write(_ data: Data, as storageName: String) async throws {
        let directory = directory, target = path(storageName)
        try await threadPool.runIfActive {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = directory + "/.incoming-" + UUID().uuidString
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else { throw Abort(.internalServerError) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary, target) != 0 { throw Abort(.internalServerError, reason: "cannot store the file") }
        }
    }

    func read(_ storageName: String) async throws -> Data {
        let target = path(storageName)
        return try await threadPool.runIfActive { try Data(contentsOf: URL(fileURLWithPath: target)) }
    }

    func remove(_ storageNames: [String]) async throws {
        let paths = storageNames.map(path)
        try await threadPool.runIfActive {
            for path in paths where FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        }
    }
}

/// Uploading, removing and reading attached files; editors delete entries marked for deletion
/// for good, files included.
struct AttachmentPages: RouteCollection {
    /// The largest request a file upload may be (the largest file plus the form around it).
    static let maximumUploadRequest: ByteCount = "12mb"

    func boot(routes: any RoutesBuilder) throws {
        let contributors = routes.access(.contributor)
        contributors.post(SiteURL.Routes.submissionAttachments, body: .collect(maxSize: Self.maximumUploadRequest), use: upload)
        contributors.post(SiteURL.Routes.submissionAttachmentDelete, use: remove)
        routes.access(.everyone).get(SiteURL.Routes.attachmentFile, use: serve)
        routes.access(.editor).post(SiteURL.Routes.reviewDelete, use: purge)
    }

    struct Upload: Content {
        var field: String
        var file: File
    }

    func upload(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let loaded = try await SubmissionPages().load(request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        guard loaded.submission.status.isEditableBySubmitter else { throw Abort(.conflict, reason: context("submission.notEditable")) }
        guard let upload = try? request.content.decode(Upload.self) else {
            throw Abort(.badRequest, reason: context("attachment.problem.missing"))
        }
        guard let field = loaded.questionnaire.field(upload.field), field.kind == .file,
              let section = loaded.questionnaire.sections.first(where: { $0.fields.contains { $0.id == field.id } })
        else { throw Abort(.badRequest, reason: context("attachment.problem.field")) }
        let data = Data(upload.file.data.readableBytesView)
        let sql = try request.sql
        let existing = try await AttachmentStore(sql: sql).list(submissionID: loaded.submission.id)
        let kind = AttachmentRules.kind(of: data)
        if let problem = AttachmentRules.problem(
            kind: kind, size: data.count, accepted: field.accept ?? [], maxBytes: field.maxBytes,
            filesInField: existing.filter { $0.fieldID == field.id }.count, maxFiles: field.max.map { Int(saturating: $0) },
            bytesInSubmission: Int(existing.reduce(0) { $0 + $1.size })) {
            let types = (field.accept ?? []).compactMap { AttachmentRules.Kind(rawValue: $0)?.fileExtension.uppercased() }.joined(separator: ", ")
            let message = context(L10nKey(problem.messageKey), ["name": upload.file.filename, "types": types,
                                                                 "max": ByteCountFormatter.string(fromByteCount: Int64(field.maxBytes ?? 0), countStyle: .file),
                                                                 "count": String(Int(saturating: field.max ?? 0))])
            return try await SubmissionPages().sectionPage(request, loaded, section, values: loaded.submission.answers, problems: [:],
                                                           revision: loaded.submission.revisions[section.id] ?? 0, status: .badRequest, message: message)
        }
        guard let kind else { throw Abort(.badRequest) }
        let storageName = SecretToken.generate() + "." + kind.fileExtension
        try await AttachmentFiles(request.application).write(data, as: storageName)
        try await AttachmentStore(sql: sql).insert(
            submissionID: loaded.submission.id, fieldID: field.id, fileName: AttachmentRules.sanitizedName(upload.file.filename, kind: kind),
            kind: kind, size: data.count, storageName: storageName, uploadedBy: signedIn.accountID, now: request.application.clock.now())
        return request.redirect(to: SiteURL.Routes.submissionSection.path(loaded.submission.id, section.id) + "#files-\(field.id)", redirectType: .normal)
    }

    func remove(_ request: Request) async throws -> Response {
        let loaded = try await SubmissionPages().load(request)
        guard loaded.submission.status.isEditableBySubmitter else {
            throw Abort(.conflict, reason: PageContext(request: request)("submission.notEditable"))
        }
        let store = AttachmentStore(sql: try request.sql)
        guard let id = request.parameters.get("attachment", as: Int64.self), let attachment = try await store.find(id: id),
              attachment.submissionID == loaded.submission.id
        else { throw Abort(.notFound) }
        try await store.delete(id: id)
        try await AttachmentFiles(request.application).remove([attachment.storageName])
        let section = loaded.questionnaire.sections.first { $0.fields.contains { $0.id == attachment.fieldID } }?.id ?? loaded.questionnaire.sections[0].id
        return request.redirect(to: SiteURL.Routes.submissionSection.path(loaded.submission.id, section) + "#files-\(attachment.fieldID)", redirectType: .normal)
    }

    /// A file, at its unguessable address: to everyone once its entry is published, if its
    /// question publishes files; otherwise only to the people who work on the entry and to
    /// editors. To anyone else it does not exist.
    func serve(_ request: Request) async throws -> Response {
        let sql = try request.sql
        guard let key = request.parameters.get("key"), key.utf8.count <= 64,
              let attachment = try await AttachmentStore(sql: sql).find(addressKey: key),
              let submission = try await SubmissionStore(sql: sql, now: 0).find(id: attachment.submissionID)
        else { throw Abort(.notFound) }
        var isPublic = false
        if submission.status == .published {
            let questionnaire = try await request.application.questionnaires.questionnaire(
                key: submission.questionnaireKey, version: submission.questionnaireVersion, on: sql)
            isPublic = questionnaire.field(attachment.fieldID)?.publicFiles == true
        }
        var allowed = isPublic
        if !allowed, let signedIn = request.signedIn {
            if AccessLevel.editor.decide(for: signedIn.standing) == .allowed {
                allowed = true
            } else if AccessLevel.contributor.decide(for: signedIn.standing) == .allowed {
                allowed = try await SubmissionStore(sql: sql, now: 0).mayEdit(submission, accountID: signedIn.accountID)
            }
        }
        guard allowed else { throw Abort(.notFound) }
        let data = try await AttachmentFiles(request.application).read(attachment.storageName)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: attachment.mediaType)
        let disposition = attachment.mediaType == AttachmentRules.Kind.pdf.rawValue ? "attachment" : "inline"
        headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(attachment.fileName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: isPublic ? "public, max-age=3600" : "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    /// Deletes an entry marked for deletion, with its history and files.
    func purge(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let sql = try request.sql
        guard let submission = try await SubmissionStore(sql: sql, now: 0).find(id: id) else { throw Abort(.notFound) }
        guard submission.status == .pendingDeletion else { throw Abort(.conflict, reason: context("submission.notMarkedForDeletion")) }
        let files = try await AttachmentStore(sql: sql).list(submissionID: id).map(\.storageName)
        try await request.db.transaction { database in
            let sql = try database.sql
            try await SubmissionStore(sql: sql, now: 0).delete(id)
            try await request.audit(.entryDeleted, target: AuditEntry.Target(type: "submission", id: String(id), label: submission.title),
                                    before: ["status": submission.status.rawValue], on: sql)
        }
        try await AttachmentFiles(request.application).remove(files)
        return request.redirect(to: SiteURL.Routes.reviewQueue.path, redirectType: .normal)
    }
}
