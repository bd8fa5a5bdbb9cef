import Foundation
import ObservatoryCore
import ObservatoryImages
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// The media library: uploads checked by content, images described, usage shown, deletion
/// refused while a file is used.
@Suite("Media library")
struct MediaTests {
    /// A PNG header of the given size (enough for the header checks, not for decoding).
    static func pngHeader(width: Int, height: Int) -> [UInt8] {
        func big32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        let header = Array("IHDR".utf8) + big32(width) + big32(height) + [8, 6, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + header + big32(Int(crc32(header)))
            + Array(repeating: 1, count: 100)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A picture with detail in it (gradients, stripes and grain), as any photograph has.
    static func picture(width: Int, height: Int, alpha: Bool = false) -> RasterImage {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let at = (y * width + x) * 4
                // Grain, as a sensor gives: an original compresses worse than its smaller copies.
                let grain = (x &* 7919 ^ y &* 104_729) >> 3 & 15
                pixels[at] = UInt8(min(255, x * 240 / max(width - 1, 1) + grain))
                pixels[at + 1] = UInt8(min(255, y * 240 / max(height - 1, 1) + grain))
                pixels[at + 2] = (x / 7 + y / 5) % 2 == 0 ? 40 : 200
                if alpha { pixels[at + 3] = UInt8((x + y) % 256) }
            }
        }
        return RasterImage(width: width, height: height, hasAlpha: alpha, pixels: pixels)
    }

    static func png(width: Int, height: Int) throws -> [UInt8] {
        try PNGEncoder.encode(picture(width: width, height: height, alpha: true))
    }

    static func jpeg(width: Int, height: Int) -> [UInt8] {
        JPEGEncoder.encode(picture(width: width, height: height), quality: 95)
    }

    static func upload(_ browser: Browser, name: String, bytes: [UInt8], alt: String) async throws -> TestingHTTPResponse {
        try await browser.upload("/admin/media", action: "/admin/media", fields: ["alt": alt], file: name, bytes: bytes)
    }

