import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Editors open calls (title, description, audience, criteria, questionnaire version,
/// opening and deadline in a time zone, languages) and extend deadlines.
struct CallAdminPages: RouteCollection {
    static let labels: [String: L10nKey] = [
        "title": "call.form.title", "description": "call.form.description", "audience": "field.audience", "criteria": "field.criteria",
        "opens_at": "field.opens_at", "closes_at": "field.closes_at", "timezone": "field.timezone", "languages": "field.languages",
        "questionnaire": "call.form.questionnaire",
    ]

    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.callsAdmin, use: list)
        editors.get(SiteURL.Routes.callNew, use: newForm)
        editors.post(SiteURL.Routes.callNew, use: create)
        editors.get(SiteURL.Routes.callAdmin, use: show)
        editors.post(SiteURL.Routes.callExtend, use: extend)
    }

    func list(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let sql = try request.sql
        let calls = CallStore(sql: sql, now: context.now)
        let store = SubmissionStore(sql: sql, now: context.now)
        var entries: [HTML] = []
        for id in try await calls.newestItemIDs() {
            guard let call = try await calls.find(itemID: id) else { continue }
            let counts = try await store.counts(callItemID: id)
            let waiting = (counts[.submitted] ?? 0) + (counts[.inReview] ?? 0)
            entries.append("""
            <tr><td><a href="\(SiteURL.Routes.callAdmin.path(id))">\(call.title)</a></td>
            <td>\(context(L10nKey("call.phase.\(call.schedule.phase(at: context.now))")))</td>
            <td>\(context.moment(call.schedule.closesAt, in: call.timeZone))</td>
            <td><a href="\(SiteURL.Routes.reviewQueue.path(query: [("call", String(id))]))">\(String(waiting))</a></td></tr>
            """)
        }
        let content: HTML = """
        <h1>\(context("call.admin.title"))</h1>
        <p><a href="\(SiteURL.Routes.callNew.path)">\(context("call.admin.new"))</a></p>
        <table class="data-table"><thead><tr><th scope="col">\(context("call.form.title"))</th><th scope="col">\(context("account.field.status"))</th>
        <th scope="col">\(context("field.closes_at"))</th><th scope="col">\(context("call.admin.waiting"))</th></tr></thead>
        <tbody>\(entries)</tbody></table>
        """
        return Layout.page(context, title: context("call.admin.title"), content: content)
    }

    func newForm(_ request: Request) async throws -> Response {
        try await formPage(request, FormBuilder(PageContext(request: request), values: ["timezone": request.application.siteSettings.timeZone.identifier,
                                                                                         "languages": "en"]), status: .ok)
    }

    private func formPage(_ request: Request, _ form: FormBuilder, status: HTTPResponseStatus) async throws -> Response {
        let context = form.context
        let versions = try await CallStore(sql: try request.sql, now: context.now).questionnaireVersions()
        let zones = TimeZone.knownTimeZoneIdentifiers.sorted().map { ($0, $0) }
        let content: HTML = """
        <h1>\(context("call.admin.new"))</h1>
        \(form.summary(labels: Self.labels))
        <form method="post" action="\(SiteURL.Routes.callNew.path)" class="stacked-form" novalidate>
        \(FormBuilder.csrf(request.csrfToken))
        \(form.input("title", label: "call.form.title", required: true, maxLength: 200))
        \(form.textarea("description", label: "call.form.description", required: true, maxLength: 20_000))
        \(form.input("audience", label: "field.audience", hint: "call.form.audienceHint", maxLength: 200))
        \(form.textarea("criteria", label: "field.criteria", maxLength: 5_000, rows: 5))
        \(form.input("opens_at", label: "field.opens_at", type: "datetime-local", required: true))
        \(form.input("closes_at", label: "field.closes_at", type: "datetime-local", required: true))
        \(form.select("timezone", label: "field.timezone", options: zones, required: true))
        \(form.input("languages", label: "field.languages", hint: "call.form.languagesHint", maxLength: 100))
        \(form.select("questionnaire", label: "call.form.questionnaire", options: versions.map { ("\($0.key)@\($0.version)", "\($0.key), version \($0.version)") }, required: true))
        <p class="hint">\(context("call.form.acceptedAs"))</p>
        <button type="submit">\(context("call.admin.create"))</button>
        </form>
        """
        return Layout.page(context, title: context("call.admin.new"), content: content).htmlResponse(status: status)
    }

    func create(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let names = ["title", "description", "audience", "criteria", "opens_at", "closes_at", "timezone", "languages", "questionnaire"]
        var values: [String: String] = [:]
        for name in names { values[name] = request.formValue(name).trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = FormErrors()
        if values["title"]!.isEmpty { errors.add("title", "form.required") }
        if values["title"]!.count > 200 { errors.add("title", "form.tooLong") }
        if values["description"]!.isEmpty { errors.add("description", "form.required") }
        let zone = TimeZone(identifier: values["timezone"]!)
        if zone == nil { errors.add("timezone", "call.form.badZone") }
        var instants: [String: Int64] = [:]
        for name in ["opens_at", "closes_at"] {
            guard let zone else { break }
            do {
                instants[name] = try LocalDateTime.instant(values[name]!, in: zone)
            } catch LocalDateTime.Problem.skipped {
                errors.add(name, "call.form.skippedTime")
            } catch {
                errors.add(name, values[name]!.isEmpty ? "form.required" : "call.form.badTime")
            }
        }
        if let opens = instants["opens_at"], let closes = instants["closes_at"], closes <= opens { errors.add("closes_at", "call.form.closesBeforeOpens") }
        let versions = try await CallStore(sql: try request.sql, now: context.now).questionnaireVersions()
        let chosen = versions.first { "\($0.key)@\($0.version)" == values["questionnaire"] }
        if chosen == nil { errors.add("questionnaire", "call.form.badQuestionnaire") }
        let languages = values["languages"]!.split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).lowercased() }
        if languages.contains(where: { $0.count < 2 || $0.count > 3 || !$0.allSatisfy(\.isLetter) }) { errors.add("languages", "call.form.badLanguages") }
        guard errors.isEmpty, let zone, let opens = instants["opens_at"], let closes = instants["closes_at"], let chosen,
              let editor = request.signedIn
        else {
            return try await formPage(request, FormBuilder(context, errors: errors, values: values), status: .badRequest)
        }
        let now = request.application.clock.now()
        func moment(_ instant: Int64) -> FieldValue {
            .dateTime(ZonedTimestamp(secondsSince1970: instant, utcOffsetSeconds: zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))))
        }
        var fields: [String: FieldValue] = ["opens_at": moment(opens), "closes_at": moment(closes), "timezone": .text(zone.identifier)]
        if !values["audience"]!.isEmpty { fields["audience"] = .terms([values["audience"]!]) }
        let criteria = values["criteria"]!.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !criteria.isEmpty { fields["criteria"] = .texts(criteria) }
        if !languages.isEmpty { fields["languages"] = .texts(languages) }
        let title = values["title"]!, description = values["description"]!, record = fields
        let slug: String = try await request.db.transaction { database in
            let sql = try database.sql
            var store = ContentStore(sql: sql)
            let slug = try await store.availableSlug(for: title, type: .call)
            let item = ContentRecord(type: .call, title: title, slug: slug, body: description, status: .published,
                                     publishedAt: ZonedTimestamp(secondsSince1970: now), authors: [editor.name], fields: record)
            let outcome = try await store.save(item, now: now)
            try await store.finish()
            try await CallStore(sql: sql, now: now).setQuestionnaire(of: outcome.id, key: chosen.key, version: chosen.version)
            try await request.audit(.callCreated, target: AuditEntry.Target(type: "call", id: String(outcome.id), label: title),
                                    after: ["closes_at": MomentFormatter.rfc3339(closes, in: zone), "questionnaire": "\(chosen.key)@\(chosen.version)"], on: sql)
            return slug
        }
        return request.redirect(to: SiteURL.item(.call, slug: slug).path, redirectType: .normal)
    }

    func show(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        guard let id = request.parameters.get("id", as: Int64.self),
              let call = try await CallStore(sql: try request.sql, now: context.now).find(itemID: id)
        else { throw Abort(.notFound) }
        let extensions = try await CallStore(sql: try request.sql, now: context.now).extensions(of: id)
        let history: [HTML] = extensions.map {
            "<li>\(context.moment($0.at, in: context.settings.timeZone)) · \($0.actor): \(context.moment($0.from, in: call.timeZone)) → \(context.moment($0.to, in: call.timeZone))</li>"
        }
        let form = FormBuilder(context, values: ["closes_at": LocalDateTime.text(call.schedule.closesAt, in: call.timeZone)])
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.callsAdmin.path)">\(context("call.admin.title"))</a></p>
        <h1>\(call.title)</h1>
        <p><a href="\(SiteURL.item(.call, slug: call.slug).path)">\(context("call.admin.publicPage"))</a> ·
        <a href="\(SiteURL.Routes.reviewQueue.path(query: [("call", String(id))]))">\(context("submission.queue"))</a></p>
        <p>\(context("field.closes_at")): \(context.moment(call.schedule.closesAt, in: call.timeZone))</p>
        <h2>\(context("call.admin.extend"))</h2>
        <form method="post" action="\(SiteURL.Routes.callExtend.path(id))" class="stacked-form">
        \(FormBuilder.csrf(request.csrfToken))
        \(form.input("closes_at", label: "call.admin.newDeadline", type: "datetime-local", required: true, hint: "call.admin.inZone"))
        <button type="submit">\(context("call.admin.extendSubmit"))</button>
        </form>
        \(history.isEmpty ? "" : "<h2>\(context("call.admin.extensions"))</h2><ul>\(history)</ul>" as HTML)
        """
        return Layout.page(context, title: call.title, content: content)
    }

    func extend(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let editor = request.signedIn, let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let now = request.application.clock.now()
        guard let call = try await CallStore(sql: try request.sql, now: now).find(itemID: id) else { throw Abort(.notFound) }
        let closes: Int64
        do {
            closes = try LocalDateTime.instant(request.formValue("closes_at"), in: call.timeZone)
        } catch {
            throw Abort(.badRequest, reason: context("call.form.badTime"))
        }
        guard closes > call.schedule.closesAt else { throw Abort(.badRequest, reason: context("call.admin.notLater")) }
        try await request.db.transaction { database in
            let sql = try database.sql
            try await CallStore(sql: sql, now: now).extend(call, to: closes, actorID: editor.accountID, actorLabel: editor.name)
            try await request.audit(.callExtended, target: AuditEntry.Target(type: "call", id: String(id), label: call.title),
                                    before: ["closes_at": MomentFormatter.rfc3339(call.schedule.closesAt, in: call.timeZone)],
                                    after: ["closes_at": MomentFormatter.rfc3339(closes, in: call.timeZone)], on: sql)
        }
        return request.redirect(to: SiteURL.Routes.callAdmin.path(id), redirectType: .normal)
    }
}
