import Foundation
import ObservatoryCore
import SQLKit

/// A file attached to an entry.
struct AttachmentRecord: Decodable, Sendable {
    let id: Int64
    let submissionID: Int64
    let fieldID: String
    let fileName: String
    let mediaType: String
    let size: Int64
    let storageName: String
    /// The unguessable part of the file's address (`/attachments/<key>/<name>`).
    let addressKey: String

    static let columns = ["id", "submission_id", "field_id", "file_name", "media_type", "size", "storage_name", "address_key"]

    var path: String { SiteURL.Routes.attachmentFile.path(addressKey, fileName) }
}

/// Attached files: rows in the database, bytes in the uploads directory under random names.
struct AttachmentStore {
    let sql: any SQLDatabase

    func list(submissionID: Int64) async throws -> [AttachmentRecord] {
        try await sql.select().columns(AttachmentRecord.columns).from("attachments").where("submission_id", .equal, submissionID)
            .orderBy(SQLColumn("id"), SQLDirection.ascending).all(as: AttachmentRecord.self)
    }

    func find(addressKey: String) async throws -> AttachmentRecord? {
        try await sql.select().columns(AttachmentRecord.columns).from("attachments").where("address_key", .equal, addressKey)
            .first(as: AttachmentRecord.self)
    }

    func find(id: Int64) async throws -> AttachmentRecord? {
        try await sql.select().columns(AttachmentRecord.columns).from("attachments").where("id", .equal, id).first(as: AttachmentRecord.self)
    }

    func insert(submissionID: Int64, fieldID: String, fileName: String, kind: AttachmentRules.Kind, size: Int, storageName: String,
                uploadedBy: Int64, now: Int64) async throws {
        try await sql.insert(into: "attachments")
            .columns("submission_id", "field_id", "file_name", "media_type", "size", "storage_name", "uploaded_by", "created_at", "address_key")
            .values(SQLBind(submissionID), SQLBind(fieldID), SQLBind(fileName), SQLBind(kind.rawValue), SQLBind(Int64(size)),
                    SQLBind(storageName), SQLBind(uploadedBy), SQLBind(now), SQLBind(SecretToken.generate()))
            .run()
    }

    func delete(id: Int64) async throws {
        try await sql.delete(from: "attachments").where("id", .equal, id).run()
    }
}
