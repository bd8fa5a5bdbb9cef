import Foundation
import ObservatoryCore
import SQLKit

struct MediaRecord: Sendable {
    let id: Int64
    let storageName: String
    let fileName: String
    let mediaType: String
    let size: Int64
    let width: Int?
    let height: Int?
    let altText: String
    let uploadedBy: String
    let createdAt: Int64
    /// The widths of the image's smaller copies; nil until they are made.
    let copyWidths: [Int]?

    var path: String { SiteURL.Routes.mediaFile.path(storageName) }
    var isImage: Bool { mediaType.hasPrefix("image/") }
    var responsive: ResponsiveImage? {
        guard isImage, let width, let height else { return nil }
        return ResponsiveImage(path: path, width: width, height: height, copyWidths: copyWidths ?? [])
    }
    /// What to paste into a Markdown body to use the file.
    var markdown: String { isImage ? "![\(altText)](\(path))" : "[\(fileName)](\(path))" }

    static let columns = ["id", "storage_name", "file_name", "media_type", "size", "width", "height", "alt_text", "uploaded_by", "created_at", "renditions"]

    /// The columns as stored: the copies' widths are one text column, nil until they are made.
    private struct Row: Decodable, Sendable {
        let id: Int64
        let storageName: String
        let fileName: String
        let mediaType: String
        let size: Int64
        let width: Int?
        let height: Int?
        let altText: String
        let uploadedBy: String
        let createdAt: Int64
        let renditions: String?
    }

    init(row: any SQLRow) throws {
        let stored = try row.decode(Row.self)
        id = stored.id
        storageName = stored.storageName
        fileName = stored.fileName
        mediaType = stored.mediaType
        size = stored.size
        width = stored.width
        height = stored.height
        altText = stored.altText
        uploadedBy = stored.uploadedBy
        createdAt = stored.createdAt
        copyWidths = ImageRenditions.widths(column: stored.renditions)
    }
}

/// The media library's files, where bodies and terms use them, and the smaller copies made
/// of its images.
struct MediaStore {
    let sql: any SQLDatabase

    /// Every file, newest first.
    func all() async throws -> [MediaRecord] {
        try await sql.select().columns(MediaRecord.columns).from("media").orderBy("id", .descending).all().map(MediaRecord.init(row:))
    }

    func find(id: Int64) async throws -> MediaRecord? {
        try await sql.select().columns(MediaRecord.columns).from("media").where("id", .equal, id).first().map(MediaRecord.init(row:))
    }

    func find(storageName: String) async throws -> MediaRecord? {
        try await sql.select().columns(MediaRecord.columns).from("media").where("storage_name", .equal, storageName).first().map(MediaRecord.init(row:))
    }

    /// Whether the file is still in the library.
    func exists(id: Int64) async throws -> Bool {
        try await sql.select().column("id").from("media").where("id", .equal, id).first() != nil
    }

    /// Adds an uploaded file; its id, nil if the database gave none back.
    func create(storageName: String, fileName: String, mediaType: String, size: Int64, width: Int?, height: Int?, altText: String,
                uploadedBy: String, createdAt: Int64, renditions: String) async throws -> Int64? {
        try await sql.insert(into: "media")
            .columns("storage_name", "file_name", "media_type", "size", "width", "height", "alt_text", "uploaded_by", "created_at", "renditions")
            .values(SQLBind(storageName), SQLBind(fileName), SQLBind(mediaType), SQLBind(size), SQLBind(width), SQLBind(height), SQLBind(altText),
                    SQLBind(uploadedBy), SQLBind(createdAt), SQLBind(renditions))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
    }

    func setAltText(_ altText: String, id: Int64) async throws {
        try await sql.update("media").set("alt_text", to: altText).where("id", .equal, id).run()
    }

    func delete(id: Int64) async throws {
        try await sql.delete(from: "media").where("id", .equal, id).run()
    }

    // MARK: Where files are used

    private struct TitledRow: Decodable, Sendable {
        let id: Int64
        let title: String
    }

