import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `/pages/<slug>`: the simple pages editors write, and their admin under
/// Administration › Pages (Markdown with a preview; whether each is linked from the
/// navigation and the footer, and in which order).
struct SitePagePages: RouteCollection {
    static let labels: [String: L10nKey] = [
        "title": "sitePage.field.title", "slug": "sitePage.field.slug", "body": "sitePage.field.body", "position": "sitePage.field.position",
    ]

    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.sitePagesAdmin, use: list)
        editors.get(SiteURL.Routes.sitePageNew, use: newForm)
        editors.post(SiteURL.Routes.sitePageNew, use: create)
        editors.get(SiteURL.Routes.sitePageAdmin, use: editForm)
        editors.post(SiteURL.Routes.sitePageAdmin, use: update)
        editors.post(SiteURL.Routes.sitePageDelete, use: delete)
    }

    /// Registered with the public pages, so the page cache keeps them.
    static func publicRoutes(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.Routes.sitePage, use: show)
    }

    @Sendable static func show(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        guard let slug = request.parameters.get("slug"), let page = try await SitePageStore(sql: try request.sql, now: context.now).find(slug: slug) else {
            throw Abort(.notFound)
        }
        let body = try await ImageCopies.html(of: page.body, try request.sql)
        let content: HTML = """
        <article class="site-page">
        <h1>\(page.title)</h1>
        <div class="body">\(HTML.trusted(body))</div>
        <p class="muted">\(context("sitePage.updated", ["date": context.formatter.date(page.updatedAt, in: context.settings.timeZone)]))</p>
        </article>
        """
        return Layout.page(context, title: page.title, description: Excerpt.truncate(plainText: Markdown.plainText(from: page.body)),
                           head: Layout.Head(canonical: page.path), content: content)
    }

    func list(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let rows: [HTML] = try await SitePageStore(sql: try request.sql, now: context.now).all().map { page in
            """
            <tr><td><a href="\(SiteURL.Routes.sitePageAdmin.path(page.id))">\(page.title)</a></td><td><a href="\(page.path)">\(page.path)</a></td>
            <td>\(page.inNavigation ? context("sitePage.yes") : "—")</td><td>\(page.inFooter ? context("sitePage.yes") : "—")</td><td>\(String(page.position))</td></tr>
            """
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("sitePage.adminTitle"))</h1>
        <p><a href="\(SiteURL.Routes.sitePageNew.path)">\(context("sitePage.new"))</a></p>
        <p>\(context("sitePage.lead"))</p>
        \(rows.isEmpty ? "<p>\(context("sitePage.none"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("sitePage.field.title"))</th><th scope="col">\(context("sitePage.address"))</th>
        <th scope="col">\(context("sitePage.field.inNavigation"))</th><th scope="col">\(context("sitePage.field.inFooter"))</th>
        <th scope="col">\(context("sitePage.field.position"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: context("sitePage.adminTitle"), content: content)
    }

    func newForm(_ request: Request) async throws -> Response {
        try await formPage(request, id: nil, form: FormBuilder(PageContext(request: request), values: ["position": "0"]), status: .ok)
    }

    func editForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let page = try await load(request)
        let values = ["title": page.title, "slug": page.slug, "body": page.body, "in_navigation": page.inNavigation ? "on" : "",
                      "in_footer": page.inFooter ? "on" : "", "position": String(page.position)]
        let done = (try? request.query.get(String.self, at: "done")) == "saved" ? context("editor.done.saved") : nil
        return try await formPage(request, id: page.id, form: FormBuilder(context, values: values), status: .ok, message: done)
    }

    func load(_ request: Request) async throws -> SitePage {
        guard let id = request.parameters.get("id", as: Int64.self),
              let page = try await SitePageStore(sql: try request.sql, now: request.application.clock.now()).find(id: id)
        else { throw Abort(.notFound) }
        return page
    }

    func formPage(_ request: Request, id: Int64?, form: FormBuilder, status: HTTPResponseStatus, preview: String? = nil, message: String? = nil) async throws -> Response {
        let context = form.context
        let action = id.map { SiteURL.Routes.sitePageAdmin.path($0) } ?? SiteURL.Routes.sitePageNew.path
        let title = id == nil ? context("sitePage.new") : context("editor.editTitle", ["title": form.values["title"] ?? ""])
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.sitePagesAdmin.path)">\(context("sitePage.adminTitle"))</a></p>
        <h1>\(title)</h1>
        \(AccountViews.notice(message))
        \(form.summary(labels: Self.labels))
        <form method="post" action="\(action)" class="stacked-form editor-form">
        \(FormBuilder.csrf(request.csrfToken))
        \(form.input("title", label: "sitePage.field.title", required: true, maxLength: 200))
        \(form.input("slug", label: "sitePage.field.slug", hint: "sitePage.slugHint", maxLength: 100))
        \(EditorForm.textarea(form, "body", label: "sitePage.field.body", hint: "editor.bodyHint", rows: 16, required: true))
        \(EditorForm.checkbox(form, "in_navigation", label: "sitePage.field.inNavigation"))
        \(EditorForm.checkbox(form, "in_footer", label: "sitePage.field.inFooter"))
        \(form.input("position", label: "sitePage.field.position", type: "number", hint: "sitePage.positionHint"))
        <div class="form-actions">
        <button type="submit" name="action" value="save">\(context("editor.save"))</button>
        <button type="submit" name="action" value="preview" class="secondary">\(context("editor.preview"))</button>
        </div>
        </form>
        \(id.map { id in
            """
            <form method="post" action="\(SiteURL.Routes.sitePageDelete.path(id))">\(FormBuilder.csrf(request.csrfToken))
            <button type="submit" class="secondary">\(context("sitePage.delete"))</button></form>
            """ as HTML
        })
        \(preview.map { "<section class=\"editor-preview\" aria-labelledby=\"preview-heading\"><h2 id=\"preview-heading\">\(context("editor.previewTitle"))</h2><div class=\"body\">\(HTML.trusted($0))</div></section>" as HTML })
        """
        return Layout.page(context, title: title, content: content).htmlResponse(status: status)
    }

    func create(_ request: Request) async throws -> Response { try await submit(request, id: nil) }

    func update(_ request: Request) async throws -> Response { try await submit(request, id: try await load(request).id) }

    func submit(_ request: Request, id: Int64?) async throws -> Response {
        let context = PageContext(request: request)
        let values = EditorForm.posted(SubmissionPages.formPairs(request))
        if values["action"] == "preview" {
            return try await formPage(request, id: id, form: FormBuilder(context, values: values), status: .ok,
                                      preview: try await ImageCopies.html(of: values["body"] ?? "", try request.sql))
        }
        let title = (values["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var slug = (values["slug"] ?? "").trimmingCharacters(in: .whitespaces)
        if slug.isEmpty { slug = Slug.make(from: title) }
        let body = values["body"] ?? ""
        var errors = FormErrors()
        if title.isEmpty { errors.add("title", "editor.error.title") }
        if !title.isEmpty, !Slug.isValid(slug) { errors.add("slug", "editor.error.slug") }
        if body.allSatisfy(\.isWhitespace) { errors.add("body", "form.required") }
        let positionText = (values["position"] ?? "").trimmingCharacters(in: .whitespaces)
        let position = positionText.isEmpty ? 0 : Int(positionText)
        if position == nil { errors.add("position", "sitePage.error.position") }
        guard errors.isEmpty, let position else {
            return try await formPage(request, id: id, form: FormBuilder(context, errors: errors, values: values), status: .badRequest)
        }
        do {
            let saved = try await SitePageStore(sql: try request.sql, now: context.now).save(
                id: id, slug: slug, title: title, body: body, inNavigation: values["in_navigation"] == "on", inFooter: values["in_footer"] == "on",
                position: position)
            return request.redirect(to: SiteURL.Routes.sitePageAdmin.path(saved, query: [("done", "saved")]), redirectType: .normal)
        } catch SitePageStore.Problem.slugTaken {
            errors.add("slug", "sitePage.error.slugTaken")
            return try await formPage(request, id: id, form: FormBuilder(context, errors: errors, values: values), status: .conflict)
        }
    }

    func delete(_ request: Request) async throws -> Response {
        let page = try await load(request)
        _ = try await SitePageStore(sql: try request.sql, now: request.application.clock.now()).delete(id: page.id)
        return request.redirect(to: SiteURL.Routes.sitePagesAdmin.path, redirectType: .normal)
    }
}
