import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The newsletter for readers (subscribe, confirm, unsubscribe) and for editors (write an
/// issue from recent items, preview it, test it, send it in batches and follow the progress);
/// administrators see and export the subscribers.
struct NewsletterPages: RouteCollection {
    static let recentItems = 40

    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.newsletter, use: form)
        everyone.post(SiteURL.Routes.newsletter, use: subscribe)
        everyone.get(SiteURL.Routes.newsletterConfirm, use: confirmForm)
        everyone.post(SiteURL.Routes.newsletterConfirm, use: confirm)
        everyone.get(SiteURL.Routes.newsletterUnsubscribe, use: unsubscribeForm)
        everyone.post(SiteURL.Routes.newsletterUnsubscribe, use: unsubscribe)

        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.newsletterAdmin, use: dashboard)
        editors.get(SiteURL.Routes.newsletterIssueNew, use: composeForm)
        editors.post(SiteURL.Routes.newsletterIssueNew, use: compose)
        editors.get(SiteURL.Routes.newsletterIssue, use: issuePage)
        editors.post(SiteURL.Routes.newsletterIssueTest, use: sendTest)
        editors.post(SiteURL.Routes.newsletterIssueSend, use: send)

        let admins = routes.access(.admin)
        admins.get(SiteURL.Routes.newsletterSubscribers, use: subscribers)
        admins.get(SiteURL.Routes.newsletterSubscribersCSV, use: export)
    }

    // MARK: Readers

    func form(_ request: Request) async throws -> Response {
        var values: [String: String] = [:]
        if let signedIn = request.signedIn { values["email"] = signedIn.email }
        return try await formPage(request, FormBuilder(PageContext(request: request), values: values), status: .ok)
    }

    func formPage(_ request: Request, _ form: FormBuilder, status: HTTPResponseStatus, message: String? = nil) async throws -> Response {
        let context = form.context
        let content: HTML = """
        <h1>\(context("newsletter.title"))</h1>
        <p>\(context("newsletter.lead"))</p>
        \(AccountViews.notice(message))
        \(form.summary(labels: ["email": "newsletter.email"]))
        <form method="post" action="\(SiteURL.Routes.newsletter.path)" class="stacked-form" novalidate>
        \(FormBuilder.csrf(request.csrfToken))
        \(try await request.formStampFields())
        \(form.input("email", label: "newsletter.email", type: "email", required: true, autocomplete: "email", hint: "newsletter.emailHint",
                     maxLength: EmailAddress.maximumLength))
        <button type="submit">\(context("newsletter.subscribe"))</button>
        </form>
        """
        return Layout.page(context, title: context("newsletter.title"), content: content).htmlResponse(status: status)
    }

    func subscribe(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        try await request.rateLimiter.hit(RateLimits.publicFormPerAddress, key: request.clientAddress)
        let typed = request.formValue("email").trimmingCharacters(in: .whitespaces)
        let refusal = try await request.formStampRefusal()
        var errors = FormErrors()
        let email = EmailAddress(typed)
        if email == nil { errors.add("email", typed.isEmpty ? "form.required" : "account.error.email") }
        guard refusal == nil, let email else {
            return try await formPage(request, FormBuilder(context, errors: errors, values: ["email": typed]), status: .badRequest, message: refusal)
        }
        let now = request.application.clock.now()
        let settings = request.application.siteSettings
        try await request.db.transaction { database in
            try await Self.subscribe(email, source: "form", settings: settings, now: now, on: try database.sql)
        }
        // The same answer whether the address was new, pending or subscribed already.
        return AccountViews.message(context, title: context("newsletter.checkTitle"), text: context("newsletter.check", ["email": email.value]))
            .htmlResponse(status: .ok)
    }

    /// Starts a subscription and mails its confirmation link (nothing for a confirmed address).
    static func subscribe(_ email: EmailAddress, source: String, settings: SiteSettings, now: Int64, on sql: any SQLDatabase) async throws {
        guard let token = try await NewsletterStore(sql: sql, now: now).subscribe(email, source: source) else { return }
        let composer = MailComposer(settings: settings)
        let link = composer.link(SiteURL.Routes.newsletterConfirm.path(query: [("token", token)]))
        try await Outbox.enqueue(composer.mail(to: email.value, kind: "newsletter-confirm", "newsletterConfirm", ["link": link]), at: now, on: sql)
    }

    func confirmForm(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let token = (try? request.query.get(String.self, at: "token")) ?? ""
        // Opening the link shows a button: mail scanners that open links confirm nothing.
        let content: HTML = """
        <h1>\(context("newsletter.confirmTitle"))</h1>
        <form method="post" action="\(SiteURL.Routes.newsletterConfirm.path)">\(FormBuilder.csrf(request.csrfToken))
        <input type="hidden" name="token" value="\(token)">
        <button type="submit">\(context("newsletter.confirmButton"))</button></form>
        """
        return Layout.page(context, title: context("newsletter.confirmTitle"), content: content)
    }

    func confirm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let store = NewsletterStore(sql: try request.sql, now: request.application.clock.now())
        guard let email = try await store.confirm(token: request.formValue("token")) else {
            return AccountViews.message(context, title: context("newsletter.expiredTitle"), text: context("newsletter.expired"),
                                        link: (SiteURL.Routes.newsletter.path, context("newsletter.title"))).htmlResponse(status: .badRequest)
        }
        return AccountViews.message(context, title: context("newsletter.confirmedTitle"), text: context("newsletter.confirmed", ["email": email]))
            .htmlResponse(status: .ok)
    }

    /// The subscriber of a signed unsubscribe link, if the signature is right.
    func signedSubscriber(_ request: Request, id rawID: String, signature: String) async throws -> Int64? {
        guard let id = Int64(rawID) else { return nil }
        let key = try await request.application.secrets.formSigningKey(try request.sql)
        return SecretToken.equal(signature, NewsletterStore.unsubscribeSignature(id: id, key: key)) ? id : nil
    }

    func unsubscribeForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let id = (try? request.query.get(String.self, at: "s")) ?? ""
        let signature = (try? request.query.get(String.self, at: "t")) ?? ""
        guard try await signedSubscriber(request, id: id, signature: signature) != nil else {
            return AccountViews.message(context, title: context("newsletter.badLinkTitle"), text: context("newsletter.badLink"))
                .htmlResponse(status: .badRequest)
        }
        let content: HTML = """
        <h1>\(context("newsletter.unsubscribeTitle"))</h1>
        <form method="post" action="\(SiteURL.Routes.newsletterUnsubscribe.path(query: [("s", id), ("t", signature)]))">
        <button type="submit">\(context("newsletter.unsubscribeButton"))</button></form>
        """
        return Layout.page(context, title: context("newsletter.unsubscribeTitle"), content: content).htmlResponse(status: .ok)
    }

    /// One click: the signed link is the authority (no sign-in, no form token), so mail
    /// programs can send it as RFC 8058 asks (`List-Unsubscribe=One-Click`).
    func unsubscribe(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let id = (try? request.query.get(String.self, at: "s")) ?? ""
        let signature = (try? request.query.get(String.self, at: "t")) ?? ""
        guard let subscriber = try await signedSubscriber(request, id: id, signature: signature),
              try await NewsletterStore(sql: try request.sql, now: request.application.clock.now()).unsubscribe(id: subscriber) != nil
        else {
            return AccountViews.message(context, title: context("newsletter.badLinkTitle"), text: context("newsletter.badLink"))
                .htmlResponse(status: .badRequest)
        }
        return AccountViews.message(context, title: context("newsletter.unsubscribedTitle"), text: context("newsletter.unsubscribed"),
                                    link: (SiteURL.Routes.newsletter.path, context("newsletter.resubscribe"))).htmlResponse(status: .ok)
    }

    // MARK: Editors

    func dashboard(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let store = NewsletterStore(sql: try request.sql, now: context.now)
        let counts = try await store.counts()
        var rows: [HTML] = []
        for issue in try await store.issues() {
            let progress = try await store.progress(issue.id)
            rows.append("""
            <tr><td><a href="\(SiteURL.Routes.newsletterIssue.path(issue.id))">\(issue.subject)</a></td>
            <td>\(context(L10nKey("newsletter.status.\(issue.status)")))</td>
            <td>\(issue.status == "draft" ? "—" : context("newsletter.progress", ["queued": String(progress.queued), "sent": String(progress.sent), "total": String(issue.total)]))</td>
            <td>\(context.moment(issue.createdAt, in: context.settings.timeZone))</td></tr>
            """)
        }
        let isAdmin = request.signedIn?.role == .admin
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.admin.path)">\(context("admin.title"))</a></p>
        <h1>\(context("newsletter.adminTitle"))</h1>
        <p>\(context("newsletter.counts", ["confirmed": String(counts[.confirmed] ?? 0), "pending": String(counts[.pending] ?? 0),
                                         "unsubscribed": String(counts[.unsubscribed] ?? 0)]))</p>
        <ul class="inline-list"><li><a href="\(SiteURL.Routes.newsletterIssueNew.path)">\(context("newsletter.compose"))</a></li>
        \(isAdmin ? "<li><a href=\"\(SiteURL.Routes.newsletterSubscribers.path)\">\(context("newsletter.subscribers"))</a></li>" as HTML : "")</ul>
        \(rows.isEmpty ? "<p>\(context("newsletter.noIssues"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("newsletter.subject"))</th><th scope="col">\(context("editor.field.status"))</th>
        <th scope="col">\(context("newsletter.progressTitle"))</th><th scope="col">\(context("newsletter.created"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """)
        """
        return Layout.page(context, title: context("newsletter.adminTitle"), content: content)
    }

    func recent(_ request: Request, _ context: PageContext) async throws -> [NewsletterStore.RecentItem] {
        try await NewsletterStore(sql: try request.sql, now: context.now).recentItems(limit: Self.recentItems)
    }

    func composeForm(_ request: Request) async throws -> Response {
        try await composePage(request, FormBuilder(PageContext(request: request)), chosen: [], status: .ok)
    }

    func composePage(_ request: Request, _ form: FormBuilder, chosen: Set<Int64>, status: HTTPResponseStatus) async throws -> Response {
        let context = form.context
        let items: [HTML] = try await recent(request, context).map { item in
            let id = String(item.id)
            return """
            <li><input type="checkbox" id="item-\(id)" name="items" value="\(id)"\(chosen.contains(item.id) ? " checked" : "" as HTML)>
            <label for="item-\(id)">\(item.title) <span class="muted">(\(context(item.type.singularKey)), \(context.publicationDate(item.publishedAt)))</span></label></li>
            """
        }
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.newsletterAdmin.path)">\(context("newsletter.adminTitle"))</a></p>
        <h1>\(context("newsletter.compose"))</h1>
        \(form.summary(labels: ["subject": "newsletter.subject", "introduction": "newsletter.introduction", "items": "newsletter.items"]))
        <form method="post" action="\(SiteURL.Routes.newsletterIssueNew.path)" class="stacked-form">
        \(FormBuilder.csrf(request.csrfToken))
        \(form.input("subject", label: "newsletter.subject", required: true, maxLength: 200))
        \(form.textarea("introduction", label: "newsletter.introduction", required: true, maxLength: 5_000))
        <fieldset><legend>\(context("newsletter.items"))</legend><ul class="checkbox-list">\(items)</ul></fieldset>
        <button type="submit">\(context("newsletter.preview"))</button>
        </form>
        """
        return Layout.page(context, title: context("newsletter.compose"), content: content).htmlResponse(status: status)
    }

    func compose(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let pairs = SubmissionPages.formPairs(request)
        let subject = (pairs.last { $0.name == "subject" }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let introduction = (pairs.last { $0.name == "introduction" }?.value ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = pairs.filter { $0.name == "items" }.compactMap { Int64($0.value) }
        var errors = FormErrors()
        if subject.isEmpty { errors.add("subject", "form.required") }
        if subject.count > 200 { errors.add("subject", "form.tooLong") }
        if introduction.isEmpty { errors.add("introduction", "form.required") }
        if introduction.count > 5_000 { errors.add("introduction", "form.tooLong") }
        let recentIDs = Set(try await recent(request, context).map(\.id))
        if chosen.isEmpty || !chosen.allSatisfy(recentIDs.contains) { errors.add("items", "newsletter.error.items") }
        guard errors.isEmpty else {
            return try await composePage(request, FormBuilder(context, errors: errors, values: ["subject": subject, "introduction": introduction]),
                                         chosen: Set(chosen), status: .badRequest)
        }
        let id = try await NewsletterStore(sql: try request.sql, now: context.now)
            .createIssue(subject: subject, introduction: introduction, itemIDs: chosen, by: signedIn.name)
        return request.redirect(to: SiteURL.Routes.newsletterIssue.path(id), redirectType: .normal)
    }

    func loadIssue(_ request: Request) async throws -> NewsletterStore.Issue {
        guard let id = request.parameters.get("id", as: Int64.self),
              let issue = try await NewsletterStore(sql: try request.sql, now: request.application.clock.now()).issue(id)
        else { throw Abort(.notFound) }
        return issue
    }

    func sending(_ request: Request) async throws -> NewsletterSending {
        NewsletterSending(database: request.db, settings: request.application.siteSettings,
                          key: try await request.application.secrets.formSigningKey(try request.sql), now: request.application.clock.now())
    }

    func issuePage(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let issue = try await loadIssue(request)
        let sending = try await sending(request)
        let preview = sending.mail(issue, items: try await sending.items(of: issue), to: request.signedIn?.email ?? "", unsubscribe: nil)
        let store = NewsletterStore(sql: try request.sql, now: context.now)
        let progress = try await store.progress(issue.id)
        let confirmed = try await store.counts()[.confirmed] ?? 0
        let done = (try? request.query.get(String.self, at: "done")).flatMap { key in
            Localizer.hasText(for: L10nKey("newsletter.done.\(key)")) ? context(L10nKey("newsletter.done.\(key)")) : nil
        }
        let csrf = FormBuilder.csrf(request.csrfToken)
        let actions: HTML = issue.status == "draft" ? """
            <form method="post" action="\(SiteURL.Routes.newsletterIssueTest.path(issue.id))">\(csrf)
            <button type="submit" class="secondary">\(context("newsletter.sendTest", ["email": request.signedIn?.email ?? ""]))</button></form>
            \(confirmed == 0 ? "<p>\(context("newsletter.noSubscribers"))</p>" as HTML : """
            <form method="post" action="\(SiteURL.Routes.newsletterIssueSend.path(issue.id))">\(csrf)
            <button type="submit">\(context("newsletter.send", ["count": String(confirmed)]))</button></form>
            """)
            """ : """
            <p><label for="progress">\(context("newsletter.progressTitle"))</label>
            <progress id="progress" max="\(String(max(issue.total, 1)))" value="\(String(progress.sent))">\(String(progress.sent))</progress>
            \(context("newsletter.progress", ["queued": String(progress.queued), "sent": String(progress.sent), "total": String(issue.total)]))</p>
            """
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.newsletterAdmin.path)">\(context("newsletter.adminTitle"))</a></p>
        <h1>\(issue.subject)</h1>
        \(AccountViews.notice(done))
        <p>\(context(L10nKey("newsletter.status.\(issue.status)")))</p>
        <div class="form-actions">\(actions)</div>
        <h2>\(context("newsletter.previewTitle"))</h2>
        <pre class="mail-preview">\(context("newsletter.previewSubject", ["subject": preview.subject]))

        \(preview.body)</pre>
        """
        return Layout.page(context, title: issue.subject, content: content).htmlResponse(status: .ok)
    }

    func sendTest(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let issue = try await loadIssue(request)
        let sending = try await sending(request)
        let mail = sending.mail(issue, items: try await sending.items(of: issue), to: signedIn.email, unsubscribe: nil)
        try await Outbox.enqueue(mail, at: request.application.clock.now(), on: try request.sql)
        return request.redirect(to: SiteURL.Routes.newsletterIssue.path(issue.id, query: [("done", "test")]), redirectType: .normal)
    }

    func send(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let issue = try await loadIssue(request)
        guard try await NewsletterStore(sql: try request.sql, now: context.now).startSending(issue.id) else {
            throw Abort(.conflict, reason: context("newsletter.error.sent"))
        }
        try await request.audit(.newsletterSent, target: AuditEntry.Target(type: "newsletter", id: String(issue.id), label: issue.subject))
        // The first batch now; the server's background work queues the rest.
        _ = try await sending(request).enqueueBatch(issue.id)
        return request.redirect(to: SiteURL.Routes.newsletterIssue.path(issue.id, query: [("done", "sending")]), redirectType: .normal)
    }

    // MARK: Administrators

    func subscribers(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let page = request.lenientPage
        let store = NewsletterStore(sql: try request.sql, now: context.now)
        let total = try await store.counts().values.reduce(0, +)
        let rows: [HTML] = try await store.subscribers(limit: 100, offset: page.offset(pageSize: 100)).map { subscriber in
            """
            <tr><td>\(subscriber.email)</td><td>\(context(L10nKey("newsletter.subscriberStatus.\(subscriber.status.rawValue)")))</td>
            <td>\(subscriber.source)</td><td>\(context.moment(subscriber.createdAt, in: context.settings.timeZone))</td></tr>
            """
        }
        let pages = PageNumber.count(total: total, pageSize: 100)
        let content: HTML = """
        <p class="breadcrumb"><a href="\(SiteURL.Routes.newsletterAdmin.path)">\(context("newsletter.adminTitle"))</a></p>
        <h1>\(context("newsletter.subscribers"))</h1>
        <p><a href="\(SiteURL.Routes.newsletterSubscribersCSV.path)">\(context("newsletter.export"))</a></p>
        <table class="data-table"><thead><tr><th scope="col">\(context("newsletter.email"))</th><th scope="col">\(context("editor.field.status"))</th>
        <th scope="col">\(context("newsletter.source"))</th><th scope="col">\(context("newsletter.since"))</th></tr></thead><tbody>\(rows)</tbody></table>
        \(pages > 1 ? Layout.pager(current: page, count: pages, context) { SiteURL.Routes.newsletterSubscribers.path(query: [("page", String($0))]) } : "")
        """
        return Layout.page(context, title: context("newsletter.subscribers"), content: content)
    }

    func export(_ request: Request) async throws -> Response {
        let store = NewsletterStore(sql: try request.sql, now: request.application.clock.now())
        var bytes: [UInt8] = []
        CSV.appendRecord(["email", "status", "source", "subscribed_at", "confirmed_at"], to: &bytes)
        let utc = MomentFormatter.utc
        for subscriber in try await store.subscribers() {
            CSV.appendRecord([subscriber.email, subscriber.status.rawValue, subscriber.source,
                              MomentFormatter.rfc3339(subscriber.createdAt, in: utc),
                              subscriber.confirmedAt.map { MomentFormatter.rfc3339($0, in: utc) } ?? ""], to: &bytes)
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8; header=present")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"subscribers.csv\"")
        return Response(status: .ok, headers: headers, body: .init(data: Data(bytes)))
    }
}
