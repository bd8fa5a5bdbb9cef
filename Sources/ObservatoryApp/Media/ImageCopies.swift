import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import ObservatoryImages
import SQLKit
import Vapor

/// The smaller copies of a library image (`ImageRenditions`): made from its decoded pixels when
/// it is uploaded, kept beside it in the media folder, and offered by pages with `srcset`.
enum ImageCopies {
    struct Made: Sendable {
        /// The upright size: a photograph's EXIF orientation is applied.
        let width: Int
        let height: Int
        /// The encoded copies, widest first, each smaller in bytes than the original.
        let copies: [Copy]
    }

    struct Copy: Sendable {
        let width: Int
        let bytes: [UInt8]
    }

    /// Why an image cannot go into the library, with what is known of its size for the message.
    struct Refusal: Error {
        let problem: MediaRules.Problem
        var width = 0
        var height = 0
    }

    /// Reads the image and makes its copies. JPEG copies stay JPEG and PNG copies stay PNG (so
    /// diagrams and transparency survive); a WebP image, or a JPEG this decoder does not read
    /// (arithmetic coding, 12 bits), is served as uploaded. CPU-bound: call it off the event loops.
    static func make(from bytes: [UInt8], kind: AttachmentRules.Kind) -> Result<Made, Refusal> {
        let header = MediaRules.dimensions(of: Array(bytes.prefix(65_536)))
        func asUploaded() -> Result<Made, Refusal> {
            guard let header else { return .failure(Refusal(problem: .unreadable)) }
            if let problem = MediaRules.problem(kind: kind, width: header.width, height: header.height) {
                return .failure(Refusal(problem: problem, width: header.width, height: header.height))
            }
            return .success(Made(width: header.width, height: header.height, copies: []))
        }
        let image: RasterImage
        do {
            switch kind {
            case .jpeg: image = try JPEGDecoder.decode(bytes, maximumPixels: ImageRenditions.maximumPixels)
            case .png: image = try PNGDecoder.decode(bytes, maximumPixels: ImageRenditions.maximumPixels)
            case .webp, .pdf: return asUploaded()
            }
        } catch ImageCodecError.tooLarge(let width, let height) {
            return .failure(Refusal(problem: .tooManyPixels, width: width, height: height))
        } catch ImageCodecError.unsupported {
            return asUploaded()
        } catch {
            return .failure(Refusal(problem: .unreadable))
        }
        var copies: [Copy] = []
        var source = image
        // Widest first, each from the one before: averaging a 1600-pixel copy down to 960 reads
        // a sixth of the original's pixels and looks the same.
        for width in ImageRenditions.widths(below: image.width).reversed() {
            source = ImageResizer.resized(source, toWidth: width)
            let encoded = kind == .png
                ? (try? PNGEncoder.encode(source)) ?? []
                : JPEGEncoder.encode(source, quality: ImageRenditions.jpegQuality)
            if !encoded.isEmpty, encoded.count < bytes.count { copies.append(Copy(width: width, bytes: encoded)) }
        }
        return .success(Made(width: image.width, height: image.height, copies: copies))
    }

    /// Makes the copies on the application's thread pool.
    static func make(from bytes: [UInt8], kind: AttachmentRules.Kind, on application: Application) async throws -> Result<Made, Refusal> {
        try await application.threadPool.runIfActive { make(from: bytes, kind: kind) }
    }

    /// Writes the copies beside the original (`ImageRenditions.fileName(of:width:)`).
    static func store(_ made: Made, of storageName: String, in files: AttachmentFiles) async throws {
        for copy in made.copies {
            try await files.write(Data(copy.bytes), as: ImageRenditions.fileName(of: storageName, width: copy.width))
        }
    }

    // MARK: - Pages

    /// What pages need to show the library images `body` uses, by address.
    static func images(in body: String, _ sql: any SQLDatabase) async throws -> [String: ResponsiveImage] {
        let names = body.matches(of: /\/media\/([a-z0-9_-]+\.(?:png|jpg|webp))/).map { String($0.output.1) }
        guard !names.isEmpty else { return [:] }
        var images: [String: ResponsiveImage] = [:]
        let rows = try await sql.select().columns("storage_name", "width", "height", "renditions").from("media")
            .where("storage_name", .in, Array(Set(names))).all()
        for row in rows {
            guard let width = try row.decode(column: "width", as: Int?.self), let height = try row.decode(column: "height", as: Int?.self) else { continue }
            let path = "/media/" + (try row.decode(column: "storage_name", as: String.self))
            let copies = ImageRenditions.widths(column: try row.decode(column: "renditions", as: String?.self)) ?? []
            images[path] = ResponsiveImage(path: path, width: width, height: height, copyWidths: copies)
        }
        return images
    }

    /// `body` as HTML, its library images at their size with their copies.
    static func html(of body: String, _ sql: any SQLDatabase) async throws -> String {
        let images = try await images(in: body, sql)
        return Markdown.html(from: body, image: images.isEmpty ? nil : { images[$0] })
    }

    // MARK: - Files uploaded before copies were made

    /// Makes the copies of library images that have none yet (uploaded by an earlier version),
    /// then renders again the bodies that show them, so their pages offer the copies.
    static func loop(_ application: Application) -> BackgroundLoop {
        BackgroundLoop("Image copies", every: .seconds(30)) { application in
            guard let sql = application.db as? any SQLDatabase else { return }
            let files = MediaPages.files(application)
            while !Task.isCancelled {
                let waiting = try await sql.select().columns(MediaRecord.columns).from("media")
                    .where(SQLColumn("renditions"), .is, SQLLiteral.null).orderBy("id").limit(5).all().map(MediaRecord.init(row:))
                guard !waiting.isEmpty else { return }
                for record in waiting {
                    try await makeMissingCopies(of: record, files: files, sql: sql, application: application)
                }
            }
        }
    }

    static func makeMissingCopies(of record: MediaRecord, files: AttachmentFiles, sql: any SQLDatabase, application: Application) async throws {
        var widths: [Int] = []
        var size = (record.width, record.height)
        if let kind = AttachmentRules.Kind(rawValue: record.mediaType), kind.isImage,
           let bytes = try? await files.read(record.storageName),
           case .success(let made) = try await make(from: Array(bytes), kind: kind, on: application) {
            try await store(made, of: record.storageName, in: files)
            widths = made.copies.map(\.width)
            size = (made.width, made.height)
        }
        try await sql.update("media").set("renditions", to: ImageRenditions.column(widths))
            .set("width", to: size.0).set("height", to: size.1).where("id", .equal, record.id).run()
        guard record.isImage else { return }
        let pattern = SQLLike.containing(record.path)
        let items = try await sql.raw("""
            SELECT id, body FROM items WHERE LOWER(body) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause)
            """).all()
        for item in items {
            let html = try await html(of: try item.decode(column: "body", as: String.self), sql)
            try await sql.update("items").set("body_html", to: html).where("id", .equal, try item.decode(column: "id", as: Int64.self)).run()
        }
        if !items.isEmpty {
            try await sql.raw("UPDATE site_state SET content_version = content_version + 1 WHERE id = 1").run()
        }
    }
}
