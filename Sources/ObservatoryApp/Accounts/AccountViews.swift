import ObservatoryCore
import Vapor

/// The pages of signing in, registering and managing one's account.
enum AccountViews {
    static let registrationLabels: [String: L10nKey] = [
        "name": "account.field.name", "email": "account.field.email", "organisation": "account.field.organisation",
        "country": "account.field.country", "password": "account.field.password",
    ]

    static func countryOptions(_ context: PageContext) -> [(value: String, label: String)] {
        [("", context("account.country.none"))] + Countries.all.sorted { $0.name < $1.name }.map { ($0.alpha2, $0.name) }
    }

    static func notice(_ text: String?) -> HTML {
        guard let text else { return "" }
        return "<p class=\"notice\" role=\"status\">\(text)</p>"
    }

    static func register(_ context: PageContext, form: FormBuilder, csrf: String, stamp: HTML, message: String? = nil) -> HTML {
        let content: HTML = """
        <h1>\(context("account.register.title"))</h1>
        <p>\(context("account.register.intro"))</p>
        \(notice(message))
        \(form.summary(labels: registrationLabels))
        <form method="post" action="\(SiteURL.register.path)" class="stacked-form" novalidate>
        \(FormBuilder.csrf(csrf))
        \(stamp)
        \(form.input("name", label: "account.field.name", required: true, autocomplete: "name", maxLength: Registration.maximumNameLength))
        \(form.input("email", label: "account.field.email", type: "email", required: true, autocomplete: "email", maxLength: EmailAddress.maximumLength))
        \(form.input("organisation", label: "account.field.organisation", autocomplete: "organization", maxLength: Registration.maximumNameLength))
        \(form.select("country", label: "account.field.country", options: countryOptions(context), autocomplete: "country"))
        \(form.input("password", label: "account.field.password", type: "password", required: true, autocomplete: "new-password",
                     hint: "account.password.hint", maxLength: PasswordPolicy.maximumLength, keepValue: false))
        <button type="submit">\(context("account.register.submit"))</button>
        </form>
        <p>\(context("account.register.haveAccount")) <a href="\(SiteURL.signIn().path)">\(context("account.signIn.title"))</a></p>
        """
        return Layout.page(context, title: context("account.register.title"), content: content)
    }

    static func signIn(_ context: PageContext, form: FormBuilder, csrf: String, next: String?, message: String? = nil,
                       failure: String? = nil) -> HTML {
        let content: HTML = """
        <h1>\(context("account.signIn.title"))</h1>
        \(notice(message))
        \(failure.map { "<div class=\"error-summary\" role=\"alert\"><p>\($0)</p></div>" as HTML })
        <form method="post" action="\(SiteURL.signIn().path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        \(next.map { "<input type=\"hidden\" name=\"next\" value=\"\($0)\">" as HTML })
        \(form.input("email", label: "account.field.email", type: "email", required: true, autocomplete: "email", maxLength: EmailAddress.maximumLength))
        \(form.input("password", label: "account.field.password", type: "password", required: true, autocomplete: "current-password",
                     maxLength: PasswordPolicy.maximumLength, keepValue: false))
        <button type="submit">\(context("account.signIn.submit"))</button>
        </form>
        <ul class="form-links">
        <li><a href="\(SiteURL.passwordReset.path)">\(context("account.reset.link"))</a></li>
        <li><a href="\(SiteURL.register.path)">\(context("account.register.link"))</a></li>
        </ul>
        """
        return Layout.page(context, title: context("account.signIn.title"), content: content)
    }

    /// A page with a heading, a sentence and an optional link or confirmation button.
    static func message(_ context: PageContext, title: String, text: String, link: (String, String)? = nil,
                        confirm: (action: String, token: String, csrf: String, label: String)? = nil) -> HTML {
        let content: HTML = """
        <h1>\(title)</h1>
        <p>\(text)</p>
        \(confirm.map { confirm in """
        <form method="post" action="\(confirm.action)">
        \(FormBuilder.csrf(confirm.csrf))
        <input type="hidden" name="token" value="\(confirm.token)">
        <button type="submit">\(confirm.label)</button>
        </form>
        """ as HTML })
        \(link.map { "<p><a href=\"\($0.0)\">\($0.1)</a></p>" as HTML })
        """
        return Layout.page(context, title: title, content: content)
    }

    static func resetRequest(_ context: PageContext, form: FormBuilder, csrf: String, stamp: HTML, message: String? = nil) -> HTML {
        let content: HTML = """
        <h1>\(context("account.reset.title"))</h1>
        <p>\(context("account.reset.intro"))</p>
        \(notice(message))
        \(form.summary(labels: ["email": "account.field.email"]))
        <form method="post" action="\(SiteURL.passwordReset.path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        \(stamp)
        \(form.input("email", label: "account.field.email", type: "email", required: true, autocomplete: "email", maxLength: EmailAddress.maximumLength))
        <button type="submit">\(context("account.reset.submit"))</button>
        </form>
        """
        return Layout.page(context, title: context("account.reset.title"), content: content)
    }

