import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The editors' content area: every item of every type listed with search, filters and
/// counts; one form to write or edit any type (Markdown body with a preview, publishing
/// state and time in the editor's time zone, authors, terms, structured fields); the
/// history of each item with a readable comparison of any two versions and restore.
struct EditorialPages: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.contentList, use: list)
        editors.get(SiteURL.Routes.contentNew, use: newForm)
        editors.post(SiteURL.Routes.contentNew, use: create)
        editors.get(SiteURL.Routes.contentItem, use: editForm)
        editors.post(SiteURL.Routes.contentItem, use: update)
        editors.get(SiteURL.Routes.contentHistory, use: history)
        editors.get(SiteURL.Routes.contentCompare, use: compare)
        editors.post(SiteURL.Routes.contentRestore, use: restore)
    }

    // MARK: The list

    func list(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let sql = try request.sql
        let type = try (request.query.get(String?.self, at: "type")).flatMap { $0.isEmpty ? nil : $0 }.map { raw in
            guard let type = ContentType(rawValue: raw) else { throw Abort(.badRequest, reason: context("editor.error.type")) }
            return type
        }
        let status = try (request.query.get(String?.self, at: "status")).flatMap { $0.isEmpty ? nil : $0 }.map { raw in
            guard let status = WorkflowStatus(rawValue: raw) else { throw Abort(.badRequest, reason: context("editor.error.status")) }
            return status
        }
        let search = ((try? request.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespaces).prefix(200)
        let page = request.lenientPage

        let listed = try await EditorialStore(sql: sql).list(type: type, status: status, search: String(search), page: page, pageSize: Self.pageSize)

        func link(type: ContentType?, status: WorkflowStatus?, page: Int = 1) -> String {
            var pairs: [(String, String)] = []
            if let type { pairs.append(("type", type.rawValue)) }
            if let status { pairs.append(("status", status.rawValue)) }
            if !search.isEmpty { pairs.append(("q", String(search))) }
            if page > 1 { pairs.append(("page", String(page))) }
            return SiteURL.Routes.contentList.path(query: pairs)
        }
        func allLink(_ label: String, current: Bool, href: String, count: Int) -> HTML {
            current ? "<li><strong aria-current=\"true\">\(label)</strong> (\(count))</li>" : "<li><a href=\"\(href)\">\(label)</a> (\(count))</li>"
        }
        let typeLinks: [HTML] = [allLink(context("editor.allTypes"), current: type == nil, href: link(type: nil, status: status),
                                         count: listed.typeCounts.values.reduce(0, +))]
            + ContentType.allCases.map { candidate in
                let label = context(candidate.pluralKey)
                let count = listed.typeCounts[candidate.rawValue] ?? 0
                return candidate == type ? "<li><strong aria-current=\"true\">\(label)</strong> (\(count))</li>"
                    : "<li><a href=\"\(link(type: candidate, status: status))\">\(label)</a> (\(count))</li>"
            }
        let statusLinks: [HTML] = [allLink(context("editor.allStatuses"), current: status == nil, href: link(type: type, status: nil),
                                           count: listed.statusCounts.values.reduce(0, +))]
            + WorkflowStatus.allCases.map { candidate in
                let label = context(L10nKey("editor.status.\(candidate.rawValue)"))
                let count = listed.statusCounts[candidate.rawValue] ?? 0
                return candidate == status ? "<li><strong aria-current=\"true\">\(label)</strong> (\(count))</li>"
                    : "<li><a href=\"\(link(type: type, status: candidate))\">\(label)</a> (\(count))</li>"
            }
        let zone = context.settings.timeZone
        var tableRows: [HTML] = []
        for entry in listed.entries {
            tableRows.append("""
            <tr><td><a href="\(SiteURL.Routes.contentItem.path(entry.id))">\(entry.title)</a></td>
            <td>\(context(entry.type.singularKey))</td>
            <td>\(Self.statusText(entry.status, published: entry.publishedAt, context))</td>
            <td>\(context.moment(entry.updatedAt, in: zone))</td></tr>
            """)
        }
        let pages = PageNumber.count(total: listed.total, pageSize: Self.pageSize)
        let newLinks: [HTML] = ContentType.allCases.map { "<li><a href=\"\(SiteURL.Routes.contentNew.path(query: [("type", $0.rawValue)]))\">\(context($0.singularKey))</a></li>" }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("editor.title"))</h1>
        <details class="new-item"><summary>\(context("editor.new"))</summary><ul class="inline-list">\(newLinks)</ul></details>
        <form method="get" action="\(SiteURL.Routes.contentList.path)" class="search-form" role="search">
        \(type.map { "<input type=\"hidden\" name=\"type\" value=\"\($0.rawValue)\">" as HTML })
        \(status.map { "<input type=\"hidden\" name=\"status\" value=\"\($0.rawValue)\">" as HTML })
        <label for="content-q">\(context("editor.search"))</label>
        <input type="search" id="content-q" name="q" value="\(String(search))" maxlength="200">
        <button type="submit">\(context("search.title"))</button>
        </form>
        <div class="editor-filters">
        <nav aria-label="\(context("editor.byType"))"><h2>\(context("editor.byType"))</h2><ul>\(typeLinks)</ul></nav>
        <nav aria-label="\(context("editor.byStatus"))"><h2>\(context("editor.byStatus"))</h2><ul>\(statusLinks)</ul></nav>
        </div>
        <p>\(context("editor.count", ["count": String(listed.total)]))</p>
        \(tableRows.isEmpty ? "<p>\(context("editor.none"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("editor.field.title"))</th><th scope="col">\(context("editor.type"))</th>
        <th scope="col">\(context("editor.field.status"))</th><th scope="col">\(context("editor.updated"))</th></tr></thead>
        <tbody>\(tableRows)</tbody></table>
        """)
        \(pages > 1 ? Layout.pager(current: page, count: pages, context) { link(type: type, status: status, page: $0) } : "")
        """
        return Layout.page(context, title: context("editor.title"), content: content)
    }

    static func statusText(_ status: WorkflowStatus, published: Int64?, _ context: PageContext) -> HTML {
        let label = context(L10nKey("editor.status.\(status.rawValue)"))
        guard status == .scheduled, let published else { return "\(label)" }
        let when = context.moment(published, in: context.settings.timeZone)
        return published > context.now ? "\(label): \(when)" : "\(context("editor.status.published")) (\(context("editor.scheduledPassed"))) \(when)"
    }

    // MARK: The form

    func newForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let raw = try? request.query.get(String.self, at: "type"), let type = ContentType(rawValue: raw) else {
            throw Abort(.badRequest, reason: context("editor.error.type"))
        }
        let values = EditorForm.values(of: ContentRecord(type: type, title: "", status: .draft), zone: context.settings.timeZone)
        return try await formPage(request, type: type, itemID: nil, form: FormBuilder(context, values: values), status: .ok)
    }

    func editForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let stored = try await loadItem(request)
        var values = EditorForm.values(of: stored.record, zone: context.settings.timeZone)
        values["revision"] = String(try await Revisions(sql: try request.sql, now: context.now).latestNumber(itemID: stored.id))
        var message: String?
        if let done = try? request.query.get(String.self, at: "done"), Localizer.hasText(for: L10nKey("editor.done.\(done)")) {
            message = context(L10nKey("editor.done.\(done)"))
        }
        return try await formPage(request, type: stored.record.type, itemID: stored.id, form: FormBuilder(context, values: values),
                                  status: .ok, published: stored.record.status.isPublicOnceDue ? stored.record.slug : nil, message: message)
    }

    func loadItem(_ request: Request) async throws -> ItemRecords.Stored {
        guard let id = request.parameters.get("id", as: Int64.self), let stored = try await ItemRecords(sql: try request.sql).find(id: id) else {
            throw Abort(.notFound)
        }
        return stored
    }

    func formPage(_ request: Request, type: ContentType, itemID: Int64?, form: FormBuilder, status: HTTPResponseStatus,
                  published: String? = nil, preview: String? = nil, message: String? = nil) async throws -> Response {
        let context = PageContext(request: request)
        let action = itemID.map { SiteURL.Routes.contentItem.path($0) } ?? SiteURL.Routes.contentNew.path(query: [("type", type.rawValue)])
        let title = itemID == nil ? context("editor.newTitle", ["type": context(type.singularKey)]) : context("editor.editTitle", ["title": form.values["title"] ?? ""])
        let links: HTML = itemID.map { id in
            """
            <ul class="inline-list"><li><a href="\(SiteURL.Routes.contentHistory.path(id))">\(context("editor.history"))</a></li>
            \(published.map { "<li><a href=\"\(SiteURL.item(type, slug: $0).path)\">\(context("editor.viewPublic"))</a></li>" as HTML })</ul>
            """
        } ?? ""
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.contentList.path)">\(context("editor.title"))</a></p>
        <h1>\(title)</h1>
        \(links)
        \(AccountViews.notice(message))
        \(form.summary(labels: EditorForm.labels(for: type)))
        <form method="post" action="\(action)" class="stacked-form editor-form">
        \(FormBuilder.csrf(request.csrfToken))
        \(itemID == nil ? "" as HTML : "<input type=\"hidden\" name=\"revision\" value=\"\(form.values["revision"] ?? "0")\">")
        \(EditorForm.fields(type: type, form: form, context: context, slugWarning: published != nil))
        <div class="form-actions">
        <button type="submit" name="action" value="save">\(context("editor.save"))</button>
        <button type="submit" name="action" value="preview" class="secondary">\(context("editor.preview"))</button>
        </div>
        </form>
        \(preview.map { html in
            """
            <section class="editor-preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">\(context("editor.previewTitle"))</h2>
            <div class="body">\(HTML.trusted(html))</div>
            </section>
            """ as HTML
        })
        """
        return Layout.page(context, title: title, content: content).htmlResponse(status: status)
    }

    func create(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let raw = try? request.query.get(String.self, at: "type"), let type = ContentType(rawValue: raw) else {
            throw Abort(.badRequest, reason: context("editor.error.type"))
        }
        return try await submit(request, type: type, itemID: nil, published: nil)
    }

    func update(_ request: Request) async throws -> Response {
        let stored = try await loadItem(request)
        return try await submit(request, type: stored.record.type, itemID: stored.id,
                                published: stored.record.status.isPublicOnceDue ? stored.record.slug : nil, previous: stored.record)
    }

    /// Saves (or previews) what the form holds; every problem comes back with everything typed.
    func submit(_ request: Request, type: ContentType, itemID: Int64?, published: String?, previous: ContentRecord? = nil) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let pairs = SubmissionPages.formPairs(request)
        let values = EditorForm.posted(pairs)
        let now = request.application.clock.now()
        let parsed = EditorForm.record(type: type, values: values, now: now, defaultZone: context.settings.timeZone)
        if values["action"] == "preview" {
            return try await formPage(request, type: type, itemID: itemID, form: FormBuilder(context, values: values), status: .ok,
                                      published: published, preview: try await ImageCopies.html(of: values["body"] ?? "", try request.sql))
        }
        var record: ContentRecord
        switch parsed {
        case .failure(let errors):
            return try await formPage(request, type: type, itemID: itemID, form: FormBuilder(context, errors: errors, values: values),
                                      status: .badRequest, published: published)
        case .success(let made):
            record = made
        }
        // The form shows times to the minute: an unchanged time keeps its seconds and offset.
        if let before = previous?.publishedAt, let after = record.publishedAt, let zone = TimeZone(identifier: values["timezone"] ?? ""),
           LocalDateTime.text(before.secondsSince1970, in: zone) == LocalDateTime.text(after.secondsSince1970, in: zone) {
            record.publishedAt = before
        }
        if itemID == nil, values["slug"]?.isEmpty ?? true {
            record.slug = try await ContentStore(sql: try request.sql).availableSlug(for: record.title, type: type)
        }
        let saved = record
        let baseRevision = Int(values["revision"] ?? "")
        do {
            let id: Int64 = try await request.db.transaction { database in
                let revisions = Revisions(sql: try database.sql, now: now)
                // Two editors on one item: the second save is refused, never silently on top.
                if let itemID { try await revisions.expect(itemID: itemID, atRevision: baseRevision ?? 0) }
                return try await revisions.save(saved, itemID: itemID, actorID: signedIn.accountID, actorLabel: signedIn.name, note: nil)
            }
            let done = published != nil && published != saved.slug ? "slug-moved" : "saved"
            return request.redirect(to: SiteURL.Routes.contentItem.path(id, query: [("done", done)]), redirectType: .normal)
        } catch Revisions.SaveError.changedMeanwhile(let latest) {
            // The form now carries the latest revision: saving again keeps what was typed.
            var kept = values
            kept["revision"] = String(latest)
            return try await formPage(request, type: type, itemID: itemID, form: FormBuilder(context, values: kept), status: .conflict,
                                      published: published, message: context("editor.error.changedMeanwhile"))
        } catch Revisions.SaveError.slugTaken(let slug) {
            var errors = FormErrors()
            errors.add("slug", "editor.error.slugTaken")
            _ = slug
            return try await formPage(request, type: type, itemID: itemID, form: FormBuilder(context, errors: errors, values: values),
                                      status: .conflict, published: published)
        }
    }

    // MARK: History

    func history(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let stored = try await loadItem(request)
        let revisions = try await Revisions(sql: try request.sql, now: context.now).list(itemID: stored.id)
        let zone = context.settings.timeZone
        let rows: [HTML] = revisions.enumerated().map { index, revision in
            let number = String(revision.number)
            let note: String = switch revision.note {
            case "before-first-edit"?: context("editor.note.beforeFirstEdit")
            case "award"?: context("editor.note.award")
            case let text? where text.hasPrefix("restored:"): context("editor.note.restored", ["number": String(text.dropFirst("restored:".count))])
            default: ""
            }
            return """
            <tr><td><input type="radio" name="from" value="\(number)" id="from-\(number)" aria-label="\(context("editor.compareFrom", ["number": number]))"\(index == 1 ? " checked" : "" as HTML)></td>
            <td><input type="radio" name="to" value="\(number)" id="to-\(number)" aria-label="\(context("editor.compareTo", ["number": number]))"\(index == 0 ? " checked" : "" as HTML)></td>
            <td>\(number)</td><td>\(context.moment(revision.createdAt, in: zone))</td><td>\(revision.actorLabel.isEmpty ? "—" : revision.actorLabel)</td>
            <td>\(context(L10nKey("editor.status.\(revision.record.status.rawValue)")))</td><td>\(note)</td></tr>
            """
        }
        let restoreForms: [HTML] = revisions.dropFirst().map { revision in
            """
            <li><form method="post" action="\(SiteURL.Routes.contentRestore.path(stored.id, revision.number))">\(FormBuilder.csrf(request.csrfToken))
            <button type="submit" class="secondary">\(context("editor.restore", ["number": String(revision.number)]))</button></form></li>
            """
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.contentList.path)">\(context("editor.title"))</a> › <a href="\(SiteURL.Routes.contentItem.path(stored.id))">\(stored.record.title)</a></p>
        <h1>\(context("editor.historyTitle", ["title": stored.record.title]))</h1>
        \(revisions.isEmpty ? "<p>\(context("editor.noRevisions"))</p>" as HTML : """
        <form method="get" action="\(SiteURL.Routes.contentCompare.path(stored.id))">
        <table class="data-table"><caption>\(context("editor.revisions"))</caption><thead><tr><th scope="col">\(context("editor.from"))</th>
        <th scope="col">\(context("editor.to"))</th><th scope="col">\(context("editor.revision"))</th><th scope="col">\(context("editor.when"))</th>
        <th scope="col">\(context("editor.by"))</th><th scope="col">\(context("editor.field.status"))</th><th scope="col">\(context("editor.note"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        <button type="submit">\(context("editor.compare"))</button>
        </form>
        <h2>\(context("editor.restoreTitle"))</h2>
        <p>\(context("editor.restoreHint"))</p>
        <ul class="inline-list">\(restoreForms)</ul>
        """)
        """
        return Layout.page(context, title: context("editor.historyTitle", ["title": stored.record.title]), content: content)
    }

    func compare(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let stored = try await loadItem(request)
        let revisions = Revisions(sql: try request.sql, now: context.now)
        guard let from = try? request.query.get(Int.self, at: "from"), let to = try? request.query.get(Int.self, at: "to") else {
            throw Abort(.badRequest, reason: context("editor.error.compare"))
        }
        guard let old = try await revisions.find(itemID: stored.id, number: from), let new = try await revisions.find(itemID: stored.id, number: to) else {
            throw Abort(.notFound, reason: context("editor.error.noRevision"))
        }
        let diff = RevisionDiff(from: old.record, to: new.record)
        let labels = EditorForm.diffLabels(for: stored.record.type)
        let rows: [HTML] = diff.changes.map { change in
            let label = labels[change.key].map { context($0) } ?? change.key
            if let words = change.words {
                let pieces: [HTML] = words.map { piece in
                    switch piece {
                    case .same(let text): "\(text)"
                    case .removed(let text): "<del>\(text)</del>"
                    case .added(let text): "<ins>\(text)</ins>"
                    }
                }
                return "<tr><th scope=\"row\">\(label)</th><td colspan=\"2\" class=\"word-diff\">\(pieces)</td></tr>"
            }
            return """
            <tr><th scope="row">\(label)</th><td><del>\(change.before.isEmpty ? "—" : change.before)</del></td>
            <td><ins>\(change.after.isEmpty ? "—" : change.after)</ins></td></tr>
            """
        }
        let title = context("editor.compareTitle", ["from": String(from), "to": String(to)])
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.contentList.path)">\(context("editor.title"))</a> › <a href="\(SiteURL.Routes.contentItem.path(stored.id))">\(stored.record.title)</a> › <a href="\(SiteURL.Routes.contentHistory.path(stored.id))">\(context("editor.history"))</a></p>
        <h1>\(title)</h1>
        <p>\(context("editor.compareLead", ["count": String(diff.changes.count)]))</p>
        \(rows.isEmpty ? "" as HTML : """
        <table class="data-table diff-table"><caption>\(title)</caption><thead><tr><th scope="col">\(context("editor.changedField"))</th>
        <th scope="col">\(context("editor.revisionNumber", ["number": String(from)]))</th><th scope="col">\(context("editor.revisionNumber", ["number": String(to)]))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: title, content: content)
    }

    func restore(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let stored = try await loadItem(request)
        let now = request.application.clock.now()
        guard let number = request.parameters.get("number", as: Int.self),
              let revision = try await Revisions(sql: try request.sql, now: now).find(itemID: stored.id, number: number)
        else { throw Abort(.notFound, reason: context("editor.error.noRevision")) }
        do {
            _ = try await request.db.transaction { database in
                try await Revisions(sql: try database.sql, now: now)
                    .save(revision.record, itemID: stored.id, actorID: signedIn.accountID, actorLabel: signedIn.name, note: "restored:\(number)")
            }
        } catch Revisions.SaveError.slugTaken {
            throw Abort(.conflict, reason: context("editor.error.slugTaken"))
        }
        return request.redirect(to: SiteURL.Routes.contentItem.path(stored.id, query: [("done", "restored")]), redirectType: .normal)
    }
}
