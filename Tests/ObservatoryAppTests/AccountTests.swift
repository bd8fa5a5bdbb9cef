import Foundation
import ObservatoryCore
import SQLKit
import Testing
import VaporTesting
@testable import ObservatoryApp

@Suite("Accounts")
struct AccountTests {
    static let password = "plum orchard under winter light"

    func register(_ browser: Browser, email: String, name: String = "Ana Lima", password: String = Self.password) async throws -> TestingHTTPResponse {
        try await browser.submit("/account/register", ["name": name, "email": email, "organisation": "City of Recife",
                                                       "country": "BR", "password": password])
    }

    @Test(arguments: TestDatabase.allCases)
    func registrationVerificationApprovalAndSignIn(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let browser = Browser(app)
            let registered = try await register(browser, email: "Ana.Lima@Example.ORG")
            #expect(registered.status == .ok)
            #expect(registered.body.string.contains("We sent a message to Ana.Lima@example.org."))
            let account = try #require(try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(email: EmailAddress("ana.lima@example.org")!))
            #expect(account.status == .pending)
            #expect(account.emailVerifiedAt == nil)
            #expect(account.countryCode == "BR")
            #expect(account.passwordHash.hasPrefix("$2"))
            #expect(!account.passwordHash.contains(Self.password))
            let mails = try await app.outbox()
            #expect(mails.map(\.kind) == ["verify-email"])
            #expect(mails[0].recipient == "Ana.Lima@example.org")
            #expect(mails[0].body.contains("Hello Ana Lima"))

            // The link opens a confirmation button (mail scanners that follow links confirm nothing).
            let token = try #require(try await app.linkToken(kind: "verify-email"))
            let page = try await browser.get("/account/verify?token=\(token)")
            #expect(page.status == .ok)
            #expect(try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(id: account.id)?.emailVerifiedAt == nil)
            let confirmed = try await browser.submit("/account/verify?token=\(token)", action: "/account/verify", [:])
            #expect(confirmed.status == .ok)
            #expect(confirmed.body.string.contains("your email address is confirmed"))
            let reused = try await browser.post("/account/verify", ["token": token, "csrf_token": try await browser.csrfToken()])
            #expect(reused.status == .gone)
            #expect(reused.body.string.contains("The link has expired or has been used already."))

            // Signing in works while pending; the account page says it waits for approval.
            let signedIn = try await browser.signIn("ana.lima@EXAMPLE.org", Self.password)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers.first(name: .location) == "/account")
            let overview = try await browser.get("/account")
            #expect(overview.body.string.contains("waiting for an editor&#39;s approval") || overview.body.string.contains("waiting for an editor's approval"))
            #expect(overview.body.string.contains("Account: Ana Lima"))