    @Test func dimensionsAreReadFromImageHeaders() {
        #expect(MediaRules.dimensions(of: Self.pngHeader(width: 1600, height: 900))! == (1600, 900))
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
            let uploads = app.siteSettings.uploadsPath
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))

            let undescribed = try await Self.upload(editor, name: "clinic.png", bytes: try Self.png(width: 1600, height: 900), alt: " ")
            #expect(undescribed.status == .badRequest && undescribed.body.string.contains("Describe the image for people who cannot see it."))
            let disguised = try await Self.upload(editor, name: "photo.png", bytes: Array("MZ not an image".utf8), alt: "A photo")
            #expect(disguised.status == .badRequest && disguised.body.string.contains("is not a JPEG, PNG or WebP image or a PDF document"))

            let uploaded = try await Self.upload(editor, name: "Mobile clinic (Nairobi).png", bytes: try Self.png(width: 1600, height: 900),
                                                 alt: "A nurse in a van parked at a village school")
            #expect(uploaded.status == .seeOther)
            let details = try #require(uploaded.headers.first(name: .location)).components(separatedBy: "?")[0]
            let page = try await editor.get(details).body.string
            #expect(page.contains("1600 × 900") && page.contains("Mobile-clinic-Nairobi.png"))
            let markdown = String(try #require(page.firstMatch(of: /value="(!\[[^"]*\]\(\/media\/[a-z0-9_-]+\.png\))"/)?.output.1)).htmlUnescaped
            #expect(markdown.hasPrefix("![A nurse in a van parked at a village school](/media/"))
            let path = String(markdown.split(separator: "(").last!.dropLast())
            let file = try await Browser(app).get(path)
            #expect(file.status == .ok && file.headers.contentType?.description == "image/png" && Array(file.body.readableBytesView.prefix(8)) == Array(Self.pngHeader(width: 1, height: 1).prefix(8)))

            // Used in a post: the post shows it at its size, the library says where it is used, and deleting is refused.
            try await app.importLines([importLine(type: "post", title: "Clinics on wheels", body: "Before the text.\n\n\(markdown)\n\nAfter.")])
            let post = try await Browser(app).get("/blog/clinics-on-wheels").body.string
            let copies = path.replacingOccurrences(of: ".png", with: "")
            #expect(post.contains("<img src=\"\(path)\" alt=\"A nurse in a van parked at a village school\" width=\"1600\" height=\"900\" loading=\"lazy\" decoding=\"async\" "
                + "srcset=\"\(copies)-480w.png 480w, \(copies)-960w.png 960w, \(path) 1600w\" sizes=\"(min-width: 46.5rem) 44rem, calc(100vw - 2.5rem)\">"))
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

    @Test(arguments: TestDatabase.allCases)
    func photographsGetSmallerCopiesThatPagesOffer(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))

            let original = Self.jpeg(width: 2400, height: 1500)
            let uploaded = try await Self.upload(editor, name: "harbour.jpg", bytes: original, alt: "Boats in the harbour at dawn")
            #expect(uploaded.status == .seeOther)
            let details = try #require(uploaded.headers.first(name: .location)).components(separatedBy: "?")[0]
            let page = try await editor.get(details).body.string
            let name = String(try #require(page.firstMatch(of: /\/media\/([a-z0-9_-]+)\.jpg/)?.output.1))
            #expect(page.contains("2400 × 1500"))
            #expect(page.contains("<a href=\"/media/\(name)-480w.jpg\">480 px wide</a>, <a href=\"/media/\(name)-960w.jpg\">960 px wide</a>, "
                + "<a href=\"/media/\(name)-1600w.jpg\">1600 px wide</a>"))

            // Each copy is a JPEG of its width, at the original's proportions, and far lighter.
            for (width, height) in [(480, 300), (960, 600), (1600, 1000)] {
                let copy = try await Browser(app).get("/media/\(name)-\(width)w.jpg")
                #expect(copy.status == .ok && copy.headers.contentType?.description == "image/jpeg")
                #expect(copy.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
                let bytes = Array(copy.body.readableBytesView)
                let decoded = try JPEGDecoder.decode(bytes, maximumPixels: 10_000_000)
                #expect(decoded.width == width && decoded.height == height)
                #expect(bytes.count * 2 < original.count, "\(width): \(bytes.count) of \(original.count) bytes")
                // The picture is the same: its corner colours survive the resizing.
                let last = (decoded.width * decoded.height - 1) * 4
                #expect(decoded.pixels[0] < 30 && decoded.pixels[last] > 225 && decoded.pixels[last + 1] > 225)
            }
            // Only copies that were made exist.
            #expect(try await Browser(app).get("/media/\(name)-1200w.jpg").status == .notFound)
            #expect(try await Browser(app).get("/media/\(name)-480w.png").status == .notFound)

            try await app.importLines([importLine(type: "post", title: "Harbour mornings", body: "![Boats in the harbour at dawn](/media/\(name).jpg)")])
            let post = try await Browser(app).get("/blog/harbour-mornings").body.string
            #expect(post.contains("width=\"2400\" height=\"1500\" loading=\"lazy\" decoding=\"async\" srcset=\"/media/\(name)-480w.jpg 480w, "
                + "/media/\(name)-960w.jpg 960w, /media/\(name)-1600w.jpg 1600w, /media/\(name).jpg 2400w\" sizes=\"(min-width: 46.5rem) 44rem, calc(100vw - 2.5rem)\""))
            // A body that uses a copy's address counts as a use of the file.
            try await app.importLines([importLine(type: "post", title: "Harbour at noon", body: "![Boats](/media/\(name)-480w.jpg)")])
            #expect(try await editor.get(details).body.string.contains(">Harbour at noon</a></li>"))
            // The library's thumbnails use the smallest copy.
            #expect(try await editor.get("/admin/media").body.string.contains("<img src=\"/media/\(name)-480w.jpg\" alt=\"Boats in the harbour at dawn\" width=\"120\""))

            // A small image is served as it is: no copy is larger than the original.
            let small = try await Self.upload(editor, name: "icon.png", bytes: try Self.png(width: 300, height: 300), alt: "An icon")
            let smallPage = try await editor.get(try #require(small.headers.first(name: .location))).body.string
            #expect(smallPage.contains("None: the image is served as uploaded."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func imagesThatCannotBeServedWellAreRefusedWithTheReason(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let uploads = app.siteSettings.uploadsPath
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))

            let huge = try await Self.upload(editor, name: "poster.png", bytes: Self.pngHeader(width: 12_000, height: 9_000), alt: "A poster")
            #expect(huge.status == .badRequest)
            #expect(huge.body.string.htmlUnescaped.contains("“poster.png” is 12000 × 9000 pixels; images can have at most 40 million pixels."))
            // A header claiming 4294967295 × 4294967295, then an animation chunk: refused, the
            // multiplication no longer overflows.
            func big32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
            let animation = Array("acTL".utf8) + big32(1) + big32(0)
            let bomb = Array(Self.pngHeader(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF).prefix(33)) + big32(8) + animation
                + big32(Int(Self.crc32(animation))) + Array(repeating: 1, count: 64)
            let refused = try await Self.upload(editor, name: "bomb.png", bytes: bomb, alt: "A bomb")
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.htmlUnescaped.contains("“bomb.png” is 4294967295 × 4294967295 pixels"))
            #expect(try await Browser(app).get("/").status == .ok)
            let damaged = try await Self.upload(editor, name: "scan.png", bytes: Self.pngHeader(width: 800, height: 600), alt: "A scan")
            #expect(damaged.status == .badRequest && damaged.body.string.htmlUnescaped.contains("“scan.png” could not be read as an image: it may be damaged."))
            let truncated = Array(Self.jpeg(width: 64, height: 64).prefix(200))
            #expect(try await Self.upload(editor, name: "cut.jpg", bytes: truncated, alt: "A cut photo").status == .badRequest)
            // WebP is served as uploaded: a wide one is refused, a modest one accepted.
            func webp(width: Int, height: Int) -> [UInt8] {
                let size = [UInt8((width - 1) & 0xFF), UInt8((width - 1) >> 8 & 0xFF), 0, UInt8((height - 1) & 0xFF), UInt8((height - 1) >> 8 & 0xFF), 0]
                return Array("RIFF".utf8) + [100, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0] + size + Array(repeating: 0, count: 80)
            }
            let wide = try await Self.upload(editor, name: "wide.webp", bytes: webp(width: 3000, height: 1000), alt: "A panorama")
            #expect(wide.status == .badRequest && wide.body.string.htmlUnescaped.contains("“wide.webp” is 3000 pixels wide. WebP images are served as uploaded"))
            #expect(wide.body.string.contains("value=\"A panorama\""))
            let modest = try await Self.upload(editor, name: "modest.webp", bytes: webp(width: 1200, height: 800), alt: "A garden")
            #expect(modest.status == .seeOther)
            #expect(try await editor.get(try #require(modest.headers.first(name: .location))).body.string.contains("1200 × 800"))
            let stored = try FileManager.default.contentsOfDirectory(atPath: uploads + "/media")
            #expect(stored.count == 1 && stored[0].hasSuffix(".webp"))
        }
    }

    /// Files uploaded before copies were made get them in the background, and the bodies that
    /// show them are rendered again.
    @Test(arguments: TestDatabase.allCases)
    func earlierUploadsGetTheirCopiesLater(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            let files = MediaPages.files(app)
            try await files.write(Data(Self.jpeg(width: 1000, height: 800)), as: "earlier_photo.jpg")
            try await sql.insert(into: "media").columns("storage_name", "file_name", "media_type", "size", "width", "height", "alt_text", "uploaded_by", "created_at")
                .values(SQLBind("earlier_photo.jpg"), SQLBind("photo.jpg"), SQLBind("image/jpeg"), SQLBind(Int64(1)), SQLBind(1000), SQLBind(800),
                        SQLBind("A square"), SQLBind("Editor"), SQLBind(Int64(0))).run()
            try await app.importLines([importLine(type: "post", title: "Earlier", body: "![A square](/media/earlier_photo.jpg)")])
            #expect(!(try await Browser(app).get("/blog/earlier").body.string.contains("srcset")))

            // A row whose file went missing is settled as having no copies, not tried forever.
            try await sql.insert(into: "media").columns("storage_name", "file_name", "media_type", "size", "width", "height", "alt_text", "uploaded_by", "created_at")
                .values(SQLBind("lost_photo.jpg"), SQLBind("lost.jpg"), SQLBind("image/jpeg"), SQLBind(Int64(1)), SQLBind(640), SQLBind(480),
                        SQLBind("Lost"), SQLBind("Editor"), SQLBind(Int64(0))).run()
            let waiting = try await sql.select().columns(MediaRecord.columns).from("media").orderBy("id").all().map(MediaRecord.init(row:))
            #expect(waiting.count == 2 && waiting.allSatisfy { $0.copyWidths == nil })
            for record in waiting {
                try await ImageCopies.makeMissingCopies(of: record, files: files, sql: sql, application: app)
            }
            let lost = try await sql.select().columns(MediaRecord.columns).from("media").where("storage_name", .equal, "lost_photo.jpg").first().map(MediaRecord.init(row:))
            #expect(lost?.copyWidths == [] && lost?.width == 640)

            let post = try await Browser(app).get("/blog/earlier").body.string
            #expect(post.contains("srcset=\"/media/earlier_photo-480w.jpg 480w, /media/earlier_photo-960w.jpg 960w, /media/earlier_photo.jpg 1000w\""))
            let copy = try await Browser(app).get("/media/earlier_photo-960w.jpg")
            #expect(try JPEGDecoder.decode(Array(copy.body.readableBytesView), maximumPixels: 1_000_000).height == 768)
        }
    }

    /// The copies keep what the browser needs to show the picture as the original.
    @Test func copiesKeepTheColourProfileAndAnimationsStayWhole() throws {
        let profile: [UInt8] = [0xFF, 0xE2, 0x00, 0x16] + Array("ICC_PROFILE".utf8) + [0, 1, 1] + Array("P3-ish".utf8)
        let photo = ColourMetadata.inserting(jpegSegments: profile, into: Self.jpeg(width: 1200, height: 900))
        guard case .success(let made) = ImageCopies.make(from: photo, kind: .jpeg) else { Issue.record("refused"); return }
        #expect(made.copies.map(\.width) == [960, 480])
        for copy in made.copies {
            #expect(ColourMetadata.jpegProfile(of: copy.bytes) == profile)
            #expect(try JPEGDecoder.decode(copy.bytes, maximumPixels: 2_000_000).width == copy.width)
        }

        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            let crc = Self.crc32(body)
            return [UInt8(data.count >> 24 & 0xFF), UInt8(data.count >> 16 & 0xFF), UInt8(data.count >> 8 & 0xFF), UInt8(data.count & 0xFF)] + body
                + [UInt8(crc >> 24 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        }
        let gamma = chunk("gAMA", [0, 0, 0xB1, 0x8F])
        let png = ColourMetadata.inserting(pngChunks: gamma, into: try Self.png(width: 1600, height: 900))
        guard case .success(let pngMade) = ImageCopies.make(from: png, kind: .png) else { Issue.record("refused"); return }
        #expect(pngMade.copies.map(\.width) == [960, 480])
        for copy in pngMade.copies {
            #expect(ColourMetadata.pngColour(of: copy.bytes).chunks == gamma)
            #expect(try PNGDecoder.decode(copy.bytes, maximumPixels: 2_000_000).width == copy.width)
        }

        // An animated PNG would become a still picture: it is served as uploaded.
        let animated = ColourMetadata.inserting(pngChunks: chunk("acTL", [0, 0, 0, 2, 0, 0, 0, 0]), into: try Self.png(width: 1000, height: 500))
        guard case .success(let still) = ImageCopies.make(from: animated, kind: .png) else { Issue.record("refused"); return }
        #expect(still.copies.isEmpty && still.width == 1000 && still.height == 500)

        // A lossless JPEG (start of frame C3) is not shown by browsers: refused with the reason.
        var lossless = Self.jpeg(width: 64, height: 64)
        let frame = try #require(lossless.indices.dropLast().first { lossless[$0] == 0xFF && lossless[$0 + 1] == 0xC0 })
        lossless[frame + 1] = 0xC3
        guard case .failure(let refusal) = ImageCopies.make(from: lossless, kind: .jpeg) else { Issue.record("accepted"); return }
        #expect(refusal.problem == .unsupportedImage)
    }
}
