import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// The media library: uploads checked by content, images described, usage shown, deletion
/// refused while a file is used.
@Suite("Media library")
struct MediaTests {
    /// A PNG header of the given size (enough for the checks and the dimensions).
    static func png(width: Int, height: Int) -> [UInt8] {
        func big32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + big32(width) + big32(height)
            + [8, 6, 0, 0, 0] + Array(repeating: 1, count: 100)
    }

    static func upload(_ browser: Browser, name: String, bytes: [UInt8], alt: String) async throws -> TestingHTTPResponse {
        try await browser.upload("/admin/media", action: "/admin/media", fields: ["alt": alt], file: name, bytes: bytes)
    }

    @Test func dimensionsAreReadFromImageHeaders() {
        #expect(MediaRules.dimensions(of: Self.png(width: 1600, height: 900))! == (1600, 900))
        // JPEG: SOI, an APP0 segment, then a baseline start of frame (height 480, width 640).
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array(repeating: 0, count: 14)
            + [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03] + Array(repeating: 0, count: 20)
        #expect(MediaRules.dimensions(of: jpeg)! == (640, 480))
        #expect(MediaRules.dimensions(of: Array("%PDF-1.7".utf8)) == nil)
        #expect(MediaRules.problem(kind: .png, size: 10, alt: " ") == .altMissing)
        #expect(MediaRules.problem(kind: .pdf, size: 10, alt: "") == nil)
        #expect(MediaRules.problem(kind: nil, size: 10, alt: "x") == .notAccepted)
    }

    @Test(arguments: TestDatabase.allCases)
    func filesAreDescribedReusedAndNotDeletedWhileUsed(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("media-\(UUID().uuidString)").path
            app.siteSettings.uploadsDirectory = uploads
            defer { try? FileManager.default.removeItem(atPath: uploads) }
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))

            let undescribed = try await Self.upload(editor, name: "clinic.png", bytes: Self.png(width: 1600, height: 900), alt: " ")
            #expect(undescribed.status == .badRequest && undescribed.body.string.contains("Describe the image for people who cannot see it."))
            let disguised = try await Self.upload(editor, name: "photo.png", bytes: Array("MZ not an image".utf8), alt: "A photo")
            #expect(disguised.status == .badRequest && disguised.body.string.contains("is not a JPEG, PNG or WebP image or a PDF document"))

            let uploaded = try await Self.upload(editor, name: "Mobile clinic (Nairobi).png", bytes: Self.png(width: 1600, height: 900),
                                                 alt: "A nurse in a van parked at a village school")
            #expect(uploaded.status == .seeOther)
            let details = try #require(uploaded.headers.first(name: .location)).components(separatedBy: "?")[0]
            let page = try await editor.get(details).body.string
            #expect(page.contains("1600 × 900") && page.contains("Mobile-clinic-Nairobi.png"))
            let markdown = String(try #require(page.firstMatch(of: /value="(!\[[^"]*\]\(\/media\/[a-z0-9_-]+\.png\))"/)?.output.1)).htmlUnescaped
            #expect(markdown.hasPrefix("![A nurse in a van parked at a village school](/media/"))
            let path = String(markdown.split(separator: "(").last!.dropLast())
            let file = try await Browser(app).get(path)
            #expect(file.status == .ok && file.headers.contentType?.description == "image/png" && Array(file.body.readableBytesView.prefix(8)) == Array(Self.png(width: 1, height: 1).prefix(8)))

            // Used in a post: the post shows it at its size, the library says where it is used, and deleting is refused.
            try await app.importLines([importLine(type: "post", title: "Clinics on wheels", body: "Before the text.\n\n\(markdown)\n\nAfter.")])
            let post = try await Browser(app).get("/blog/clinics-on-wheels").body.string
            #expect(post.contains("<img src=\"\(path)\" alt=\"A nurse in a van parked at a village school\" width=\"1600\" height=\"900\" loading=\"lazy\" decoding=\"async\">"))
            #expect(try await editor.get(details).body.string.contains(">Clinics on wheels</a></li>"))
            let refused = try await editor.submit(details, action: details + "/delete", [:])
            #expect(refused.status == .conflict && refused.body.string.contains("This file is used in 1 places"))
            #expect(try await Browser(app).get(path).status == .ok)

            // Once the post no longer uses it, it can go, file included.
            let itemID = try await (app.db as! any SQLDatabase).select().column("id").from("items").first()!.decode(column: "id", as: Int64.self)
            #expect(try await EditorialTests.edit(editor, "/admin/content/\(itemID)", ["body": "The text, without the picture."]).status == .seeOther)
            #expect(try await editor.get(details).body.string.contains("Nothing uses this file."))
            #expect(try await editor.submit(details, action: details + "/delete", [:]).status == .seeOther)
            #expect(try await Browser(app).get(path).status == .notFound)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads + "/media").isEmpty)
        }
    }
}
