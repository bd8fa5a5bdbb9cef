import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The media library: editors upload images (described for screen readers) and documents,
/// copy the Markdown that places them in any body, see where each is used, and can delete a
/// file only when nothing uses it any more. Files are served at `/media/<name>` with their
/// dimensions known, so pages reserve their space and scale them to the column; JPEG and PNG
/// images also get smaller copies (`ImageCopies`) that pages offer with `srcset`.
struct MediaPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get(SiteURL.Routes.mediaFile, use: serve)
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.mediaLibrary, use: library)
        editors.post(SiteURL.Routes.mediaLibrary, body: .collect(maxSize: AttachmentPages.maximumUploadRequest), use: upload)
        editors.get(SiteURL.Routes.mediaItem, use: details)
        editors.post(SiteURL.Routes.mediaItem, use: describe)
        editors.post(SiteURL.Routes.mediaDelete, use: delete)
    }

    /// The library's files, in the `media` folder of the uploads folder (a file-system path, not an address of the site).
    static func files(_ application: Application) -> AttachmentFiles {
        AttachmentFiles(directory: AttachmentFiles(application).path("media"), threadPool: application.threadPool)
    }

    func find(_ request: Request) async throws -> MediaRecord {
        guard let id = request.parameters.get("id", as: Int64.self), let record = try await MediaStore(sql: try request.sql).find(id: id)
        else { throw Abort(.notFound) }
        return record
    }

    /// An original, or one of its copies (`<name>-480w.jpg`) that was made.
    func serve(_ request: Request) async throws -> Response {
        guard let name = request.parameters.get("file") else { throw Abort(.notFound) }
        let store = MediaStore(sql: try request.sql)
        let record: MediaRecord
        if let original = try await store.find(storageName: name) {
            record = original
        } else if let copy = ImageRenditions.parse(fileName: name), let original = try await store.find(storageName: copy.storageName),
                  original.copyWidths?.contains(copy.width) == true {
            record = original
        } else {
            throw Abort(.notFound)
        }
        guard let data = try? await Self.files(request.application).read(name) else { throw Abort(.notFound) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: record.mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "\(record.isImage ? "inline" : "attachment"); filename=\"\(record.fileName)\"")
        // The name is random and never reused: the file can be kept for long.
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    func library(_ request: Request) async throws -> Response {
        try await libraryPage(request, form: FormBuilder(PageContext(request: request)), status: .ok)
    }

    func libraryPage(_ request: Request, form: FormBuilder, status: HTTPResponseStatus, message: String? = nil) async throws -> Response {
        let context = form.context
        let rows: [HTML] = try await MediaStore(sql: try request.sql).all().map { record in
            let preview: HTML = record.isImage
                ? "<img src=\"\(record.responsive?.path(atLeast: 240) ?? record.path)\" alt=\"\(record.altText)\" width=\"120\" loading=\"lazy\">"
                : "<span class=\"badge\">PDF</span>"
            return """
            <tr><td>\(preview)</td><td><a href="\(SiteURL.Routes.mediaItem.path(record.id))">\(record.fileName)</a></td>
            <td>\(Self.dimensions(record))</td><td>\(ByteCountFormatter.string(fromByteCount: record.size, countStyle: .file))</td>
            <td>\(context.moment(record.createdAt, in: context.settings.timeZone))</td></tr>
            """
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("media.title"))</h1>
        \(AccountViews.notice(message))
        <h2>\(context("media.upload"))</h2>
        \(form.summary(labels: ["file": "media.field.file", "alt": "media.field.alt"]))
        <form method="post" action="\(SiteURL.Routes.mediaLibrary.path)" enctype="multipart/form-data" class="stacked-form">
        \(FormBuilder.csrf(request.csrfToken))
        <div class="field\(form.errors["file"] != nil ? " has-error" : "")"><label for="field-file">\(context("media.field.file"))</label>
        <p class="hint" id="field-file-hint">\(context("media.fileHint", ["max": ByteCountFormatter.string(fromByteCount: Int64(MediaRules.maximumBytes), countStyle: .file)]))</p>
        \(form.errors["file"].map { "<p class=\"field-error\" id=\"field-file-error\">\(context.localizer(L10nKey($0), values: form.errors.arguments("file")))</p>" as HTML })
        <input type="file" id="field-file" name="file" accept="image/jpeg,image/png,image/webp,application/pdf" aria-describedby="field-file-hint" required></div>
        \(form.input("alt", label: "media.field.alt", hint: "media.altHint", maxLength: MediaRules.maximumAltLength))
        <button type="submit">\(context("media.uploadButton"))</button>
        </form>
        <h2>\(context("media.files"))</h2>
        \(rows.isEmpty ? "<p>\(context("media.none"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("media.preview"))</th><th scope="col">\(context("media.field.file"))</th>
        <th scope="col">\(context("media.dimensions"))</th><th scope="col">\(context("media.size"))</th><th scope="col">\(context("media.uploaded"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: context("media.title"), content: content).htmlResponse(status: status)
    }

    /// The copies made of an image, each a link to the file.
    static func copies(_ record: MediaRecord, _ context: PageContext) -> HTML {
        guard let widths = record.copyWidths else { return "\(context("media.copiesPending"))" }
        guard !widths.isEmpty else { return "\(context("media.copiesNone"))" }
        let links: [HTML] = widths.sorted().map {
            "<a href=\"\(SiteURL.Routes.mediaFile.path(ImageRenditions.fileName(of: record.storageName, width: $0)))\">\(context("media.copiesWidth", ["width": String($0)]))</a>"
        }
        return links.joined(separator: ", ")
    }

    static func dimensions(_ record: MediaRecord) -> String {
        guard let width = record.width, let height = record.height else { return "—" }
        return "\(width) × \(height)"
    }

    struct Upload: Content {
        var file: File
        var alt: String?
    }

    func upload(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let upload = try? request.content.decode(Upload.self)
        let alt = (upload?.alt ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let data = upload.map { Data($0.file.data.readableBytesView) } ?? Data()
        let kind = AttachmentRules.kind(of: data)
        var errors = FormErrors()
        if let problem = MediaRules.problem(kind: kind, size: data.count, alt: alt) {
            errors.add(problem == .altMissing || problem == .altTooLong ? "alt" : "file", problem.messageKey, ["name": upload?.file.filename ?? ""])
        }
        var made: ImageCopies.Made?
        if errors.isEmpty, let kind, kind.isImage {
            switch try await ImageCopies.make(from: Array(data), kind: kind, on: request.application) {
            case .success(let result):
                made = result
            case .failure(let refusal):
                errors.add("file", refusal.problem.messageKey,
                           ["name": upload?.file.filename ?? "", "width": String(refusal.width), "height": String(refusal.height)])
            }
        }
        guard errors.isEmpty, let kind, let upload else {
            return try await libraryPage(request, form: FormBuilder(context, errors: errors, values: ["alt": alt]), status: .badRequest)
        }
        let storageName = SecretToken.generate().prefix(24).lowercased() + "." + kind.fileExtension
        let files = Self.files(request.application)
        let copies = made.map { ImageRenditions.column($0.copies.map(\.width)) } ?? ""
        let inserted: Int64?
        do {
            try await files.write(data, as: storageName)
            if let made { try await ImageCopies.store(made, of: storageName, in: files) }
            inserted = try await MediaStore(sql: try request.sql).create(
                storageName: storageName, fileName: AttachmentRules.sanitizedName(upload.file.filename, kind: kind), mediaType: kind.rawValue,
                size: Int64(data.count), width: made?.width, height: made?.height, altText: alt, uploadedBy: signedIn.name,
                createdAt: request.application.clock.now(), renditions: copies)
        } catch {
            try? await files.remove(ImageCopies.allFileNames(of: storageName))
            throw error
        }
        guard let id = inserted else { throw Abort(.internalServerError) }
        return request.redirect(to: SiteURL.Routes.mediaItem.path(id, query: [("done", "uploaded")]), redirectType: .normal)
    }

    func details(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let record = try await find(request)
        let done = (try? request.query.get(String.self, at: "done")).flatMap { key in
            Localizer.hasText(for: L10nKey("media.done.\(key)")) ? context(L10nKey("media.done.\(key)")) : nil
        }
        return try await detailsPage(request, record, form: FormBuilder(context, values: ["alt": record.altText]), status: .ok, message: done)
    }

    func detailsPage(_ request: Request, _ record: MediaRecord, form: FormBuilder, status: HTTPResponseStatus, message: String? = nil,
                     refused: Bool = false) async throws -> Response {
        let context = form.context
        let uses = try await MediaStore(sql: try request.sql).usage(of: record)
        let useList: [HTML] = uses.map { "<li><a href=\"\($0.editPath)\">\($0.title)</a></li>" }
        let csrf = FormBuilder.csrf(request.csrfToken)
        let preview: HTML = record.responsive.map { image in
            "<img src=\"\(image.path)\" alt=\"\(record.altText)\" width=\"\(String(image.width))\" height=\"\(String(image.height))\"\(image.srcset.map { " srcset=\"\($0)\" sizes=\"\(ImageRenditions.bodySizes)\"" as HTML })>"
        } ?? (record.isImage ? "<img src=\"\(record.path)\" alt=\"\(record.altText)\">" : "<p><a href=\"\(record.path)\">\(record.fileName)</a></p>")
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.mediaLibrary.path)">\(context("media.title"))</a></p>
        <h1>\(record.fileName)</h1>
        \(AccountViews.notice(message))
        \(refused ? "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><p>\(context("media.inUse", ["count": String(uses.count)]))</p></div>" as HTML : "")
        <figure class="media-preview">\(preview)</figure>
        <div class="facts"><dl>
        <dt>\(context("media.dimensions"))</dt><dd>\(Self.dimensions(record))</dd>
        <dt>\(context("media.size"))</dt><dd>\(ByteCountFormatter.string(fromByteCount: record.size, countStyle: .file))</dd>
        <dt>\(context("media.address"))</dt><dd><code>\(record.path)</code></dd>
        \(record.isImage ? "<dt>\(context("media.copies"))</dt><dd>\(Self.copies(record, context))</dd>" as HTML : "")
        </dl></div>
        <p><label for="markdown">\(context("media.markdown"))</label></p>
        <p><input id="markdown" type="text" readonly value="\(record.markdown)" size="70"></p>
        \(record.isImage ? """
        <form method="post" action="\(SiteURL.Routes.mediaItem.path(record.id))" class="stacked-form">\(csrf)
        \(form.summary(labels: ["alt": "media.field.alt"]))
        \(form.input("alt", label: "media.field.alt", required: true, hint: "media.altHint", maxLength: MediaRules.maximumAltLength))
        <button type="submit">\(context("media.saveAlt"))</button></form>
        """ as HTML : "")
        <h2>\(context("media.usedIn"))</h2>
        \(useList.isEmpty ? "<p>\(context("media.unused"))</p>" as HTML : "<ul>\(useList)</ul>")
        <form method="post" action="\(SiteURL.Routes.mediaDelete.path(record.id))">\(csrf)
        <button type="submit" class="secondary">\(context("media.delete"))</button></form>
        """
        return Layout.page(context, title: record.fileName, content: content).htmlResponse(status: status)
    }

    func describe(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let record = try await find(request)
        let alt = request.formValue("alt").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = MediaRules.problem(kind: AttachmentRules.Kind(rawValue: record.mediaType), size: Int(record.size), alt: alt) {
            var errors = FormErrors()
            errors.add("alt", problem.messageKey)
            return try await detailsPage(request, record, form: FormBuilder(context, errors: errors, values: ["alt": alt]), status: .badRequest)
        }
        try await MediaStore(sql: try request.sql).setAltText(alt, id: record.id)
        return request.redirect(to: SiteURL.Routes.mediaItem.path(record.id, query: [("done", "described")]), redirectType: .normal)
    }

    /// Deletes a file that nothing uses; a used one stays, and the page lists where it is used.
    func delete(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let record = try await find(request)
        let store = MediaStore(sql: try request.sql)
        guard try await store.usage(of: record).isEmpty else {
            return try await detailsPage(request, record, form: FormBuilder(context, values: ["alt": record.altText]), status: .conflict, refused: true)
        }
        try await store.delete(id: record.id)
        // Every name a copy may have: copies being made by another instance land after the row is read.
        try await Self.files(request.application).remove(ImageCopies.allFileNames(of: record.storageName))
        return request.redirect(to: SiteURL.Routes.mediaLibrary.path, redirectType: .normal)
    }
}
