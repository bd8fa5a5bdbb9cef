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
    /// diagrams and transparency survive), with the original's colour profile. WebP images and
    /// animated PNGs are served as uploaded. CPU-bound: call it off the event loops.
    static func make(from bytes: [UInt8], kind: AttachmentRules.Kind) -> Result<Made, Refusal> {
        func asUploaded() -> Result<Made, Refusal> {
            guard let header = MediaRules.dimensions(of: Array(bytes.prefix(65_536))), header.width > 0, header.height > 0 else {
                return .failure(Refusal(problem: .unreadable))
            }
            if let problem = MediaRules.problem(kind: kind, width: header.width, height: header.height) {
                return .failure(Refusal(problem: problem, width: header.width, height: header.height))
            }
            return .success(Made(width: header.width, height: header.height, copies: []))
        }
        let image: RasterImage
        let profile: [UInt8]
        do {
            switch kind {
            case .jpeg:
                image = try JPEGDecoder.decode(bytes, maximumPixels: ImageRenditions.maximumPixels)
                profile = ColourMetadata.jpegProfile(of: bytes)
            case .png:
                let colour = ColourMetadata.pngColour(of: bytes)
                if colour.animated { return asUploaded() }
                image = try PNGDecoder.decode(bytes, maximumPixels: ImageRenditions.maximumPixels)
                profile = colour.chunks
            case .webp, .pdf:
                return asUploaded()
            }
        } catch ImageCodecError.tooLarge(let width, let height) {
            return .failure(Refusal(problem: .tooManyPixels, width: width, height: height))
        } catch ImageCodecError.unsupported {
            // 12-bit, lossless or arithmetic-coded JPEG and the like: most browsers cannot show them either.
            return .failure(Refusal(problem: .unsupportedImage))
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
                ? ColourMetadata.inserting(pngChunks: profile, into: (try? PNGEncoder.encode(source)) ?? [])
                : ColourMetadata.inserting(jpegSegments: profile, into: JPEGEncoder.encode(source, quality: ImageRenditions.jpegQuality))
            if !encoded.isEmpty, encoded.count < bytes.count { copies.append(Copy(width: width, bytes: encoded)) }
        }
        return .success(Made(width: image.width, height: image.height, copies: copies))
    }

    /// Makes the copies on the image worker's thread, one image at a time.
    static func make(from bytes: [UInt8], kind: AttachmentRules.Kind, on application: Application) async throws -> Result<Made, Refusal> {
        try await application.imageWorker.pool.runIfActive { make(from: bytes, kind: kind) }
    }

    /// Writes the copies beside the original (`ImageRenditions.fileName(of:width:)`).
    static func store(_ made: Made, of storageName: String, in files: AttachmentFiles) async throws {
        for copy in made.copies {
            try await files.write(Data(copy.bytes), as: ImageRenditions.fileName(of: storageName, width: copy.width))
        }
    }

    /// The original and every copy it may have.
    static func allFileNames(of storageName: String) -> [String] {
        [storageName] + ImageRenditions.widths.map { ImageRenditions.fileName(of: storageName, width: $0) }
    }

    // MARK: - Pages

    /// What pages need to show the library images `body` uses, by address.
    static func images(in body: String, _ sql: any SQLDatabase) async throws -> [String: ResponsiveImage] {
        let names = body.matches(of: /\/media\/([a-z0-9_-]+\.(?:png|jpg|webp))/).map { String($0.output.1) }
        guard !names.isEmpty else { return [:] }
        return try await MediaStore(sql: sql).images(named: Array(Set(names)))
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
            let sql = try application.sql
            let files = MediaPages.files(application)
            while !Task.isCancelled {
                let waiting = try await MediaStore(sql: sql).withoutCopies(limit: 5)
                guard !waiting.isEmpty else { return }
                for record in waiting {
                    try await makeMissingCopies(of: record, files: files, sql: sql, application: application)
                }
            }
        }
    }

    /// Makes one file's copies and records them. A file that cannot be read or decoded is
    /// recorded as having none (and logged), so it is not tried again on every round.
    static func makeMissingCopies(of record: MediaRecord, files: AttachmentFiles, sql: any SQLDatabase, application: Application) async throws {
        var made: Made?
        if let kind = AttachmentRules.Kind(rawValue: record.mediaType), kind.isImage {
            do {
                switch try await make(from: Array(try await files.read(record.storageName)), kind: kind, on: application) {
                case .success(let result):
                    try await store(result, of: record.storageName, in: files)
                    made = result
                case .failure(let refusal):
                    application.logger.warning("Image copies: \(record.storageName) is served as uploaded (\(refusal.problem.rawValue))")
                }
            } catch {
                application.logger.warning("Image copies: \(record.storageName) is served as uploaded (\(error))")
            }
        }
        let library = MediaStore(sql: sql)
        let recorded = try await library.recordCopies(of: record.id, widths: made?.copies.map(\.width) ?? [],
                                                    width: made?.width ?? record.width, height: made?.height ?? record.height)
        guard recorded else {
            // Deleted meanwhile (its copies would be left behind), or done by another instance.
            let stillThere = try await library.exists(id: record.id)
            if !stillThere {
                try await files.remove(Array(allFileNames(of: record.storageName).dropFirst()))
            }
            return
        }
        guard record.isImage else { return }
        for item in try await library.itemBodies(showing: record.path) {
            try await library.setBodyHTML(try await html(of: item.body, sql), of: item)
        }
        // Cached pages, site pages included, show the image again with its copies.
        try await ContentState.raiseVersion(on: sql)
    }
}

/// Image work runs on a thread of its own: decoding a 40-megapixel photograph takes a few
/// hundred megabytes for a moment, so two must not run at once, and serving files (on the
/// shared pool) must not wait behind one.
final class ImageWorker: LifecycleHandler, Sendable {
    let pool = NIOThreadPool(numberOfThreads: 1)

    init() {
        pool.start()
    }

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }
}

extension Application {
    struct ImageWorkerKey: StorageKey {
        typealias Value = ImageWorker
    }

    /// Set up by `configure`, which registers it for shutdown.
    var imageWorker: ImageWorker {
        guard let worker = storage[ImageWorkerKey.self] else { fatalError("the application was not configured") }
        return worker
    }
}
