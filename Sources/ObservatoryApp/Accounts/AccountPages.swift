import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Registering, signing in and out, confirming the address, resetting and changing the
/// password and the address. Every answer about an address reads the same whether or not an
/// account exists for it.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.register, use: registerForm)
        everyone.post(SiteURL.Routes.register, use: register)
        everyone.get(SiteURL.Routes.signIn, use: signInForm)
        everyone.post(SiteURL.Routes.signIn, use: signIn)
        everyone.get(SiteURL.Routes.verifyEmail, use: verifyForm)
        everyone.post(SiteURL.Routes.verifyEmail, use: verify)
        everyone.get(SiteURL.Routes.passwordReset, use: resetForm)
        everyone.post(SiteURL.Routes.passwordReset, use: requestReset)
        everyone.get(SiteURL.Routes.newPassword, use: newPasswordForm)
        everyone.post(SiteURL.Routes.newPassword, use: setNewPassword)
        everyone.get(SiteURL.Routes.confirmEmail, use: confirmEmailForm)
        everyone.post(SiteURL.Routes.confirmEmail, use: confirmEmail)

        let signedIn = routes.access(.signedIn)
        signedIn.get(SiteURL.Routes.account, use: overview)
        signedIn.post(SiteURL.Routes.signOut, use: signOut)
        signedIn.post(SiteURL.Routes.resendVerification, use: resendVerification)
        signedIn.post(SiteURL.Routes.changePassword, use: changePassword)
        signedIn.post(SiteURL.Routes.changeEmail, use: changeEmail)
        signedIn.post(SiteURL.Routes.closeOtherSessions, use: closeOtherSessions)
    }

    // MARK: Registration

    func registerForm(_ request: Request) async throws -> Response {
        try await registrationPage(request, form: FormBuilder(PageContext(request: request)), status: .ok)
    }

    private func registrationPage(_ request: Request, form: FormBuilder, status: HTTPResponseStatus, message: String? = nil) async throws -> Response {
        let context = form.context
        guard try await SiteOptions.read(request.sql).registrationOpen else {
            return AccountViews.message(context, title: context("account.register.title"), text: context("account.register.closed"))
                .htmlResponse(status: status == .ok ? .ok : .forbidden)
        }
        return AccountViews.register(context, form: form, csrf: request.csrfToken, stamp: try await request.formStampFields(), message: message)
            .htmlResponse(status: status)
    }

    func register(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        try await request.rateLimiter.hit(RateLimits.registrationPerAddress, key: request.clientAddress)
        let registration = Registration(
            email: request.formValue("email"), name: request.formValue("name").trimmingCharacters(in: .whitespacesAndNewlines),
            organisation: request.formValue("organisation").trimmingCharacters(in: .whitespacesAndNewlines),
            country: request.formValue("country"), password: request.formValue("password"))
        let values = ["email": registration.email, "name": registration.name, "organisation": registration.organisation,
                      "country": registration.country]
        let options = try await SiteOptions.read(request.sql)
        guard options.registrationOpen else { throw Abort(.forbidden, reason: context("account.register.closed")) }
        // Every problem at once: the robot check and the fields.
        let refusal = try await request.formStampRefusal()
        let errors = registration.validate { Countries.code($0) != nil }
        guard refusal == nil, errors.isEmpty, let email = EmailAddress(registration.email) else {
            return try await registrationPage(request, form: FormBuilder(context, errors: errors, values: values), status: .badRequest,
                                              message: refusal)
        }
        let mails = AccountMails(settings: request.application.siteSettings)
        let sql = try request.sql
        // The password is hashed whether or not the address is new, so the answer takes as long
        // either way and its timing does not tell who has an account.
        let hash = try await PasswordHashing(request.application).hash(registration.password)
        if try await AccountStore(sql: sql, now: now).find(email: email) != nil {
            try await Outbox.enqueue(mails.alreadyRegistered(to: email.value), at: now, on: sql)
        } else {
            try await request.db.transaction { database in
                let sql = try database.sql
                let store = AccountStore(sql: sql, now: now)
                let id = try await store.create(
                    email: email, name: registration.name, organisation: registration.organisation,
                    countryCode: registration.country, passwordHash: hash, role: .contributor,
                    status: options.approvalRequired ? .pending : .active)
                let token = try await AccountTokens(sql: sql, now: now).issue(.verifyEmail, accountID: id)
                try await Outbox.enqueue(mails.verifyEmail(to: (email.value, registration.name), token: token), at: now, on: sql)
                try await request.audit(.registered, target: AuditEntry.account(id: id, email: email.value),
                                        after: ["status": options.approvalRequired ? "pending" : "active"], on: sql)
            }
        }
        return AccountViews.message(context, title: context("account.register.doneTitle"),
                                    text: context("account.register.done", ["email": email.value]))
            .htmlResponse(status: .ok)
    }

    // MARK: Signing in and out

    func signInForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        return AccountViews.signIn(context, form: FormBuilder(context), csrf: request.csrfToken,
                                   next: Self.safeNext(try? request.query.get(String.self, at: "next")),
                                   message: Self.doneMessage(request, context))
            .htmlResponse(status: .ok)
    }

    /// The confirmation named by `?done=` after a redirect, if it is one of ours.
    static func doneMessage(_ request: Request, _ context: PageContext) -> String? {
        guard let done = try? request.query.get(String.self, at: "done") else { return nil }
        let key = L10nKey("account.done.\(done)")
        return Localizer.hasText(for: key) ? context(key) : nil
    }

    func signIn(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let limiter = try request.rateLimiter
        try await limiter.check(RateLimits.signInFailuresPerAddress, key: request.clientAddress)
        let typed = request.formValue("email")
        let next = Self.safeNext(request.formValue("next"))
        let failed = {
            AccountViews.signIn(context, form: FormBuilder(context, values: ["email": typed]), csrf: request.csrfToken,
                                next: next, failure: context("account.signIn.failed"))
                .htmlResponse(status: .badRequest)
        }
        guard let email = EmailAddress(typed) else {
            try await limiter.hit(RateLimits.signInFailuresPerAddress, key: request.clientAddress)
            return failed()
        }
        let accountAndAddress = RateLimits.accountAndAddress(email.lookupKey, request.clientAddress)
        try await limiter.check(RateLimits.signInFailuresPerAccountAndAddress, key: accountAndAddress)
        let passwords = PasswordHashing(request.application)
        let account = try await AccountStore(sql: try request.sql, now: now).find(email: email)
        var accepted = false
        if let account {
            accepted = try await passwords.verify(request.formValue("password"), against: account.passwordHash)
                && account.status != .suspended
        } else {
            try await passwords.verifyNothing()
        }
        guard accepted, let account else {
            try await limiter.hit(RateLimits.signInFailuresPerAccountAndAddress, key: accountAndAddress)
            try await limiter.hit(RateLimits.signInFailuresPerAddress, key: request.clientAddress)
            let entry = AuditEntry(.signInFailed, actorLabel: email.value,
                                   target: account?.target, ip: request.clientAddress)
            try await AuditLog.record(entry, at: now, on: try request.sql)
            return failed()
        }
        try await limiter.reset(RateLimits.signInFailuresPerAccountAndAddress, key: accountAndAddress)
        try await request.openSession(accountID: account.id, role: account.role)
        try await request.audit(.signInSucceeded, target: account.target)
        return request.redirect(to: next ?? SiteURL.account.path, redirectType: .normal)
    }

    /// A place to go after signing in: a path on this site only, never another site.
    static func safeNext(_ next: String?) -> String? { LocalPath(next)?.value }

    func signOut(_ request: Request) async throws -> Response {
        if let signedIn = request.signedIn {
            try await request.audit(.signedOut, target: AuditEntry.account(id: signedIn.accountID, email: signedIn.email))
        }
        try await request.closeSession()
        return request.redirect(to: SiteURL.Routes.signIn.path(query: [("done", "signed-out")]), redirectType: .normal)
    }

    // MARK: Address verification

    func verifyForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let token = (try? request.query.get(String.self, at: "token")) ?? ""
        let now = request.application.clock.now()
        guard try await AccountTokens(sql: try request.sql, now: now).peek(token, .verifyEmail) != nil else {
            return expiredLink(context)
        }
        return AccountViews.message(context, title: context("account.verify.title"), text: context("account.verify.intro"),
                                    confirm: (SiteURL.verifyEmail(token: token).path, token, request.csrfToken, context("account.verify.submit")))
            .htmlResponse(status: .ok)
    }

    func verify(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let token = request.formValue("token")
        let verified: AccountRecord? = try await request.db.transaction { database in
            let sql = try database.sql
            guard let claim = try await AccountTokens(sql: sql, now: now).consume(token, .verifyEmail) else { return nil }
            let store = AccountStore(sql: sql, now: now)
            try await store.markVerified(id: claim.accountID)
            guard let account = try await store.find(id: claim.accountID) else { return nil }
            try await request.audit(.emailVerified, target: account.target, on: sql)
            return account
        }
        guard verified != nil else { return expiredLink(context) }
        let link = request.signedIn == nil ? (SiteURL.signIn().path, context("account.signIn.title"))
            : (SiteURL.account.path, context("account.title"))
        return AccountViews.message(context, title: context("account.verified.title"), text: context("account.verified.text"), link: link)
            .htmlResponse(status: .ok)
    }

    func resendVerification(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let now = request.application.clock.now()
        try await request.rateLimiter.hit(RateLimits.accountMailPerAccount, key: String(signedIn.accountID))
        if !signedIn.emailVerified {
            let mails = AccountMails(settings: request.application.siteSettings)
            try await request.db.transaction { database in
                let sql = try database.sql
                let token = try await AccountTokens(sql: sql, now: now).issue(.verifyEmail, accountID: signedIn.accountID)
                try await Outbox.enqueue(mails.verifyEmail(to: (signedIn.email, signedIn.name), token: token), at: now, on: sql)
            }
        }
        return request.redirect(to: SiteURL.Routes.account.path(query: [("done", "verification-sent")]), redirectType: .normal)
    }

    private func expiredLink(_ context: PageContext) -> Response {
        AccountViews.message(context, title: context("account.link.expiredTitle"), text: context("account.link.expired"),
                             link: (SiteURL.passwordReset.path, context("account.reset.title")))
            .htmlResponse(status: .gone)
    }

    // MARK: Password reset

    func resetForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        return AccountViews.resetRequest(context, form: FormBuilder(context), csrf: request.csrfToken,
                                         stamp: try await request.formStampFields())
            .htmlResponse(status: .ok)
    }

    func requestReset(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let limiter = try request.rateLimiter
        try await limiter.hit(RateLimits.passwordResetPerAddress, key: request.clientAddress)
        let typed = request.formValue("email")
        if let refusal = try await request.formStampRefusal() {
            return AccountViews.resetRequest(context, form: FormBuilder(context, values: ["email": typed]),
                                             csrf: request.csrfToken, stamp: try await request.formStampFields(), message: refusal)
                .htmlResponse(status: .badRequest)
        }
        guard let email = EmailAddress(typed) else {
            var errors = FormErrors()
            errors.add("email", typed.isEmpty ? "form.required" : "account.error.email")
            return AccountViews.resetRequest(context, form: FormBuilder(context, errors: errors, values: ["email": typed]),
                                             csrf: request.csrfToken, stamp: try await request.formStampFields())
                .htmlResponse(status: .badRequest)
        }
        // Counted for every address, known or not, so the limit tells nothing about accounts.
        try await limiter.hit(RateLimits.passwordResetPerAccount, key: email.lookupKey)
        let mails = AccountMails(settings: request.application.siteSettings)
        try await request.db.transaction { database in
            let sql = try database.sql
            guard let account = try await AccountStore(sql: sql, now: now).find(email: email), account.status != .suspended else { return }
            let token = try await AccountTokens(sql: sql, now: now).issue(.resetPassword, accountID: account.id)
            try await Outbox.enqueue(mails.passwordReset(to: account.email, token: token), at: now, on: sql)
        }
        return AccountViews.message(context, title: context("account.reset.sentTitle"),
                                    text: context("account.reset.sent", ["email": email.value]))
            .htmlResponse(status: .ok)
    }

    func newPasswordForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let token = (try? request.query.get(String.self, at: "token")) ?? ""
        guard try await AccountTokens(sql: try request.sql, now: request.application.clock.now()).peek(token, .resetPassword) != nil else {
            return expiredLink(context)
        }
        return AccountViews.newPassword(context, form: FormBuilder(context), csrf: request.csrfToken, token: token)
            .htmlResponse(status: .ok)
    }

    func setNewPassword(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let token = request.formValue("token")
        let password = request.formValue("password")
        let tokens = AccountTokens(sql: try request.sql, now: now)
        guard let claim = try await tokens.peek(token, .resetPassword),
              let account = try await AccountStore(sql: try request.sql, now: now).find(id: claim.accountID)
        else { return expiredLink(context) }
        if let problem = PasswordPolicy.problem(with: password, personal: [account.email, account.name]) {
            var errors = FormErrors()
            errors.add("password", problem.messageKey)
            return AccountViews.newPassword(context, form: FormBuilder(context, errors: errors), csrf: request.csrfToken, token: token)
                .htmlResponse(status: .badRequest)
        }
        let hash = try await PasswordHashing(request.application).hash(password)
        let mails = AccountMails(settings: request.application.siteSettings)
        let changed: Bool = try await request.db.transaction { database in
            let sql = try database.sql
            guard let claim = try await AccountTokens(sql: sql, now: now).consume(token, .resetPassword) else { return false }
            let store = AccountStore(sql: sql, now: now)
            try await store.setPassword(id: claim.accountID, hash: hash)
            // Whoever reads the mailbox owns the address.
            try await store.markVerified(id: claim.accountID)
            try await SessionStore(sql: sql, settings: request.application.siteSettings, now: now).closeAll(accountID: claim.accountID)
            // API tokens made by whoever had the password end with it.
            try await APITokenStore(sql: sql, now: now).revokeAll(accountID: claim.accountID)
            try await Outbox.enqueue(mails.passwordChanged(to: account.email), at: now, on: sql)
            try await request.audit(.passwordReset, target: account.target, on: sql)
            return true
        }
        guard changed else { return expiredLink(context) }
        if request.signedIn?.accountID == account.id { try await request.closeSession() }
        return request.redirect(to: SiteURL.Routes.signIn.path(query: [("done", "password-reset")]), redirectType: .normal)
    }

    // MARK: The account page

    func overview(_ request: Request) async throws -> Response {
        try await overviewPage(request, status: .ok)
    }

    func overviewPage(_ request: Request, status: HTTPResponseStatus, passwordErrors: FormErrors = FormErrors(),
                      emailErrors: FormErrors = FormErrors(), emailValue: String = "", tokenErrors: FormErrors = FormErrors(),
                      tokenValues: [String: String] = [:]) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        guard let account = try await AccountStore(sql: try request.sql, now: now).find(id: signedIn.accountID) else {
            throw Abort(.notFound)
        }
        let others = try await request.sessionStore.countOthers(accountID: account.id, besides: signedIn.sessionHash)
        let done = Self.doneMessage(request, context)
        let overview = AccountViews.Overview(
            account: account, otherSessions: others, passwordForm: FormBuilder(context, errors: passwordErrors),
            emailForm: FormBuilder(context, errors: emailErrors, values: ["new_email": emailValue]), message: done,
            apiTokens: APITokenPages.section(context, tokens: try await APITokenStore(sql: try request.sql, now: now).list(accountID: account.id),
                                             form: FormBuilder(context, errors: tokenErrors, values: tokenValues), csrf: request.csrfToken))
        return AccountViews.account(context, overview, csrf: request.csrfToken).htmlResponse(status: status)
    }

    func changePassword(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let now = request.application.clock.now()
        let store = AccountStore(sql: try request.sql, now: now)
        guard let account = try await store.find(id: signedIn.accountID) else { throw Abort(.notFound) }
        let passwords = PasswordHashing(request.application)
        let limiter = try request.rateLimiter
        try await limiter.check(RateLimits.passwordChangeFailuresPerAccount, key: String(account.id))
        var errors = FormErrors()
        if !(try await passwords.verify(request.formValue("current_password"), against: account.passwordHash)) {
            try await limiter.hit(RateLimits.passwordChangeFailuresPerAccount, key: String(account.id))
            errors.add("current_password", "account.error.currentPassword")
        }
        let password = request.formValue("password")
        if let problem = PasswordPolicy.problem(with: password, personal: [account.email, account.name]) {
            errors.add("password", problem.messageKey)
        }
        guard errors.isEmpty else { return try await overviewPage(request, status: .badRequest, passwordErrors: errors) }
        let hash = try await passwords.hash(password)
        let mails = AccountMails(settings: request.application.siteSettings)
        try await request.db.transaction { database in
            let sql = try database.sql
            try await AccountStore(sql: sql, now: now).setPassword(id: account.id, hash: hash)
            try await SessionStore(sql: sql, settings: request.application.siteSettings, now: now).closeAll(accountID: account.id)
            try await APITokenStore(sql: sql, now: now).revokeAll(accountID: account.id)
            try await Outbox.enqueue(mails.passwordChanged(to: account.email), at: now, on: sql)
            try await request.audit(.passwordChanged, target: account.target, on: sql)
        }
        // Every other session ended above; this browser continues under a new session id.
        request.signedIn = nil
        try await request.openSession(accountID: account.id, role: account.role)
        return request.redirect(to: SiteURL.Routes.account.path(query: [("done", "password")]), redirectType: .normal)
    }

    func changeEmail(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let now = request.application.clock.now()
        guard let account = try await AccountStore(sql: try request.sql, now: now).find(id: signedIn.accountID) else { throw Abort(.notFound) }
        let limiter = try request.rateLimiter
        let typed = request.formValue("new_email")
        var errors = FormErrors()
        let newEmail = EmailAddress(typed)
        if newEmail == nil { errors.add("new_email", typed.isEmpty ? "form.required" : "account.error.email") }
        if let newEmail, newEmail.lookupKey == EmailAddress(account.email)?.lookupKey { errors.add("new_email", "account.error.sameEmail") }
        if !(try await PasswordHashing(request.application).verify(request.formValue("email_password"), against: account.passwordHash)) {
            errors.add("email_password", "account.error.currentPassword")
        }
        guard errors.isEmpty, let newEmail else {
            return try await overviewPage(request, status: .badRequest, emailErrors: errors, emailValue: typed)
        }
        try await limiter.hit(RateLimits.accountMailPerAccount, key: String(account.id))
        let mails = AccountMails(settings: request.application.siteSettings)
        try await request.db.transaction { database in
            let sql = try database.sql
            if try await AccountStore(sql: sql, now: now).find(email: newEmail) != nil {
                try await Outbox.enqueue(mails.alreadyRegistered(to: newEmail.value), at: now, on: sql)
            } else {
                let token = try await AccountTokens(sql: sql, now: now).issue(.changeEmail, accountID: account.id, payload: newEmail.value)
                try await Outbox.enqueue(mails.confirmNewEmail(to: newEmail.value, token: token), at: now, on: sql)
            }
            try await Outbox.enqueue(mails.emailChangeNotice(to: account.email, newEmail: newEmail.value), at: now, on: sql)
        }
        return request.redirect(to: SiteURL.Routes.account.path(query: [("done", "email-sent")]), redirectType: .normal)
    }

    func confirmEmailForm(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let token = (try? request.query.get(String.self, at: "token")) ?? ""
        guard let claim = try await AccountTokens(sql: try request.sql, now: request.application.clock.now()).peek(token, .changeEmail) else {
            return expiredLink(context)
        }
        return AccountViews.message(context, title: context("account.confirmEmail.title"),
                                    text: context("account.confirmEmail.intro", ["email": claim.payload ?? ""]),
                                    confirm: (SiteURL.confirmEmail(token: token).path, token, request.csrfToken, context("account.confirmEmail.submit")))
            .htmlResponse(status: .ok)
    }

    func confirmEmail(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let token = request.formValue("token")
        enum Outcome { case changed, taken, expired }
        let outcome: Outcome = try await request.db.transaction { database in
            let sql = try database.sql
            guard let claim = try await AccountTokens(sql: sql, now: now).consume(token, .changeEmail),
                  let newEmail = claim.payload.flatMap(EmailAddress.init)
            else { return .expired }
            let store = AccountStore(sql: sql, now: now)
            guard try await store.find(email: newEmail) == nil else { return .taken }
            guard let account = try await store.find(id: claim.accountID) else { return .expired }
            try await store.setEmail(id: account.id, email: newEmail)
            try await request.audit(.emailChanged, target: AuditEntry.account(id: account.id, email: newEmail.value),
                                    before: ["email": account.email], after: ["email": newEmail.value], on: sql)
            return .changed
        }
        switch outcome {
        case .expired:
            return expiredLink(context)
        case .taken:
            return AccountViews.message(context, title: context("account.confirmEmail.title"), text: context("account.confirmEmail.taken"))
                .htmlResponse(status: .conflict)
        case .changed:
            return AccountViews.message(context, title: context("account.confirmEmail.doneTitle"), text: context("account.confirmEmail.done"),
                                        link: (SiteURL.account.path, context("account.title")))
                .htmlResponse(status: .ok)
        }
    }

    func closeOtherSessions(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        try await request.sessionStore.closeAll(accountID: signedIn.accountID, keeping: signedIn.sessionHash)
        return request.redirect(to: SiteURL.Routes.account.path(query: [("done", "sessions-closed")]), redirectType: .normal)
    }
}