            // An editor sees the pending count and approves; the owner gets a mail.
            let editor = try await app.makeAccount("editor@example.org", role: .editor)
            let staff = try await app.browser(signedInAs: editor)
            #expect(try await staff.get("/admin").body.string.contains("Accounts awaiting approval: 1"))
            let approved = try await staff.submit("/admin/accounts/\(account.id)", action: "/admin/accounts/\(account.id)/approve", [:])
            #expect(approved.status == .seeOther)
            #expect(try await app.outbox().last?.kind == "account-approved")
            #expect(try await staff.get("/admin").body.string.contains("Accounts awaiting approval: 0"))
            #expect(try await app.auditActions().contains(AuditAction.accountApproved.rawValue))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func registrationKeepsAnswersAndExplainsEveryProblem(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let browser = Browser(app)
            let response = try await browser.submit("/account/register", [
                "name": "", "email": "not-an-address", "organisation": "Ville de Lyon", "country": "ZZ", "password": "password1234",
            ])
            #expect(response.status == .badRequest)
            let body = response.body.string
            #expect(body.contains("There is a problem"))
            #expect(body.contains("id=\"field-name-error\">This field is required."))
            #expect(body.contains("id=\"field-email-error\">Enter an email address like name@example.org."))
            #expect(body.contains("id=\"field-country-error\">Choose a country from the list."))
            #expect(body.contains("id=\"field-password-error\">This password is among those that attackers try first."))
            #expect(body.contains("value=\"not-an-address\""))
            #expect(body.contains("value=\"Ville de Lyon\""))
            #expect(!body.contains("password1234"), "a password is never sent back")
            #expect(try await app.outbox().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func answersNeverTellWhetherAnAccountExists(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let known = try await app.makeAccount("known@example.org")
            func normalized(_ body: String) -> String {
                body.replacingOccurrences(of: #"value="[^"]*""#, with: "value=\"\"", options: .regularExpression)
                    .replacingOccurrences(of: "known@example.org", with: "ADDRESS").replacingOccurrences(of: "nobody@example.org", with: "ADDRESS")
            }
            // Sign-in: wrong password and unknown address read the same.
            let wrongPassword = try await Browser(app).signIn(known.email, "not the right password at all")
            let unknown = try await Browser(app).signIn("nobody@example.org", "not the right password at all")
            #expect(wrongPassword.status == .badRequest)
            #expect(unknown.status == wrongPassword.status)
            #expect(normalized(wrongPassword.body.string) == normalized(unknown.body.string))
            #expect(wrongPassword.body.string.contains("The email address or the password is not right."))

            // Password reset: the same page for both; only the real account gets a mail.
            let resetKnown = try await Browser(app).submit("/account/password-reset", ["email": known.email])
            let resetUnknown = try await Browser(app).submit("/account/password-reset", ["email": "nobody@example.org"])
            #expect(resetKnown.status == .ok && resetUnknown.status == .ok)
            #expect(normalized(resetKnown.body.string) == normalized(resetUnknown.body.string))
            #expect(try await app.outbox().map(\.recipient) == [known.email])

            // Registration with a taken address: the same page as a new one; the owner is told by mail.
            let again = try await register(Browser(app), email: known.email)
            let fresh = try await register(Browser(app), email: "nobody@example.org")
            #expect(again.status == .ok && fresh.status == .ok)
            #expect(normalized(again.body.string) == normalized(fresh.body.string))
            #expect(try await app.outbox().map(\.kind) == ["password-reset", "already-registered", "verify-email"])
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func resetTokensAreHashedSingleUseAndExpire(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("reset@example.org")
            let sql = app.db as! any SQLDatabase
            _ = try await Browser(app).submit("/account/password-reset", ["email": account.email])
            let token = try #require(try await app.linkToken(kind: "password-reset"))
            let stored = try await sql.select().column("token_hash").from("account_tokens").all()
                .map { try $0.decode(column: "token_hash", as: String.self) }
            #expect(stored == [SecretToken.hash(token)], "only the token's hash is stored")

            // A browser signed in elsewhere loses its session when the password is reset.
            let elsewhere = try await app.browser(signedInAs: account)
            let browser = Browser(app)
            #expect(try await browser.get("/account/password-reset/new?token=\(token)").status == .ok)
            let weak = try await browser.submit("/account/password-reset/new?token=\(token)", action: "/account/password-reset/new",
                                                ["password": "too short"])
            #expect(weak.status == .badRequest)
            #expect(weak.body.string.contains("Use at least 12 characters"))
            let newPassword = "a brand new passphrase for spring"
            let changed = try await browser.submit("/account/password-reset/new?token=\(token)", action: "/account/password-reset/new",
                                                   ["password": newPassword])
            #expect(changed.status == .seeOther)
            #expect(try await elsewhere.get("/account").status == .seeOther, "other sessions end")
            // Used once: the same link is dead.
            #expect(try await browser.get("/account/password-reset/new?token=\(token)").status == .gone)
            #expect(try await browser.post("/account/password-reset/new", ["token": token, "password": "yet another long passphrase",
                                                                          "csrf_token": try await browser.csrfToken()]).status == .gone)
            #expect(try await browser.signIn(account.email, account.password).status == .badRequest)
            #expect(try await browser.signIn(account.email, newPassword).status == .seeOther)
            #expect(try await app.outbox().last?.kind == "password-changed")

            // Expiry: a new link is dead after an hour.
            _ = try await Browser(app).submit("/account/password-reset", ["email": account.email])
            let second = try #require(try await app.linkToken(kind: "password-reset"))
            app.clock.advance(by: 3_601)
            #expect(try await Browser(app).get("/account/password-reset/new?token=\(second)").status == .gone)
            #expect(try await app.auditActions().contains(AuditAction.passwordReset.rawValue))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func changingPasswordAndAddress(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("change@example.org", name: "Chidi Okoro")
            let other = try await app.browser(signedInAs: account)
            let browser = try await app.browser(signedInAs: account)
            let before = browser.sessionToken

            let wrong = try await browser.submit("/account", action: "/account/password",
                                                 ["current_password": "not my password", "password": "Chidi Okoro 1234"])
            #expect(wrong.status == .badRequest)
            #expect(wrong.body.string.contains("This is not your current password."))
            #expect(wrong.body.string.contains("Do not use your name or email address as your password."))

            let newPassword = "the river runs quietly at night"
            let changed = try await browser.submit("/account", action: "/account/password",
                                                   ["current_password": account.password, "password": newPassword])
            #expect(changed.status == .seeOther)
            #expect(browser.sessionToken != nil && browser.sessionToken != before, "a new session id after a privilege change")
            #expect(try await browser.get("/account").status == .ok)
            #expect(try await other.get("/account").status == .seeOther, "every other session ends")

            // Address change: confirmed from the new address, the old one is told.
            let asked = try await browser.submit("/account", action: "/account/email",
                                                 ["new_email": "new@example.org", "email_password": newPassword])
            #expect(asked.status == .seeOther)
            let kinds = try await app.outbox().map(\.kind)
            #expect(kinds.suffix(2) == ["change-email", "email-change-notice"])
            let token = try #require(try await app.linkToken(kind: "change-email"))
            let confirm = try await browser.submit("/account/email/confirm?token=\(token)", action: "/account/email/confirm", [:])
            #expect(confirm.status == .ok)
            #expect(try await browser.get("/account").body.string.contains("<dd>new@example.org</dd>"))
            #expect(try await Browser(app).signIn("new@example.org", newPassword).status == .seeOther)
            #expect(try await app.auditActions().contains(AuditAction.emailChanged.rawValue))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func pendingAndUnverifiedAccountsCannotSubmit(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            // A route with the contributor rule, as submissions to calls have.
            app.access(.contributor).post("test-submission") { _ in "accepted" }
            let pending = try await app.makeAccount("pending@example.org", status: .pending)
            let unverified = try await app.makeAccount("unverified@example.org", verified: false)
            let rejected = try await app.makeAccount("rejected@example.org", status: .rejected)
            let active = try await app.makeAccount("active@example.org")

            func submit(_ account: TestAccount) async throws -> TestingHTTPResponse {
                let browser = try await app.browser(signedInAs: account)
                return try await browser.post("/test-submission", ["csrf_token": try await browser.csrfToken()])
            }
            let refusedPending = try await submit(pending)
            #expect(refusedPending.status == .forbidden)
            #expect(refusedPending.body.string.contains("waiting for an editor"))
            let refusedUnverified = try await submit(unverified)
            #expect(refusedUnverified.status == .forbidden)
            #expect(refusedUnverified.body.string.contains("Confirm your email address first"))
            #expect(try await submit(rejected).status == .forbidden)
            let accepted = try await submit(active)
            #expect(accepted.status == .ok)
            #expect(accepted.body.string == "accepted")

            // Once approved, the same account may submit.
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            _ = try await editor.submit("/admin/accounts/\(pending.id)", action: "/admin/accounts/\(pending.id)/approve", [:])
            #expect(try await submit(pending).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func approvalCanBeSwitchedOffAndRegistrationClosed(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let admin = try await app.browser(signedInAs: try await app.makeAccount("admin@example.org", role: .admin))
            let saved = try await admin.submit("/admin/settings", ["registration_open": "on"])
            #expect(saved.status == .seeOther)
            _ = try await register(Browser(app), email: "direct@example.org")
            let account = try #require(try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(email: EmailAddress("direct@example.org")!))
            #expect(account.status == .active)

            _ = try await admin.submit("/admin/settings", [:])
            let closed = try await Browser(app).get("/account/register")
            #expect(closed.body.string.contains("New accounts cannot be created at the moment."))
            let refused = try await register(Browser(app), email: "late@example.org")
            #expect(refused.status != .ok)
            #expect(try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(email: EmailAddress("late@example.org")!) == nil)

            let audit = try await admin.get("/admin/audit?action=setting.changed")
            #expect(audit.status == .ok)
            #expect(audit.body.string.contains("<code>accounts.approval_required</code>: on → off"))
            #expect(audit.body.string.contains("<code>accounts.registration_open</code>: on → off"))
            #expect(audit.body.string.contains("2 entries"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func createAdminMakesOrPromotesAnAdministrator(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            await #expect(throws: CreateAdminCommand.AdminCreationError.self) {
                _ = try await CreateAdminCommand.createAdmin(app, email: EmailAddress("root@example.org")!, name: "Root", password: "123456789012")
            }
            let message = try await CreateAdminCommand.createAdmin(app, email: EmailAddress("root@example.org")!, name: "Root",
                                                                   password: "a long administrator passphrase")
            #expect(message == "Administrator root@example.org created.")
            let admin = try await app.browser(signedInAs: TestAccount(id: 0, email: "root@example.org", password: "a long administrator passphrase"))
            #expect(try await admin.get("/admin/audit").status == .ok)

            let existing = try await app.makeAccount("someone@example.org")
            let promoted = try await CreateAdminCommand.createAdmin(app, email: EmailAddress(existing.email)!, name: "",
                                                                    password: "another administrator passphrase")
            #expect(promoted == "someone@example.org is now an administrator.")
            #expect(try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(id: existing.id)?.role == .admin)
            #expect(try await app.auditActions().filter { $0 == AuditAction.adminCreated.rawValue }.count == 2)
        }
    }
}