    private struct TermRow: Decodable, Sendable {
        let vocabulary: String
        let name: String
    }

    /// Items and pages whose text refers to the file or one of its copies, and terms showing it
    /// as their icon.
    func usage(of record: MediaRecord) async throws -> [(title: String, editPath: String)] {
        // The random name without its extension: `/media/<name>.jpg` and `/media/<name>-480w.jpg`.
        let pattern = SQLLike.containing(SiteURL.Routes.mediaFile.path(String(record.storageName.prefix { $0 != "." })))
        var uses: [(String, String)] = try await sql.raw("""
            SELECT id, title FROM items WHERE LOWER(body) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause) \
            OR LOWER(COALESCE(excerpt, '')) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause) ORDER BY title
            """).all(as: TitledRow.self).map { ($0.title, SiteURL.Routes.contentItem.path($0.id)) }
        uses += try await sql.raw("""
            SELECT vocabulary, name FROM terms WHERE icon_media_id = \(bind: record.id) ORDER BY name
            """).all(as: TermRow.self).map { ($0.name, SiteURL.Routes.vocabulary.path($0.vocabulary)) }
        uses += try await sql.raw("""
            SELECT id, title FROM site_pages WHERE LOWER(body) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause) ORDER BY title
            """).all(as: TitledRow.self).map { ($0.title, SiteURL.Routes.sitePageAdmin.path($0.id)) }
        return uses
    }

    // MARK: Images in bodies

    private struct ImageRow: Decodable, Sendable {
        let storageName: String
        let width: Int?
        let height: Int?
        let renditions: String?
    }

    /// What pages need to show the library images with these names, by address. Files whose
    /// size is not known are left out.
    func images(named storageNames: [String]) async throws -> [String: ResponsiveImage] {
        var images: [String: ResponsiveImage] = [:]
        let rows = try await sql.select().columns("storage_name", "width", "height", "renditions").from("media")
            .where("storage_name", .in, storageNames).all(as: ImageRow.self)
        for row in rows {
            guard let width = row.width, let height = row.height else { continue }
            let path = SiteURL.Routes.mediaFile.path(row.storageName)
            images[path] = ResponsiveImage(path: path, width: width, height: height, copyWidths: ImageRenditions.widths(column: row.renditions) ?? [])
        }
        return images
    }

    // MARK: Copies of files uploaded before copies were made

    /// Files whose copies have not been made yet, oldest first.
    func withoutCopies(limit: Int) async throws -> [MediaRecord] {
        try await sql.select().columns(MediaRecord.columns).from("media")
            .where(SQLColumn("renditions"), .is, SQLLiteral.null).orderBy("id").limit(limit).all().map(MediaRecord.init(row:))
    }

    /// Records the copies made of a file (none when `widths` is empty) and its upright size;
    /// false when the file was deleted meanwhile or another instance recorded them first.
    func recordCopies(of id: Int64, widths: [Int], width: Int?, height: Int?) async throws -> Bool {
        try await sql.update("media").set("renditions", to: ImageRenditions.column(widths))
            .set("width", to: width).set("height", to: height)
            .where("id", .equal, id).where(SQLColumn("renditions"), .is, SQLLiteral.null)
            .returning("id").first() != nil
    }

    struct ItemBody: Decodable, Sendable {
        let id: Int64
        let body: String
    }

    /// The items whose body shows the file at `path`.
    func itemBodies(showing path: String) async throws -> [ItemBody] {
        let pattern = SQLLike.containing(path)
        return try await sql.raw("""
            SELECT id, body FROM items WHERE LOWER(body) LIKE \(bind: pattern) \(unsafeRaw: SQLLike.escapeClause)
            """).all(as: ItemBody.self)
    }

    /// Stores an item's body rendered again, only if the body is still `body`: an editor's
    /// save meanwhile rendered it already.
    func setBodyHTML(_ html: String, of item: ItemBody) async throws {
        try await sql.update("items").set("body_html", to: html).where("id", .equal, item.id).where("body", .equal, item.body).run()
    }
}