    static func newPassword(_ context: PageContext, form: FormBuilder, csrf: String, token: String) -> HTML {
        let content: HTML = """
        <h1>\(context("account.newPassword.title"))</h1>
        \(form.summary(labels: ["password": "account.field.newPassword"]))
        <form method="post" action="\(SiteURL.newPassword(token: token).path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        <input type="hidden" name="token" value="\(token)">
        \(form.input("password", label: "account.field.newPassword", type: "password", required: true, autocomplete: "new-password",
                     hint: "account.password.hint", maxLength: PasswordPolicy.maximumLength, keepValue: false))
        <button type="submit">\(context("account.newPassword.submit"))</button>
        </form>
        """
        return Layout.page(context, title: context("account.newPassword.title"), content: content)
    }

    struct Overview {
        let account: AccountRecord
        let otherSessions: Int
        let passwordForm: FormBuilder
        let emailForm: FormBuilder
        let message: String?
        /// The section on personal API tokens.
        let apiTokens: HTML
    }

    static func account(_ context: PageContext, _ overview: Overview, csrf: String) -> HTML {
        let account = overview.account
        var standing: [HTML] = []
        if account.emailVerifiedAt == nil {
            standing.append("""
            <div class="notice"><p>\(context("account.unverified", ["email": account.email]))</p>
            <form method="post" action="\(SiteURL.resendVerification.path)">\(FormBuilder.csrf(csrf))
            <button type="submit">\(context("account.unverified.resend"))</button></form></div>
            """)
        }
        switch account.status {
        case .pending: standing.append("<p class=\"notice\">\(context("account.pending"))</p>")
        case .rejected: standing.append("<p class=\"notice\">\(context("account.rejected"))</p>")
        case .active, .suspended: break
        }
        let country = Countries.code(account.countryCode)?.name ?? "—"
        let content: HTML = """
        <h1>\(context("account.title"))</h1>
        \(notice(overview.message))
        \(standing)
        <div class="facts"><dl>
        <dt>\(context("account.field.name"))</dt><dd>\(account.name)</dd>
        <dt>\(context("account.field.email"))</dt><dd>\(account.email)</dd>
        <dt>\(context("account.field.organisation"))</dt><dd>\(account.organisation.isEmpty ? "—" : account.organisation)</dd>
        <dt>\(context("account.field.country"))</dt><dd>\(country)</dd>
        <dt>\(context("account.field.role"))</dt><dd>\(context(L10nKey(account.role.nameKey)))</dd>
        <dt>\(context("account.field.status"))</dt><dd>\(context(L10nKey(account.status.nameKey)))</dd>
        </dl></div>
        <section aria-labelledby="password-heading">
        <h2 id="password-heading">\(context("account.changePassword.title"))</h2>
        \(overview.passwordForm.summary(labels: ["current_password": "account.field.currentPassword", "password": "account.field.newPassword"]))
        <form method="post" action="\(SiteURL.changePassword.path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        \(overview.passwordForm.input("current_password", label: "account.field.currentPassword", type: "password", required: true,
                                      autocomplete: "current-password", maxLength: PasswordPolicy.maximumLength, keepValue: false))
        \(overview.passwordForm.input("password", label: "account.field.newPassword", type: "password", required: true,
                                      autocomplete: "new-password", hint: "account.password.hint", maxLength: PasswordPolicy.maximumLength, keepValue: false))
        <button type="submit">\(context("account.changePassword.submit"))</button>
        </form>
        </section>
        <section aria-labelledby="email-heading">
        <h2 id="email-heading">\(context("account.changeEmail.title"))</h2>
        \(overview.emailForm.summary(labels: ["new_email": "account.field.newEmail", "email_password": "account.field.currentPassword"]))
        <form method="post" action="\(SiteURL.changeEmail.path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        \(overview.emailForm.input("new_email", label: "account.field.newEmail", type: "email", required: true, autocomplete: "email",
                                   maxLength: EmailAddress.maximumLength))
        \(overview.emailForm.input("email_password", label: "account.field.currentPassword", type: "password", required: true,
                                   autocomplete: "current-password", maxLength: PasswordPolicy.maximumLength, keepValue: false))
        <button type="submit">\(context("account.changeEmail.submit"))</button>
        </form>
        </section>
        <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">\(context("account.sessions.title"))</h2>
        <p>\(context("account.sessions.others", ["count": String(overview.otherSessions)]))</p>
        <form method="post" action="\(SiteURL.closeOtherSessions.path)">
        \(FormBuilder.csrf(csrf))
        <button type="submit">\(context("account.sessions.closeOthers"))</button>
        </form>
        </section>
        \(overview.apiTokens)
        """
        return Layout.page(context, title: context("account.title"), content: content)
    }
}
