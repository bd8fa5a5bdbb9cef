import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Award programmes: a public page per programme and year (winners and shortlisted cases by
/// category), and for editors the programmes, their categories and each year's results.
/// Shortlisting or making a case a winner gives it the programme's recognition badge for that
/// year, which the case library facets on; removing the result takes the badge away.
struct AwardPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.awards, use: index)
        everyone.get(SiteURL.Routes.awardProgramme, use: programme)
        everyone.get(SiteURL.Routes.awardYear, use: year)

        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.awardsAdmin, use: adminIndex)
        editors.post(SiteURL.Routes.awardsAdmin, use: create)
        editors.get(SiteURL.Routes.awardAdmin, use: adminProgramme)
        editors.post(SiteURL.Routes.awardEntries, use: addEntry)
        editors.post(SiteURL.Routes.awardEntryDelete, use: removeEntry)
    }

    // MARK: Public pages

    func index(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let store = AwardStore(sql: try request.sql, now: context.now)
        var items: [HTML] = []
        for programme in try await store.programmes() {
            let years: [HTML] = try await store.years(programme.id).map { "<a href=\"\(SiteURL.Routes.awardYear.path(programme.slug, $0))\">\(String($0))</a>" }
            items.append("<li><a href=\"\(SiteURL.Routes.awardProgramme.path(programme.slug))\">\(programme.name)</a>\(years.isEmpty ? "" as HTML : ": \(years.joined(separator: ", "))")</li>")
        }
        let content: HTML = """
        <h1>\(context("award.title"))</h1>
        \(items.isEmpty ? "<p>\(context("award.none"))</p>" as HTML : "<ul>\(items)</ul>")
        """
        return Layout.page(context, title: context("award.title"), content: content)
    }

    func loadProgramme(_ request: Request) async throws -> AwardStore.Programme {
        guard let slug = request.parameters.get("programme"),
              let programme = try await AwardStore(sql: try request.sql, now: request.application.clock.now()).programme(slug: slug)
        else { throw Abort(.notFound) }
        return programme
    }

    func programme(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let programme = try await loadProgramme(request)
        let years: [HTML] = try await AwardStore(sql: try request.sql, now: context.now).years(programme.id)
            .map { "<li><a href=\"\(SiteURL.Routes.awardYear.path(programme.slug, $0))\">\(context("award.yearLink", ["name": programme.name, "year": String($0)]))</a></li>" }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.awards.path)">\(context("award.title"))</a></p>
        <h1>\(programme.name)</h1>
        <div class="body">\(HTML.trusted(Markdown.html(from: programme.description)))</div>
        <h2>\(context("award.categories"))</h2>
        <ul>\(programme.categories.map { "<li>\($0.name)</li>" as HTML })</ul>
        <h2>\(context("award.years"))</h2>
        \(years.isEmpty ? "<p>\(context("award.noYears"))</p>" as HTML : "<ul>\(years)</ul>")
        """
        return Layout.page(context, title: programme.name, content: content)
    }

    func year(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let programme = try await loadProgramme(request)
        guard let year = request.parameters.get("year", as: Int.self) else { throw Abort(.notFound) }
        let entries = try await AwardStore(sql: try request.sql, now: context.now).entries(programme.id, year: year).filter(\.isPublic)
        guard !entries.isEmpty else { throw Abort(.notFound) }
        let sections: [HTML] = programme.categories.compactMap { category in
            let inCategory = entries.filter { $0.categoryID == category.id }
            guard !inCategory.isEmpty else { return nil }
            let lists: [HTML] = AwardResult.allCases.reversed().compactMap { result in
                let cases = inCategory.filter { $0.result == result }
                guard !cases.isEmpty else { return nil }
                let links: [HTML] = cases.map { "<li><a href=\"\(SiteURL.item(.caseStudy, slug: $0.slug).path)\">\($0.title)</a></li>" }
                return "<h3>\(context(L10nKey("award.resultPlural.\(result.rawValue)")))</h3><ul>\(links)</ul>"
            }
            return "<section><h2>\(category.name)</h2>\(lists)</section>"
        }
        let title = context("award.yearLink", ["name": programme.name, "year": String(year)])
        let badge = AwardResult.badge(programme: programme.name, year: year, result: .winner, resultName: context(AwardResult.winner.nameKey))
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.awards.path)">\(context("award.title"))</a> › <a href="\(SiteURL.Routes.awardProgramme.path(programme.slug))">\(programme.name)</a></p>
        <h1>\(title)</h1>
        \(sections)
        <p><a href="\(SiteURL.cases(CaseQuery().toggling(.recognition, Slug.make(from: badge))).path)">\(context("award.inLibrary"))</a></p>
        """
        return Layout.page(context, title: title, content: content)
    }

    // MARK: Editors

    func adminIndex(_ request: Request) async throws -> Response {
        try await adminIndexPage(request, form: FormBuilder(PageContext(request: request)), status: .ok)
    }

    func adminIndexPage(_ request: Request, form: FormBuilder, status: HTTPResponseStatus) async throws -> Response {
        let context = form.context
        let programmes: [HTML] = try await AwardStore(sql: try request.sql, now: context.now).programmes()
            .map { "<li><a href=\"\(SiteURL.Routes.awardAdmin.path($0.id))\">\($0.name)</a> (\(String($0.categories.count)) \(context("award.categoryCount")))</li>" }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("award.adminTitle"))</h1>
        \(programmes.isEmpty ? "<p>\(context("award.none"))</p>" as HTML : "<ul>\(programmes)</ul>")
        <h2>\(context("award.new"))</h2>
        \(form.summary(labels: ["name": "award.field.name", "categories": "award.field.categories"]))
        <form method="post" action="\(SiteURL.Routes.awardsAdmin.path)" class="stacked-form">\(FormBuilder.csrf(request.csrfToken))
        \(form.input("name", label: "award.field.name", required: true, hint: "award.nameHint", maxLength: 200))
        \(form.textarea("description", label: "award.field.description", maxLength: 5_000, rows: 4))
        \(EditorForm.textarea(form, "categories", label: "award.field.categories", hint: "editor.onePerLine", rows: 4, required: true))
        <button type="submit">\(context("award.create"))</button>
        </form>
        """
        return Layout.page(context, title: context("award.adminTitle"), content: content).htmlResponse(status: status)
    }

    func create(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let values = ["name": request.formValue("name"), "description": request.formValue("description"), "categories": request.formValue("categories")]
        var errors = FormErrors()
        do {
            let id = try await AwardStore(sql: try request.sql, now: context.now)
                .create(name: values["name"]!, description: values["description"]!, categories: EditorForm.lines(values["categories"]))
            return request.redirect(to: SiteURL.Routes.awardAdmin.path(id), redirectType: .normal)
        } catch AwardStore.Problem.emptyName {
            errors.add("name", "form.required")
        } catch AwardStore.Problem.nameTaken {
            errors.add("name", "award.error.taken")
        } catch AwardStore.Problem.noCategories {
            errors.add("categories", "award.error.categories")
        }
        return try await adminIndexPage(request, form: FormBuilder(context, errors: errors, values: values), status: .badRequest)
    }

    func loadAdminProgramme(_ request: Request) async throws -> AwardStore.Programme {
        guard let id = request.parameters.get("id", as: Int64.self),
              let programme = try await AwardStore(sql: try request.sql, now: request.application.clock.now()).programme(id: id)
        else { throw Abort(.notFound) }
        return programme
    }

    func adminProgramme(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let year = Calendar(identifier: .gregorian).component(.year, from: Date(timeIntervalSince1970: TimeInterval(context.now)))
        return try await adminProgrammePage(request, try await loadAdminProgramme(request),
                                            form: FormBuilder(context, values: ["year": String(year), "result": "shortlisted"]), status: .ok)
    }

    func adminProgrammePage(_ request: Request, _ programme: AwardStore.Programme, form: FormBuilder, status: HTTPResponseStatus) async throws -> Response {
        let context = form.context
        let csrf = FormBuilder.csrf(request.csrfToken)
        let rows: [HTML] = try await AwardStore(sql: try request.sql, now: context.now).entries(programme.id).map { entry in
            """
            <tr><td>\(String(entry.year))</td><td>\(entry.categoryName)</td><td><a href="\(SiteURL.item(.caseStudy, slug: entry.slug).path)">\(entry.title)</a></td>
            <td>\(context(entry.result.nameKey))</td>
            <td><form method="post" action="\(SiteURL.Routes.awardEntryDelete.path(programme.id, entry.id))">\(csrf)
            <button type="submit" class="secondary" aria-label="\(context("award.removeNamed", ["title": entry.title]))">\(context("award.remove"))</button></form></td></tr>
            """
        }
        let categories = programme.categories.map { (value: String($0.id), label: $0.name) }
        let results = AwardResult.allCases.map { (value: $0.rawValue, label: context($0.nameKey)) }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.awardsAdmin.path)">\(context("award.adminTitle"))</a></p>
        <h1>\(programme.name)</h1>
        <p><a href="\(SiteURL.Routes.awardProgramme.path(programme.slug))">\(context("editor.viewPublic"))</a></p>
        \((try? request.query.get(String.self, at: "done")) == "badge" ? AccountViews.notice(context("award.done")) : "")
        <h2>\(context("award.addTitle"))</h2>
        <p>\(context("award.addLead"))</p>
        \(form.summary(labels: ["year": "award.field.year", "case": "award.field.case", "category": "award.field.category"]))
        <form method="post" action="\(SiteURL.Routes.awardEntries.path(programme.id))" class="stacked-form">\(csrf)
        \(form.input("year", label: "award.field.year", type: "number", required: true))
        \(form.select("category", label: "award.field.category", options: categories, required: true))
        \(form.input("case", label: "award.field.case", required: true, hint: "award.caseHint", maxLength: 200))
        \(form.select("result", label: "award.field.result", options: results, required: true))
        <button type="submit">\(context("award.add"))</button>
        </form>
        <h2>\(context("award.results"))</h2>
        \(rows.isEmpty ? "<p>\(context("award.noYears"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("award.field.year"))</th><th scope="col">\(context("award.field.category"))</th>
        <th scope="col">\(context("award.field.case"))</th><th scope="col">\(context("award.field.result"))</th><th scope="col"><span class="visually-hidden">\(context("vocabularies.actions"))</span></th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: programme.name, content: content).htmlResponse(status: status)
    }

    func addEntry(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let programme = try await loadAdminProgramme(request)
        let values = ["year": request.formValue("year"), "category": request.formValue("category"), "case": request.formValue("case"),
                      "result": request.formValue("result")]
        var errors = FormErrors()
        let year = Int(values["year"]!)
        if year == nil { errors.add("year", "award.error.year") }
        let category = Int64(values["category"]!)
        if category == nil { errors.add("category", "award.error.category") }
        let result = AwardResult(rawValue: values["result"]!) ?? .shortlisted
        // The address of a case page or its slug.
        let slug = values["case"]!.split(separator: "/").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        if slug.isEmpty { errors.add("case", "form.required") }
        if errors.isEmpty, let year, let category {
            do {
                let now = context.now
                try await request.db.transaction { database in
                    let store = AwardStore(sql: try database.sql, now: now)
                    let item = try await store.caseID(slug: slug)
                    try await Self.changeResults(of: item, store: store, signedIn: signedIn, context: context) {
                        try await store.addEntry(programmeID: programme.id, categoryID: category, year: year, itemID: item, result: result)
                    }
                }
                return request.redirect(to: SiteURL.Routes.awardAdmin.path(programme.id, query: [("done", "badge")]), redirectType: .normal)
            } catch AwardStore.Problem.noSuchCase {
                errors.add("case", "award.error.case")
            } catch AwardStore.Problem.badYear {
                errors.add("year", "award.error.year")
            } catch AwardStore.Problem.duplicate {
                errors.add("case", "award.error.duplicate")
            } catch AwardStore.Problem.noCategories {
                errors.add("category", "award.error.category")
            }
        }
        return try await adminProgrammePage(request, programme, form: FormBuilder(context, errors: errors, values: values), status: .badRequest)
    }

    func removeEntry(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn, let entryID = request.parameters.get("entry", as: Int64.self) else { throw Abort(.notFound) }
        let programme = try await loadAdminProgramme(request)
        let now = context.now
        let removed: Bool = try await request.db.transaction { database in
            let store = AwardStore(sql: try database.sql, now: now)
            guard let item = try await store.itemID(ofEntry: entryID, programmeID: programme.id) else { return false }
            try await Self.changeResults(of: item, store: store, signedIn: signedIn, context: context) {
                _ = try await store.removeEntry(entryID, programmeID: programme.id)
            }
            return true
        }
        guard removed else { throw Abort(.notFound) }
        return request.redirect(to: SiteURL.Routes.awardAdmin.path(programme.id, query: [("done", "badge")]), redirectType: .normal)
    }

    /// Changes a case's results with `change` and gives the case the badges of its results.
    static func changeResults(of item: Int64, store: AwardStore, signedIn: SignedIn, context: PageContext,
                              _ change: () async throws -> Void) async throws {
        let names: @Sendable (AwardResult) -> String = { context($0.nameKey) }
        let before = try await store.badges(itemID: item, resultNames: names)
        try await change()
        try await applyBadges(itemID: item, before: before, after: try await store.badges(itemID: item, resultNames: names),
                              signedIn: signedIn, now: store.now, sql: store.sql)
    }

    /// Gives the case the badges of its results: those of the change's `before` are replaced
    /// by those of `after`, other recognition the case has stays. Saved as an edit of the case
    /// (a new version), so search, listings, facets and the open data follow at once.
    static func applyBadges(itemID: Int64, before: Set<String>, after: Set<String>, signedIn: SignedIn, now: Int64, sql: any SQLDatabase) async throws {
        guard before != after, let stored = try await ItemRecords(sql: sql).find(id: itemID) else { return }
        var record = stored.record
        var names: [String] = []
        if case .terms(let existing)? = record.fields["recognition"] { names = existing }
        names = names.filter { !before.contains($0) }
        for badge in after.sorted() where !names.contains(badge) { names.append(badge) }
        record.fields["recognition"] = names.isEmpty ? nil : .terms(names)
        _ = try await Revisions(sql: sql, now: now).save(record, itemID: itemID, actorID: signedIn.accountID, actorLabel: signedIn.name, note: "award")
    }
}
