import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// The staff area: the dashboard and account approval for editors; roles, suspensions, site
/// options and the audit log for administrators.
struct AdminPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let editors = routes.access(.editor)
        editors.get(SiteURL.Routes.admin, use: dashboard)
        editors.get(SiteURL.Routes.adminAccounts, use: accounts)
        editors.get(SiteURL.Routes.adminAccount, use: account)
        editors.post(SiteURL.Routes.adminAccountApprove) { try await review($0, approve: true) }
        editors.post(SiteURL.Routes.adminAccountReject) { try await review($0, approve: false) }

        let admins = routes.access(.admin)
        admins.post(SiteURL.Routes.adminAccountRole, use: changeRole)
        admins.post(SiteURL.Routes.adminAccountStatus, use: changeStatus)
        admins.get(SiteURL.Routes.adminSettings, use: settingsForm)
        admins.post(SiteURL.Routes.adminSettings, use: saveSettings)
        admins.get(SiteURL.Routes.adminAudit, use: AuditPages.list)
    }

    func dashboard(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let store = AccountStore(sql: try request.sql, now: request.application.clock.now())
        let pending = try await store.count(status: .pending)
        let counts = try await SubmissionStore(sql: try request.sql, now: context.now).counts(callItemID: nil)
        let waiting = (counts[.submitted] ?? 0) + (counts[.inReview] ?? 0)
        let isAdmin = request.signedIn?.role == .admin
        let links: [HTML] = [
            "<li><a href=\"\(SiteURL.adminAccounts(status: .pending).path)\">\(context("admin.pendingAccounts", ["count": String(pending)]))</a></li>",
            "<li><a href=\"\(SiteURL.adminAccounts().path)\">\(context("admin.accounts.title"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.reviewQueue.path(query: [("status", "submitted")]))\">\(context("admin.waitingSubmissions", ["count": String(waiting)]))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.callsAdmin.path)\">\(context("call.admin.title"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.contentList.path)\">\(context("editor.title"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.vocabularies.path)\">\(context("vocabularies.title"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.newsletterAdmin.path)\">\(context("newsletter.adminTitle"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.awardsAdmin.path)\">\(context("award.adminTitle"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.sitePagesAdmin.path)\">\(context("sitePage.adminTitle"))</a></li>",
            "<li><a href=\"\(SiteURL.Routes.mediaLibrary.path)\">\(context("media.title"))</a></li>",
        ] + (isAdmin ? [
            "<li><a href=\"\(SiteURL.adminAudit(AuditFilter()).path)\">\(context("admin.audit.title"))</a></li>",
            "<li><a href=\"\(SiteURL.adminSettings.path)\">\(context("admin.settings.title"))</a></li>",
        ] : [])
        let content: HTML = """
        <h1>\(context("admin.title"))</h1>
        <p class="pending-count"><strong>\(context("admin.pendingAccounts", ["count": String(pending)]))</strong></p>
        <ul class="admin-links">\(links)</ul>
        """
        return Layout.page(context, title: context("admin.title"), content: content)
    }

    func accounts(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        var filter = AccountStore.Filter()
        if let status = try? request.query.get(String.self, at: "status"), !status.isEmpty {
            guard let parsed = AccountStatus(rawValue: status) else { throw Abort(.badRequest, reason: context("admin.accounts.badStatus")) }
            filter.status = parsed
        }
        if let role = try? request.query.get(String.self, at: "role"), !role.isEmpty {
            guard let parsed = Role(rawValue: role) else { throw Abort(.badRequest, reason: context("admin.accounts.badRole")) }
            filter.role = parsed
        }
        filter.search = (try? request.query.get(String.self, at: "q")).map { String($0.prefix(200)) }
        filter.page = request.lenientPage
        let (accounts, total) = try await AccountStore(sql: try request.sql, now: request.application.clock.now()).list(filter)
        let form = FormBuilder(context, values: ["status": filter.status?.rawValue ?? "", "role": filter.role?.rawValue ?? "",
                                                 "q": filter.search ?? ""])
        let rows: [HTML] = accounts.map { account in
            """
            <tr><td><a href="\(SiteURL.adminAccount(account.id).path)">\(account.name)</a></td><td>\(account.email)</td>
            <td>\(account.organisation)</td><td>\(context(L10nKey(account.role.nameKey)))</td>
            <td>\(context(L10nKey(account.status.nameKey)))\(account.emailVerifiedAt == nil ? " · \(context("admin.accounts.unverified"))" : "")</td>
            <td>\(context.publicationDate(account.createdAt))</td></tr>
            """
        }
        let pages = PageNumber.count(total: total, pageSize: AccountStore.Filter.pageSize)
        let content: HTML = """
        <h1>\(context("admin.accounts.title"))</h1>
        <form method="get" action="\(SiteURL.adminAccounts().path)" class="filter-row">
        \(form.select("status", label: "account.field.status", options: [("", context("admin.any"))] + AccountStatus.allCases.map { ($0.rawValue, context(L10nKey($0.nameKey))) }))
        \(form.select("role", label: "account.field.role", options: [("", context("admin.any"))] + Role.allCases.map { ($0.rawValue, context(L10nKey($0.nameKey))) }))
        \(form.input("q", label: "admin.accounts.search", type: "search", maxLength: 200))
        <button type="submit">\(context("admin.filter"))</button>
        </form>
        <p>\(context("admin.accounts.count", ["count": String(total)]))</p>
        <table class="data-table">
        <thead><tr><th scope="col">\(context("account.field.name"))</th><th scope="col">\(context("account.field.email"))</th>
        <th scope="col">\(context("account.field.organisation"))</th><th scope="col">\(context("account.field.role"))</th>
        <th scope="col">\(context("account.field.status"))</th><th scope="col">\(context("admin.accounts.created"))</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        \(Layout.pager(current: filter.page, count: pages, context) { SiteURL.adminAccounts(status: filter.status, role: filter.role, search: filter.search, page: $0).path })
        """
        return Layout.page(context, title: context("admin.accounts.title"), content: content)
    }

    private func accountID(_ request: Request) throws -> Int64 {
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        return id
    }

    private func findAccount(_ request: Request) async throws -> AccountRecord {
        guard let account = try await AccountStore(sql: try request.sql, now: request.application.clock.now()).find(id: try accountID(request)) else {
            throw Abort(.notFound)
        }
        return account
    }

    func account(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let account = try await findAccount(request)
        let csrf = request.csrfToken
        let isAdmin = request.signedIn?.role == .admin
        let isSelf = request.signedIn?.accountID == account.id
        let done = (try? request.query.get(String.self, at: "done")).flatMap { key -> String? in
            let full = L10nKey("admin.done.\(key)")
            return Localizer.hasText(for: full) ? context(full) : nil
        }
        var actions: [HTML] = []
        if account.status == .pending || account.status == .rejected {
            actions.append("""
            <form method="post" action="\(SiteURL.adminAccountAction(account.id, "approve").path)">\(FormBuilder.csrf(csrf))
            <button type="submit">\(context("admin.account.approve"))</button></form>
            """)
        }
        if account.status == .pending {
            actions.append("""
            <form method="post" action="\(SiteURL.adminAccountAction(account.id, "reject").path)">\(FormBuilder.csrf(csrf))
            <button type="submit" class="secondary">\(context("admin.account.reject"))</button></form>
            """)
        }
        if isAdmin && !isSelf {
            let roleForm = FormBuilder(context, values: ["role": account.role.rawValue])
            actions.append("""
            <form method="post" action="\(SiteURL.adminAccountAction(account.id, "role").path)" class="inline-form">\(FormBuilder.csrf(csrf))
            \(roleForm.select("role", label: "account.field.role", options: Role.allCases.map { ($0.rawValue, context(L10nKey($0.nameKey))) }))
            <button type="submit">\(context("admin.account.changeRole"))</button></form>
            """)
            let suspend = account.status != .suspended
            actions.append("""
            <form method="post" action="\(SiteURL.adminAccountAction(account.id, "status").path)">\(FormBuilder.csrf(csrf))
            <input type="hidden" name="status" value="\(suspend ? "suspended" : "active")">
            <button type="submit" class="secondary">\(context(suspend ? "admin.account.suspend" : "admin.account.reactivate"))</button></form>
            """)
        }
        let content: HTML = """
        <p><a href="\(SiteURL.adminAccounts().path)">\(context("admin.accounts.back"))</a></p>
        <h1>\(account.name)</h1>
        \(AccountViews.notice(done))
        <div class="facts"><dl>
        <dt>\(context("account.field.email"))</dt><dd>\(account.email)\(account.emailVerifiedAt == nil ? " (\(context("admin.accounts.unverified")))" : "")</dd>
        <dt>\(context("account.field.organisation"))</dt><dd>\(account.organisation.isEmpty ? "—" : account.organisation)</dd>
        <dt>\(context("account.field.country"))</dt><dd>\(Countries.code(account.countryCode)?.name ?? "—")</dd>
        <dt>\(context("account.field.role"))</dt><dd>\(context(L10nKey(account.role.nameKey)))</dd>
        <dt>\(context("account.field.status"))</dt><dd>\(context(L10nKey(account.status.nameKey)))</dd>
        <dt>\(context("admin.accounts.created"))</dt><dd>\(context.moment(account.createdAt, in: context.settings.timeZone))</dd>
        </dl></div>
        <div class="actions">\(actions)</div>
        """
        return Layout.page(context, title: account.name, content: content)
    }

    func review(_ request: Request, approve: Bool) async throws -> Response {
        let account = try await findAccount(request)
        let now = request.application.clock.now()
        guard account.status == .pending || (approve && account.status == .rejected) else {
            throw Abort(.conflict, reason: PageContext(request: request)("admin.account.notPending"))
        }
        let status: AccountStatus = approve ? .active : .rejected
        let mails = AccountMails(settings: request.application.siteSettings)
        try await request.db.transaction { database in
            let sql = try database.sql
            try await AccountStore(sql: sql, now: now).setStatus(id: account.id, status: status, reviewer: request.signedIn?.accountID)
            try await Outbox.enqueue(approve ? mails.approved(to: account.email) : mails.rejected(to: account.email), at: now, on: sql)
            try await request.audit(approve ? .accountApproved : .accountRejected, target: account.target,
                                    before: ["status": account.status.rawValue], after: ["status": status.rawValue], on: sql)
        }
        return request.redirect(to: SiteURL.Routes.adminAccount.path(account.id, query: [("done", approve ? "approved" : "rejected")]), redirectType: .normal)
    }

    func changeRole(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let account = try await findAccount(request)
        guard let role = Role(rawValue: request.formValue("role")) else { throw Abort(.badRequest, reason: context("admin.accounts.badRole")) }
        guard request.signedIn?.accountID != account.id else { throw Abort(.conflict, reason: context("admin.account.notSelf")) }
        guard role != account.role else { return request.redirect(to: SiteURL.adminAccount(account.id).path, redirectType: .normal) }
        let now = request.application.clock.now()
        try await request.db.transaction { database in
            let sql = try database.sql
            let store = AccountStore(sql: sql, now: now)
            try await store.setRole(id: account.id, role: role)
            // Staff are approved by being made staff.
            if role >= .editor, account.status == .pending { try await store.setStatus(id: account.id, status: .active, reviewer: request.signedIn?.accountID) }
            try await request.audit(.roleChanged, target: account.target, before: ["role": account.role.rawValue],
                                    after: ["role": role.rawValue], on: sql)
        }
        return request.redirect(to: SiteURL.Routes.adminAccount.path(account.id, query: [("done", "role")]), redirectType: .normal)
    }

    func changeStatus(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let account = try await findAccount(request)
        guard let status = AccountStatus(rawValue: request.formValue("status")), status == .suspended || status == .active else {
            throw Abort(.badRequest, reason: context("admin.accounts.badStatus"))
        }
        guard request.signedIn?.accountID != account.id else { throw Abort(.conflict, reason: context("admin.account.notSelf")) }
        let now = request.application.clock.now()
        try await request.db.transaction { database in
            let sql = try database.sql
            try await AccountStore(sql: sql, now: now).setStatus(id: account.id, status: status, reviewer: request.signedIn?.accountID)
            if status == .suspended {
                try await SessionStore(sql: sql, settings: request.application.siteSettings, now: now).closeAll(accountID: account.id)
            }
            try await request.audit(status == .suspended ? .accountSuspended : .accountReactivated, target: account.target,
                                    before: ["status": account.status.rawValue], after: ["status": status.rawValue], on: sql)
        }
        return request.redirect(to: SiteURL.Routes.adminAccount.path(account.id, query: [("done", "status")]), redirectType: .normal)
    }

    // MARK: Site options

    func settingsForm(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let options = try await SiteOptions.read(request.sql)
        let saved = (try? request.query.get(String.self, at: "done")) == "saved" ? context("admin.settings.saved") : nil
        func checkbox(_ name: String, _ checked: Bool, _ label: L10nKey, _ hint: L10nKey) -> HTML {
            """
            <div class="field checkbox-field">
            <input type="checkbox" id="field-\(name)" name="\(name)" value="on"\(checked ? " checked" : "" as HTML) aria-describedby="field-\(name)-hint">
            <label for="field-\(name)">\(context(label))</label>
            <p class="hint" id="field-\(name)-hint">\(context(hint))</p>
            </div>
            """
        }
        let content: HTML = """
        <h1>\(context("admin.settings.title"))</h1>
        \(AccountViews.notice(saved))
        <form method="post" action="\(SiteURL.adminSettings.path)" class="stacked-form">
        \(FormBuilder.csrf(request.csrfToken))
        \(checkbox("approval_required", options.approvalRequired, "admin.settings.approval", "admin.settings.approvalHint"))
        \(checkbox("registration_open", options.registrationOpen, "admin.settings.registration", "admin.settings.registrationHint"))
        <button type="submit">\(context("admin.settings.save"))</button>
        </form>
        """
        return Layout.page(context, title: context("admin.settings.title"), content: content)
    }

    func saveSettings(_ request: Request) async throws -> Response {
        let now = request.application.clock.now()
        // A checkbox that is not ticked is not posted at all.
        func switchValue(_ name: String) -> Bool { request.formValue(name) == "on" }
        let old = try await SiteOptions.read(request.sql)
        var updated = old
        updated.approvalRequired = switchValue("approval_required")
        updated.registrationOpen = switchValue("registration_open")
        let new = updated
        if new != old {
            try await request.db.transaction { database in
                let sql = try database.sql
                try await new.write(sql, now: now)
                let changed = new.values.filter { old.values[$0.key] != $0.value }.map(\.key)
                try await request.audit(.settingChanged, target: AuditEntry.Target(type: "settings", id: "site", label: changed.sorted().joined(separator: ", ")),
                                        before: old.values.filter { changed.contains($0.key) },
                                        after: new.values.filter { changed.contains($0.key) }, on: sql)
            }
        }
        return request.redirect(to: SiteURL.Routes.adminSettings.path(query: [("done", "saved")]), redirectType: .normal)
    }
}
