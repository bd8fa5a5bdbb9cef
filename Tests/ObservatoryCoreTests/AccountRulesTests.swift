import Testing
@testable import ObservatoryCore

@Suite("Account rules")
struct AccountRulesTests {
    @Test(arguments: [
        ("short pass", PasswordPolicy.Problem.tooShort),
        ("123456789012", .common), ("password1234", .common), ("Password1234!", .common), ("passwordpassword", .common),
        ("qwertyuiopas", .common), ("aaaaaaaaaaaa", .common), ("abcabcabcabc", .common), ("987654321098", .common),
        ("!!Welcome2026!!", .common), ("iloveyou!!!!!!", .common), ("LetMeIn123456", .common), ("zyxwvutsrqpo", .common),
        ("amara.okafor1", .personal), ("AmaraOkafor!!", .personal),
    ])
    func refusedPasswords(_ password: String, _ problem: PasswordPolicy.Problem) {
        #expect(PasswordPolicy.problem(with: password, personal: ["amara.okafor@example.org", "Amara Okafor"]) == problem)
    }

    @Test(arguments: [
        "correct horse battery", "plum orchard under winter light", "mot de passe très long", "كلمة مرور طويلة جدا",
        "密码是一个很长很长的句子", "Tr0ub4dor&3-extended", "amara loves long walks by the sea",
    ])
    func acceptedPasswords(_ password: String) {
        #expect(PasswordPolicy.problem(with: password, personal: ["amara.okafor@example.org", "Amara Okafor"]) == nil)
    }

    @Test func lengthCountsCharactersAfterNormalisation() {
        // 12 characters, 24 bytes: length is counted in characters, not bytes.
        #expect(PasswordPolicy.problem(with: "éàüöïçñøåßœæ") == nil)
        // A decomposed "é" (e + combining accent) is one character, and the same password as the composed one.
        #expect(PasswordPolicy.normalized("cafe\u{301}") == PasswordPolicy.normalized("café"))
        // Compatibility forms fold: a full-width letter is the letter.
        #expect(PasswordPolicy.normalized("Ａ") == "A")
        #expect(PasswordPolicy.problem(with: String(repeating: "x y", count: 400)) == .tooLong)
    }

    @Test func emailAddresses() {
        #expect(EmailAddress(" Ana.Lima@Example.ORG ")?.value == "Ana.Lima@example.org")
        #expect(EmailAddress("Ana.Lima@Example.ORG")?.lookupKey == "ana.lima@example.org")
        for bad in ["", "ana", "@example.org", "ana@", "ana@localhost", "ana@@example.org", "a b@example.org",
                    "ana@example..org", "<ana@example.org>", "ana@example.org\nBcc: x@y.org", String(repeating: "a", count: 65) + "@example.org"] {
            #expect(EmailAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func accessDecisions() {
        let contributor = Standing(role: .contributor, status: .active, emailVerified: true)
        #expect(AccessLevel.everyone.decide(for: nil) == .allowed)
        #expect(AccessLevel.signedIn.decide(for: nil) == .signInRequired)
        #expect(AccessLevel.signedIn.decide(for: Standing(role: .contributor, status: .pending, emailVerified: false)) == .allowed)
        #expect(AccessLevel.contributor.decide(for: contributor) == .allowed)
        #expect(AccessLevel.contributor.decide(for: Standing(role: .contributor, status: .pending, emailVerified: true)) == .forbidden(.notApproved))
        #expect(AccessLevel.contributor.decide(for: Standing(role: .contributor, status: .rejected, emailVerified: true)) == .forbidden(.notApproved))
        #expect(AccessLevel.contributor.decide(for: Standing(role: .contributor, status: .active, emailVerified: false)) == .forbidden(.emailNotVerified))
        #expect(AccessLevel.editor.decide(for: contributor) == .forbidden(.role))
        #expect(AccessLevel.editor.decide(for: Standing(role: .editor, status: .active, emailVerified: false)) == .allowed)
        #expect(AccessLevel.editor.decide(for: Standing(role: .editor, status: .pending, emailVerified: true)) == .forbidden(.notApproved))
        #expect(AccessLevel.admin.decide(for: Standing(role: .editor, status: .active, emailVerified: true)) == .forbidden(.role))
        #expect(AccessLevel.admin.decide(for: Standing(role: .admin, status: .active, emailVerified: true)) == .allowed)
        #expect(AccessLevel.contributor.decide(for: Standing(role: .admin, status: .active, emailVerified: true)) == .allowed)
    }

    @Test func formTiming() {
        #expect(FormTiming.judge(honeypot: "", renderedAt: 100, now: 110) == .accepted)
        #expect(FormTiming.judge(honeypot: nil, renderedAt: 100, now: 101) == .tooFast)
        #expect(FormTiming.judge(honeypot: "x", renderedAt: 100, now: 200) == .honeypotFilled)
        #expect(FormTiming.judge(honeypot: "", renderedAt: nil, now: 200) == .stale)
        #expect(FormTiming.judge(honeypot: "", renderedAt: 100, now: 100 + FormTiming.maximumAgeSeconds + 1) == .stale)
        #expect(FormTiming.judge(honeypot: "", renderedAt: 1_000, now: 100) == .stale, "a stamp from the future")
    }

    @Test func rateLimitWindows() {
        let rule = RateLimitRule(name: "r", limit: 3, window: 900)
        #expect(rule.windowStart(at: 1_000) == 900)
        #expect(rule.retryAfter(at: 1_000) == 800)
        #expect(rule.windowStart(at: 1_799) == 900 && rule.windowStart(at: 1_800) == 1_800)
        #expect(rule.bucket(for: "1.2.3.4") == "r:1.2.3.4")
    }

    @Test func everyAccountStringHasEnglishText() {
        var keys: [String] = Role.allCases.map(\.nameKey) + AccountStatus.allCases.map(\.nameKey) + AuditAction.allCases.map(\.nameKey)
        keys += [PasswordPolicy.Problem.tooShort, .tooLong, .common, .personal].map(\.messageKey)
        keys += [AccessDecision.Refusal.role, .notApproved, .emailNotVerified].map(\.messageKey)
        for key in keys { #expect(Localizer.hasText(for: L10nKey(key)), "\(key)") }
    }
}
