import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

@Suite("Attached files")
struct AttachmentTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 200)
    static let pdf: [UInt8] = Array("%PDF-1.7\n% a small document\n".utf8) + Array(repeating: 32, count: 100)

    /// Uploads through the form of the section page, as a browser sends `multipart/form-data`.
    static func upload(_ browser: Browser, submission id: Int64, field: String, name: String, bytes: [UInt8]) async throws -> TestingHTTPResponse {
        try await browser.upload("/submissions/\(id)/sections/materials", action: "/submissions/\(id)/attachments", fields: ["field": field],
                                 file: name, bytes: bytes)
    }

    @Test(arguments: TestDatabase.allCases)
    func filesAreCheckedByContentStoredSafelyAndShownOnlyToThoseAllowed(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            let slug = try await SubmissionTests.openCall(editor, title: "Call with files", questionnaire: "case-study@1")
            let owner = try await app.browser(signedInAs: try await app.makeAccount("owner@example.org"))
            let id = try await SubmissionTests.startAndFill(owner, slug: slug, sections: [])

            // A text file called .pdf, a PNG called .pdf, a PDF called .jpg, an image too large.
            let fake = try await Self.upload(owner, submission: id, field: "supporting_files", name: "report.pdf", bytes: Array("just text".utf8))
            #expect(fake.status == .badRequest)
            #expect(fake.body.string.contains("The file report.pdf is not one of the accepted kinds (PDF); files are checked by their content"))
            #expect(try await Self.upload(owner, submission: id, field: "supporting_files", name: "scan.pdf", bytes: Self.png).status == .badRequest)
            #expect(try await Self.upload(owner, submission: id, field: "images", name: "photo.jpg", bytes: Self.pdf).status == .badRequest)
            let huge = try await Self.upload(owner, submission: id, field: "images", name: "big.png", bytes: Self.png + Array(repeating: 0, count: 5_000_001))
            #expect(huge.status == .badRequest)
            #expect(huge.body.string.contains("is larger than"))
            #expect(try await AttachmentStore(sql: app.db as! any SQLDatabase).list(submissionID: id).isEmpty)

            // A real PNG with a hostile name: stored under a random name, shown under a clean one.
            let stored = try await Self.upload(owner, submission: id, field: "images", name: "../../etc/Évora plan <v2>.png.exe", bytes: Self.png)
            #expect(stored.status == .seeOther)
            let files = try await AttachmentStore(sql: app.db as! any SQLDatabase).list(submissionID: id)
            #expect(files.count == 1)
            let file = try #require(files.first)
            #expect(file.fileName == "Évora-plan-v2-png.png")
            #expect(file.mediaType == "image/png" && file.size == Int64(Self.png.count))
            let path = app.siteSettings.uploadsPath + "/" + file.storageName
            #expect(FileManager.default.contents(atPath: path) == Data(Self.png))
            #expect(try FileManager.default.contentsOfDirectory(atPath: app.siteSettings.uploadsPath).filter { $0.hasPrefix(".incoming") }.isEmpty)
            #expect(try await owner.get("/submissions/\(id)/sections/materials").body.string.contains("Évora-plan-v2-png.png"))

            // Who may read it before publication.
            let url = file.path
            let mine = try await owner.get(url)
            #expect(mine.status == .ok && mine.headers.first(name: .contentType) == "image/png")
            #expect(mine.headers.first(name: .cacheControl) == "private, no-store")
            #expect(try await editor.get(url).status == .ok)
            #expect(try await Browser(app).get(url).status == .notFound)
            let stranger = try await app.browser(signedInAs: try await app.makeAccount("stranger@example.org"))
            #expect(try await stranger.get(url).status == .notFound)
            #expect(try await Self.upload(stranger, submission: id, field: "images", name: "x.png", bytes: Self.png).status == .forbidden)

            // Removing a file removes its bytes.
            let removed = try await owner.submit("/submissions/\(id)/sections/materials", action: "/submissions/\(id)/attachments/\(file.id)/delete", [:])
            #expect(removed.status == .seeOther)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try await owner.get(url).status == .notFound)

            // Deleting the entry for good deletes its files.
            #expect(try await Self.upload(owner, submission: id, field: "supporting_files", name: "report.pdf", bytes: Self.pdf).status == .seeOther)
            let report = try #require(try await AttachmentStore(sql: app.db as! any SQLDatabase).list(submissionID: id).first)
            #expect(report.fileName == "report.pdf" && report.mediaType == "application/pdf")
            let reportPath = app.siteSettings.uploadsPath + "/" + report.storageName
            #expect(try await editor.get(report.path).headers.first(name: .contentDisposition) == "attachment; filename=\"report.pdf\"")
            #expect(try await editor.post("/admin/submissions/\(id)/delete", ["csrf_token": try await editor.csrfToken()]).status == .conflict)
            _ = try await editor.post("/admin/submissions/\(id)/transition", ["csrf_token": try await editor.csrfToken(), "action": "mark_for_deletion"])
            #expect(try await SubmissionTests.status(app, id) == .pendingDeletion)
            #expect(try await editor.post("/admin/submissions/\(id)/delete", ["csrf_token": try await editor.csrfToken()]).status == .seeOther)
            #expect(!FileManager.default.fileExists(atPath: reportPath))
            #expect(try await SubmissionStore(sql: app.db as! any SQLDatabase, now: 0).find(id: id) == nil)
            #expect(try await app.auditActions().contains(AuditAction.entryDeleted.rawValue))
        }
    }

    @Test func fileNamesAndKinds() {
        #expect(AttachmentRules.kind(of: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(AttachmentRules.kind(of: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(AttachmentRules.kind(of: Array("<svg onload=alert(1)>".utf8)) == nil)
        #expect(AttachmentRules.sanitizedName("C:\\Users\\me\\plan final.PDF", kind: .pdf) == "plan-final.pdf")
        #expect(AttachmentRules.sanitizedName("...", kind: .png) == "file.png")
        #expect(AttachmentRules.sanitizedName("a\"; rm -rf /.jpg", kind: .jpeg) == "file.jpg" || AttachmentRules.sanitizedName("a\"; rm -rf /.jpg", kind: .jpeg).allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) })
        #expect(AttachmentRules.problem(kind: .png, size: 10, accepted: ["image/png"], maxBytes: 100, filesInField: 2, maxFiles: 2, bytesInSubmission: 0) == .tooMany)
        #expect(AttachmentRules.problem(kind: .png, size: 10, accepted: ["image/png"], maxBytes: 100, filesInField: 0, maxFiles: 2,
                                        bytesInSubmission: AttachmentRules.maximumFilesBytesPerSubmission - 5) == .submissionFull)
        #expect(AttachmentRules.problem(kind: .png, size: 0, accepted: ["image/png"], maxBytes: 100, filesInField: 0, maxFiles: 2, bytesInSubmission: 0) == .empty)
    }
}
