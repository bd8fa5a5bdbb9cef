import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

@Suite("Sessions, rate limits and headers")
struct SecurityTests {
    @Test(arguments: TestDatabase.allCases)
    func signingInIssuesANewSessionIdAndPlantedIdsAreWorthless(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let attacker = try await app.makeAccount("attacker@example.org")
            let victim = try await app.makeAccount("victim@example.org", name: "Victoria Ndlovu")
            // The attacker signs in and plants their own session id in the victim's browser.
            let planted = try #require(try await app.browser(signedInAs: attacker).sessionToken)
            let browser = Browser(app)
            browser.setCookie(SessionStore.cookieName, planted)
            #expect(try await browser.signIn(victim.email, victim.password).status == .seeOther)
            let issued = try #require(browser.sessionToken)
            #expect(issued != planted)
            #expect(try await browser.get("/account").body.string.contains("Victoria Ndlovu"))
            let attackerView = Browser(app)
            attackerView.setCookie(SessionStore.cookieName, planted)
            #expect(try await attackerView.get("/account").status == .seeOther, "the planted session was closed")

            // The cookie's attributes; only a hash of the id is stored.
            let response = try await Browser(app).signIn(victim.email, victim.password)
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SessionStore.cookieName + "=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            let stored = try await (app.db as! any SQLDatabase).select().column("id_hash").from("sessions").all()
                .map { try $0.decode(column: "id_hash", as: String.self) }
            #expect(!stored.contains(issued) && stored.contains(SecretToken.hash(issued)))
        }
    }

    @Test func sessionCookieIsSecureOnHTTPSAndHSTSIsSent() async throws {
        try await withApp(.sqlite, adjust: { settings in
            accountTestSettings(&settings)
            settings.baseURL = "https://observatory.example"
        }) { app in
            let account = try await app.makeAccount("secure@example.org")
            let response = try await Browser(app).signIn(account.email, account.password)
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SessionStore.cookieName + "=") })
            #expect(cookie.contains("Secure"))
            #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func sessionsExpireWhenIdleAndAfterTheirLifetimeAndEndAtSignOut(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("expiry@example.org")
            let idle = try await app.browser(signedInAs: account)
            app.clock.advance(by: app.siteSettings.sessionIdleSeconds + 1)
            let expired = try await idle.get("/account")
            #expect(expired.status == .seeOther)
            #expect(expired.headers.first(name: .location) == "/account/sign-in?next=%2Faccount")
            #expect(idle.sessionToken == nil, "the dead cookie is removed")

            // Active all along, yet ended after the absolute lifetime.
            let busy = try await app.browser(signedInAs: account)
            var elapsed: Int64 = 0
            while elapsed + 3_600 < app.siteSettings.sessionMaximumSeconds {
                app.clock.advance(by: 3_600)
                elapsed += 3_600
                #expect(try await busy.get("/account").status == .ok)
            }
            app.clock.advance(by: 3_601)
            #expect(try await busy.get("/account").status == .seeOther)

            // Signing out ends the session on the server: a copied cookie no longer works.
            let browser = try await app.browser(signedInAs: account)
            let copy = try #require(browser.sessionToken)
            let signedOut = try await browser.submit("/account", action: "/account/sign-out", [:])
            #expect(signedOut.status == .seeOther)
            #expect(browser.sessionToken == nil)
            let replay = Browser(app)
            replay.setCookie(SessionStore.cookieName, copy)
            #expect(try await replay.get("/account").status == .seeOther)
            #expect(try await app.auditActions().contains(AuditAction.signedOut.rawValue))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRoleChangeContinuesUnderANewSessionId(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let admin = try await app.browser(signedInAs: try await app.makeAccount("admin@example.org", role: .admin))
            let account = try await app.makeAccount("promoted@example.org")
            let user = try await app.browser(signedInAs: account)
            let before = try #require(user.sessionToken)
            #expect(try await user.get("/admin").status == .forbidden)
            let changed = try await admin.submit("/admin/accounts/\(account.id)", action: "/admin/accounts/\(account.id)/role", ["role": "editor"])
            #expect(changed.status == .seeOther)
            #expect(try await user.get("/admin").status == .ok)
            let after = try #require(user.sessionToken)
            #expect(after != before)
            let old = Browser(app)
            old.setCookie(SessionStore.cookieName, before)
            #expect(try await old.get("/account").status == .seeOther)

            let audit = try await admin.get("/admin/audit?action=account.role_changed&actor=admin%40")
            #expect(audit.body.string.contains("<code>role</code>: contributor → editor"))
            #expect(audit.body.string.contains("promoted@example.org"))
            #expect(audit.body.string.contains("1 entries"))
            // Suspending ends the account's sessions at once.
            _ = try await admin.submit("/admin/accounts/\(account.id)", action: "/admin/accounts/\(account.id)/status", ["status": "suspended"])
            #expect(try await user.get("/admin").status == .seeOther)
            #expect(try await user.signIn(account.email, account.password).status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func sessionsAndLimitsHoldAcrossAppInstances(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("shared@example.org", name: "Shared Person")
            let onA = try await app.browser(signedInAs: account)
            try await withSecondInstance(of: app) { other in
                // Both instances at the same stopped moment, so no rate-limit window ends between them.
                let moment = app.clock.now()
                app.clock.freeze(at: moment)
                other.clock.freeze(at: moment)
                let onB = Browser(other)
                onB.setCookie(SessionStore.cookieName, onA.sessionToken!)
                #expect(try await onB.get("/account").body.string.contains("Shared Person"))
                // Signing out on B ends the session on A.
                _ = try await onB.submit("/account", action: "/account/sign-out", [:])
                #expect(try await onA.get("/account").status == .seeOther)

                // Failed sign-ins from one client counted on both instances add up.
                let limit = RateLimits.signInFailuresPerAccountAndAddress.limit
                for attempt in 0..<limit {
                    let instance = attempt % 2 == 0 ? app : other
                    #expect(try await Browser(instance, address: "203.0.113.9").signIn(account.email, "wrong password number \(attempt)").status == .badRequest)
                }
                #expect(try await Browser(other, address: "203.0.113.9").signIn(account.email, account.password).status == .tooManyRequests)
                #expect(try await Browser(app, address: "203.0.113.9").signIn(account.email, account.password).status == .tooManyRequests)
                // The owner, elsewhere, still signs in on either instance.
                #expect(try await Browser(app, address: "203.0.113.10").signIn(account.email, account.password).status == .seeOther)
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func rateLimitsAreReachedAndReleased(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            // A stopped clock: no window ends in the middle of the test.
            app.clock.freeze(at: app.clock.now())
            let account = try await app.makeAccount("limited@example.org")
            // Failed sign-ins to one account from one client.
            let guesser = "198.51.100.66"
            for attempt in 0..<RateLimits.signInFailuresPerAccountAndAddress.limit {
                #expect(try await Browser(app, address: guesser).signIn(account.email, "wrong password number \(attempt)").status == .badRequest)
            }
            let blocked = try await Browser(app, address: guesser).signIn(account.email, account.password)
            #expect(blocked.status == .tooManyRequests)
            let retryAfter = try #require(blocked.headers.first(name: "Retry-After").flatMap(Int64.init))
            #expect(retryAfter > 0 && retryAfter <= RateLimits.signInFailuresPerAccountAndAddress.window)
            #expect(blocked.body.string.contains("Too many attempts. Wait"))
            // The same answer for an address without an account (nothing to learn from a 429).
            for attempt in 0..<RateLimits.signInFailuresPerAccountAndAddress.limit {
                _ = try await Browser(app, address: guesser).signIn("ghost@example.org", "wrong password number \(attempt)")
            }
            #expect(try await Browser(app, address: guesser).signIn("ghost@example.org", "x").status == .tooManyRequests)
            app.clock.advance(by: retryAfter)
            #expect(try await Browser(app, address: guesser).signIn(account.email, account.password).status == .seeOther)
            // Each limit reached is in the audit log once, however many requests it turned away.
            #expect(try await app.auditActions().filter { $0 == AuditAction.rateLimited.rawValue }.count == 2)

            // Registrations from one address.
            let registrant = Browser(app, address: "198.51.100.7")
            for index in 0..<RateLimits.registrationPerAddress.limit {
                let response = try await registrant.submit("/account/register", ["name": "Person \(index)", "email": "p\(index)@example.org",
                                                                                "password": "a long enough passphrase \(index)"])
                #expect(response.status == .ok)
            }
            let refused = try await registrant.submit("/account/register", ["name": "One more", "email": "more@example.org",
                                                                           "password": "a long enough passphrase again"])
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers.first(name: "Retry-After") ?? "") != nil)
            #expect(try await Browser(app, address: "198.51.100.8").submit("/account/register", [
                "name": "Elsewhere", "email": "elsewhere@example.org", "password": "a long enough passphrase too"]).status == .ok)

            // Reset mails to one account.
            for _ in 0..<RateLimits.passwordResetPerAccount.limit {
                #expect(try await Browser(app).submit("/account/password-reset", ["email": account.email]).status == .ok)
            }
            #expect(try await Browser(app).submit("/account/password-reset", ["email": account.email]).status == .tooManyRequests)

            // The contact form from one address.
            let writer = Browser(app, address: "203.0.113.9")
            for index in 0..<RateLimits.publicFormPerAddress.limit {
                let sent = try await writer.submit("/contact", ["name": "Writer", "email": "writer@example.org",
                                                               "subject": "Question \(index)", "message": "Hello there."])
                #expect(sent.status == .ok)
            }
            #expect(try await writer.submit("/contact", ["name": "Writer", "email": "writer@example.org", "subject": "Again",
                                                         "message": "Hello."]).status == .tooManyRequests)
            app.clock.advance(by: RateLimits.publicFormPerAddress.window)
            #expect(try await writer.submit("/contact", ["name": "Writer", "email": "writer@example.org", "subject": "Later",
                                                         "message": "Hello."]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func publicFormsTurnAwayRobotsButKeepWhatPeopleTyped(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: { settings in
            accountTestSettings(&settings)
            settings.formMinimumSeconds = 3
        }) { app in
            let fields = ["name": "Rosa Díaz", "email": "rosa@example.org", "subject": "Datos abiertos", "message": "¿Tienen un conjunto de datos?"]
            // The clock stands still unless the test moves it, however slow the machine.
            app.clock.freeze(at: app.clock.now())
            // Sent at once: too fast for a person.
            let browser = Browser(app)
            let fast = try await browser.submit("/contact", fields)
            #expect(fast.status == .badRequest)
            #expect(fast.body.string.contains("The form was sent very quickly after it opened"))
            #expect(fast.body.string.contains("value=\"Rosa Díaz\""))
            #expect(fast.body.string.contains("¿Tienen un conjunto de datos?</textarea>"))
            // The hidden field filled in.
            let form = try await browser.get("/contact")
            var hidden = Browser.hiddenFields(in: form.body.string, formAction: "/contact")
            app.clock.advance(by: 5)
            hidden[FormStamp.honeypotField] = "https://spam.example"
            let trapped = try await browser.post("/contact", hidden.merging(fields) { $1 })
            #expect(trapped.status == .badRequest)
            #expect(trapped.body.string.contains("A field that should stay empty was filled in"))
            // A forged stamp.
            hidden[FormStamp.honeypotField] = ""
            hidden[FormStamp.stampField] = "\(app.clock.now() - 60).0000"
            #expect(try await browser.post("/contact", hidden.merging(fields) { $1 }).body.string.contains("The form was open for too long"))
            #expect(try await app.outbox().isEmpty)
            // A person who takes their time gets through; the editors get the message.
            let editor = try await app.makeAccount("editor@example.org", role: .editor)
            let page = try await browser.get("/contact")
            app.clock.advance(by: 4)
            var real = Browser.hiddenFields(in: page.body.string, formAction: "/contact")
            real[FormStamp.honeypotField] = ""
            let sent = try await browser.post("/contact", real.merging(fields) { $1 })
            #expect(sent.status == .ok)
            let mail = try #require(try await app.outbox().first)
            #expect(mail.recipient == editor.email)
            #expect(mail.subject == "[Observatory of Public Sector Innovation] Datos abiertos")
            #expect(mail.body.contains("Rosa Díaz <rosa@example.org> wrote"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func securityHeadersOnPagesJSONAndErrors(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let browser = Browser(app)
            var responses: [(String, TestingHTTPResponse)] = [
                ("page", try await browser.get("/")),
                ("form", try await browser.get("/account/sign-in")),
                ("json", try await browser.get("/api/v1/cases")),
                ("json error", try await browser.get("/api/v1/cases?page=0")),
                ("not found", try await browser.get("/no-such-page")),
                ("csrf refusal", try await browser.post("/contact", [:])),
                ("redirect", try await browser.get("/account")),
            ]
            app.clock.freeze(at: app.clock.now())
            let account = try await app.makeAccount("h@example.org")
            for attempt in 0...RateLimits.signInFailuresPerAccountAndAddress.limit {
                let response = try await Browser(app, address: "198.51.100.77").signIn(account.email, "wrong \(attempt)")
                if response.status == .tooManyRequests { responses.append(("rate limited", response)) }
            }
            #expect(responses.count == 8)
            #expect(responses[2].1.headers.contentType == .json)
            #expect(responses[3].1.status == .badRequest)
            #expect(responses[4].1.status == .notFound)
            for (name, response) in responses {
                let policy = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("frame-ancestors 'none'"), "\(name)")
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "\(name)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(name)")
                #expect(response.headers.first(name: "Referrer-Policy") == "strict-origin-when-cross-origin", "\(name)")
                #expect(response.headers.first(name: "Permissions-Policy")?.contains("camera=()") == true, "\(name)")
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS over plain HTTP: \(name)")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func signedInPagesAreNeverServedFromTheSharedCache(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let account = try await app.makeAccount("cache@example.org", name: "Kenji Watanabe")
            let member = try await app.browser(signedInAs: account)
            let home = try await member.get("/")
            #expect(home.body.string.contains("Account: Kenji Watanabe"))
            #expect(home.headers.first(name: .cacheControl) == "private, no-store")
            let anonymous = try await Browser(app).get("/")
            #expect(!anonymous.body.string.contains("Kenji Watanabe"))
            #expect(anonymous.body.string.contains(">Sign in</a>"))
        }
    }
}
