import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `/admin/vocabularies`: editors add, rename, merge and hide the terms items are classified
/// by, and see how many items carry each.
struct VocabularyPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.vocabularies, use: index)
        editors.get(SiteURL.Routes.vocabulary, use: terms)
        editors.post(SiteURL.Routes.vocabularyTerms, use: add)
        editors.post(SiteURL.Routes.termRename, use: rename)
        editors.post(SiteURL.Routes.termMerge, use: merge)
        editors.post(SiteURL.Routes.termVisibility, use: visibility)
        editors.post(SiteURL.Routes.termIcon, use: icon)
    }

    func index(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let counts = try await VocabularyStore(sql: try request.sql).counts()
        let rows: [HTML] = Vocabulary.managed.map { vocabulary in
            "<tr><td><a href=\"\(SiteURL.Routes.vocabulary.path(vocabulary.rawValue))\">\(context(vocabulary.labelKey))</a></td><td>\(String(counts[vocabulary.rawValue] ?? 0))</td></tr>"
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("vocabularies.title"))</h1>
        <p>\(context("vocabularies.lead"))</p>
        <table class="data-table"><thead><tr><th scope="col">\(context("vocabularies.vocabulary"))</th><th scope="col">\(context("vocabularies.termCount"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
        return Layout.page(context, title: context("vocabularies.title"), content: content)
    }

    func vocabulary(_ request: Request) throws -> Vocabulary {
        guard let raw = request.parameters.get("vocabulary"), let vocabulary = Vocabulary.managed.first(where: { $0.rawValue == raw }) else {
            throw Abort(.notFound)
        }
        return vocabulary
    }

    func terms(_ request: Request) async throws -> Response {
        try await page(request, vocabulary: try vocabulary(request), status: .ok)
    }

    func page(_ request: Request, vocabulary: Vocabulary, status: HTTPResponseStatus, problem: String? = nil, message: String? = nil,
              typed: String = "") async throws -> Response {
        let context = PageContext(request: request)
        let store = VocabularyStore(sql: try request.sql)
        let terms = try await store.terms(of: vocabulary)
        let csrf = FormBuilder.csrf(request.csrfToken)
        // Badges can show an icon: any image of the media library.
        let images: [(id: Int64, label: String)] = vocabulary == .recognition
            ? try await store.iconChoices().map { ($0.id, "\($0.fileName) – \($0.altText)") }
            : []
        let done = (try? request.query.get(String.self, at: "done")).flatMap { key in
            Localizer.hasText(for: L10nKey("vocabularies.done.\(key)")) ? context(L10nKey("vocabularies.done.\(key)")) : nil
        }
        let rows: [HTML] = terms.map { term in
            let id = String(term.id)
            let others: [HTML] = terms.filter { $0.id != term.id }.map { "<option value=\"\(String($0.id))\">\($0.name)</option>" }
            return """
            <tr><td>\(term.name)\(term.hidden ? " <span class=\"badge\">\(context("vocabularies.hidden"))</span>" : "" as HTML)</td>
            <td><code>\(term.slug)</code></td><td>\(String(term.items))</td>
            <td>
            <form method="post" action="\(SiteURL.Routes.termRename.path(vocabulary.rawValue, term.id))" class="inline-form">\(csrf)
            <label for="rename-\(id)" class="visually-hidden">\(context("vocabularies.newName", ["name": term.name]))</label>
            <input type="text" id="rename-\(id)" name="name" value="\(term.name)" maxlength="200" required>
            <button type="submit" class="secondary">\(context("vocabularies.rename"))</button></form>
            \(others.isEmpty ? "" as HTML : """
            <form method="post" action="\(SiteURL.Routes.termMerge.path(vocabulary.rawValue, term.id))" class="inline-form">\(csrf)
            <label for="merge-\(id)" class="visually-hidden">\(context("vocabularies.mergeInto", ["name": term.name]))</label>
            <select id="merge-\(id)" name="target">\(others)</select>
            <button type="submit" class="secondary">\(context("vocabularies.merge"))</button></form>
            """)
            \(vocabulary == .recognition ? """
            <form method="post" action="\(SiteURL.Routes.termIcon.path(vocabulary.rawValue, term.id))" class="inline-form">\(csrf)
            \(term.iconPath.map { "<img src=\"\($0)\" alt=\"\" width=\"24\" height=\"24\">" as HTML })
            <label for="icon-\(id)" class="visually-hidden">\(context("vocabularies.iconFor", ["name": term.name]))</label>
            <select id="icon-\(id)" name="media"><option value="">\(context("vocabularies.noIcon"))</option>\(images.map { image in
                "<option value=\"\(String(image.id))\"\(image.id == term.iconMediaID ? " selected" : "" as HTML)>\(image.label)</option>" as HTML
            })</select>
            <button type="submit" class="secondary">\(context("vocabularies.setIcon"))</button></form>
            """ as HTML : "")
            <form method="post" action="\(SiteURL.Routes.termVisibility.path(vocabulary.rawValue, term.id))" class="inline-form">\(csrf)
            <input type="hidden" name="hidden" value="\(term.hidden ? "no" : "yes")">
            <button type="submit" class="secondary">\(context(term.hidden ? "vocabularies.show" : "vocabularies.hide"))</button></form>
            </td></tr>
            """
        }
        let title = context(vocabulary.labelKey)
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.vocabularies.path)">\(context("vocabularies.title"))</a></p>
        <h1>\(title)</h1>
        \(AccountViews.notice(message ?? done))
        \(problem.map { "<div class=\"error-summary\" role=\"alert\"><p>\($0)</p></div>" as HTML })
        <p>\(context("vocabularies.termsLead"))</p>
        \(vocabulary == .synonyms ? "<p>\(context("vocabularies.synonymsHelp"))</p>" as HTML : "")
        <form method="post" action="\(SiteURL.Routes.vocabularyTerms.path(vocabulary.rawValue))" class="stacked-form">\(csrf)
        <div class="field"><label for="field-name">\(context("vocabularies.addLabel"))</label>
        <input type="text" id="field-name" name="name" value="\(typed)" maxlength="200" required></div>
        <button type="submit">\(context("vocabularies.add"))</button>
        </form>
        <table class="data-table"><caption>\(context("vocabularies.count", ["count": String(terms.count)]))</caption>
        <thead><tr><th scope="col">\(context("vocabularies.name"))</th><th scope="col">\(context("vocabularies.slug"))</th>
        <th scope="col">\(context("vocabularies.items"))</th><th scope="col">\(context("vocabularies.actions"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
        return Layout.page(context, title: title, content: content).htmlResponse(status: status)
    }

    static func message(_ problem: VocabularyStore.Problem, _ context: PageContext) -> String {
        switch problem {
        case .emptyName: context("vocabularies.error.empty")
        case .nameTaken: context("vocabularies.error.taken")
        case .sameTerm: context("vocabularies.error.same")
        case .notFound: context("vocabularies.error.notFound")
        }
    }

    /// Runs a change in a transaction with its audit entry; problems come back on the page.
    func change(_ request: Request, vocabulary: Vocabulary, done: String, typed: String = "",
                _ body: @escaping @Sendable (VocabularyStore, any SQLDatabase) async throws -> (target: String, before: [String: String]?, after: [String: String]?)) async throws -> Response {
        let context = PageContext(request: request)
        do {
            try await request.db.transaction { database in
                let sql = try database.sql
                let (target, before, after) = try await body(VocabularyStore(sql: sql), sql)
                try await request.audit(.termChanged, target: AuditEntry.Target(type: "term", id: vocabulary.rawValue, label: target),
                                        before: before, after: after, on: sql)
            }
        } catch let problem as VocabularyStore.Problem {
            if problem == .notFound { throw Abort(.notFound) }
            return try await page(request, vocabulary: vocabulary, status: problem == .nameTaken ? .conflict : .badRequest,
                                  problem: Self.message(problem, context), typed: typed)
        }
        return request.redirect(to: SiteURL.Routes.vocabulary.path(vocabulary.rawValue, query: [("done", done)]), redirectType: .normal)
    }

    func add(_ request: Request) async throws -> Response {
        let vocabulary = try vocabulary(request)
        let name = request.formValue("name")
        return try await change(request, vocabulary: vocabulary, done: "added", typed: name) { store, _ in
            _ = try await store.add(name, to: vocabulary)
            return (name, nil, ["name": name])
        }
    }

    func rename(_ request: Request) async throws -> Response {
        let vocabulary = try vocabulary(request)
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let name = request.formValue("name")
        return try await change(request, vocabulary: vocabulary, done: "renamed") { store, _ in
            let (before, after) = try await store.rename(id, in: vocabulary, to: name)
            return (after, ["name": before], ["name": after])
        }
    }

    func merge(_ request: Request) async throws -> Response {
        let vocabulary = try vocabulary(request)
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        guard let target = Int64(request.formValue("target")) else {
            return try await page(request, vocabulary: vocabulary, status: .badRequest, problem: Self.message(.sameTerm, PageContext(request: request)))
        }
        return try await change(request, vocabulary: vocabulary, done: "merged") { store, _ in
            let (from, to) = try await store.merge(id, into: target, in: vocabulary)
            return (to.name, ["name": from.name, "items": String(from.items)], ["merged_into": to.name])
        }
    }

    func icon(_ request: Request) async throws -> Response {
        let vocabulary = try vocabulary(request)
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let media = Int64(request.formValue("media"))
        return try await change(request, vocabulary: vocabulary, done: "icon") { store, _ in
            let term = try await store.setIcon(id, in: vocabulary, mediaID: media)
            return (term.name, ["icon": term.iconMediaID.map(String.init) ?? ""], ["icon": media.map(String.init) ?? ""])
        }
    }

    func visibility(_ request: Request) async throws -> Response {
        let vocabulary = try vocabulary(request)
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let hidden = request.formValue("hidden") == "yes"
        return try await change(request, vocabulary: vocabulary, done: hidden ? "hidden" : "shown") { store, _ in
            let term = try await store.setHidden(id, in: vocabulary, hidden: hidden)
            return (term.name, ["hidden": term.hidden ? "yes" : "no"], ["hidden": hidden ? "yes" : "no"])
        }
    }
}
