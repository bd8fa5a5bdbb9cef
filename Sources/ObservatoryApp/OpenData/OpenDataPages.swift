import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `/data`: what the open data holds (every column, its type and vocabulary) under which
/// licence, and `/data/cases.{csv,json,ndjson}`: every published case, streamed.
struct OpenDataPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.openData, use: dictionary)
        for format in CaseExporter.Format.allCases {
            everyone.get(SiteURL.Routes.openDataCases(format)) { try await download($0, format) }
        }
    }

    func download(_ request: Request, _ format: CaseExporter.Format) async throws -> Response {
        let settings = request.application.siteSettings
        let exporter = CaseExporter(sql: try request.application.sql, now: request.application.clock.now(), baseURL: settings.baseURL)
        let logger = request.logger
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"cases.\(format.rawValue)\"")
        headers.replaceOrAdd(name: "Link", value: "<\(settings.dataLicenceURL)>; rel=\"license\"")
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            do {
                try await exporter.export(format) { buffer in
                    try await writer.write(.buffer(buffer))
                }
                try await writer.write(.end)
            } catch {
                logger.report(error: error)
                try await writer.write(.error(error))
            }
        }))
    }

    func dictionary(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let settings = context.settings
        let count = try await CaseExporter(sql: try request.application.sql, now: context.now, baseURL: settings.baseURL).count()
        let rows: [HTML] = CaseExport.columns.map { column in
            let vocabulary: HTML = column.vocabulary.map { "\(context($0.labelKey))" } ?? "—"
            return """
            <tr><th scope="row"><code>\(column.name)</code></th><td>\(context(L10nKey("export.type.\(column.type.rawValue)")))</td>
            <td>\(vocabulary)</td><td>\(context(column.descriptionKey))</td></tr>
            """
        }
        let downloads: [HTML] = CaseExporter.Format.allCases.map { format in
            "<li><a href=\"\(SiteURL.Routes.openDataCases(format).path)\">cases.\(format.rawValue)</a> – \(context(L10nKey("export.format.\(format.rawValue)")))</li>"
        }
        let content: HTML = """
        <h1>\(context("export.title"))</h1>
        <p class="lead">\(context("export.intro", ["count": String(count)]))</p>
        <ul>\(downloads)</ul>
        <p>\(context("export.licence", ["licence": settings.dataLicence, "organisation": settings.organisation]))
        <a href="\(settings.dataLicenceURL)" rel="license">\(settings.dataLicence)</a></p>
        <p>\(context("export.commandLine"))</p>
        <h2>\(context("export.dictionary"))</h2>
        <p>\(context("export.lists", ["separator": CaseExport.listSeparator.trimmingCharacters(in: .whitespaces)]))</p>
        <table class="data-table">
        <thead><tr><th scope="col">\(context("export.column"))</th><th scope="col">\(context("export.type"))</th>
        <th scope="col">\(context("export.vocabulary"))</th><th scope="col">\(context("export.meaning"))</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        """
        return Layout.page(context, title: context("export.title"), description: context("export.intro", ["count": String(count)]), content: content)
    }
}
