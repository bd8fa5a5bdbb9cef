import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// "Contact us": a public form whose messages go by mail to the editors (or to the contact
/// address the operator set). Guarded against robots by a hidden field, a minimum fill time
/// and rate limits per address and per account.
struct ContactPage: RouteCollection {
    static let maximumMessageLength = 5_000
    static let maximumSubjectLength = 200
    static let labels: [String: L10nKey] = [
        "name": "contact.field.name", "email": "contact.field.email", "subject": "contact.field.subject", "message": "contact.field.message",
    ]

    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.contact, use: form)
        everyone.post(SiteURL.Routes.contact, use: send)
    }

    func form(_ request: Request) async throws -> Response {
        var values: [String: String] = [:]
        if let signedIn = request.signedIn { values = ["name": signedIn.name, "email": signedIn.email] }
        return try await page(request, FormBuilder(PageContext(request: request), values: values), status: .ok)
    }

    private func page(_ request: Request, _ form: FormBuilder, status: HTTPResponseStatus, message: String? = nil) async throws -> Response {
        let context = form.context
        let content: HTML = """
        <h1>\(context("contact.title"))</h1>
        <p>\(context("contact.intro"))</p>
        \(AccountViews.notice(message))
        \(form.summary(labels: Self.labels))
        <form method="post" action="\(SiteURL.contact.path)" class="stacked-form" novalidate>
        \(FormBuilder.csrf(request.csrfToken))
        \(try await request.formStampFields())
        \(form.input("name", label: "contact.field.name", required: true, autocomplete: "name", maxLength: Registration.maximumNameLength))
        \(form.input("email", label: "contact.field.email", type: "email", required: true, autocomplete: "email", maxLength: EmailAddress.maximumLength))
        \(form.input("subject", label: "contact.field.subject", required: true, maxLength: Self.maximumSubjectLength))
        \(form.textarea("message", label: "contact.field.message", required: true, maxLength: Self.maximumMessageLength))
        <button type="submit">\(context("contact.submit"))</button>
        </form>
        """
        return Layout.page(context, title: context("contact.title"), content: content).htmlResponse(status: status)
    }

    func send(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let now = request.application.clock.now()
        let limiter = try request.rateLimiter
        try await limiter.hit(RateLimits.publicFormPerAddress, key: request.clientAddress)
        if let signedIn = request.signedIn {
            try await limiter.hit(RateLimits.publicFormPerAccount, key: String(signedIn.accountID))
        }
        let values = ["name": request.formValue("name").trimmingCharacters(in: .whitespacesAndNewlines),
                      "email": request.formValue("email").trimmingCharacters(in: .whitespaces),
                      "subject": request.formValue("subject").trimmingCharacters(in: .whitespacesAndNewlines),
                      "message": request.formValue("message").trimmingCharacters(in: .whitespacesAndNewlines)]
        let refusal = try await request.formStampRefusal()
        var errors = FormErrors()
        if values["name"]!.isEmpty { errors.add("name", "form.required") }
        if values["name"]!.count > Registration.maximumNameLength { errors.add("name", "form.tooLong") }
        if EmailAddress(values["email"]!) == nil { errors.add("email", values["email"]!.isEmpty ? "form.required" : "account.error.email") }
        if values["subject"]!.isEmpty { errors.add("subject", "form.required") }
        if values["subject"]!.count > Self.maximumSubjectLength { errors.add("subject", "form.tooLong") }
        if values["message"]!.isEmpty { errors.add("message", "form.required") }
        if values["message"]!.count > Self.maximumMessageLength { errors.add("message", "form.tooLong") }
        guard refusal == nil, errors.isEmpty, let sender = EmailAddress(values["email"]!) else {
            return try await page(request, FormBuilder(context, errors: errors, values: values), status: .badRequest, message: refusal)
        }
        let settings = request.application.siteSettings
        let mails = AccountMails(settings: settings)
        try await request.db.transaction { database in
            let sql = try database.sql
            var recipients = settings.mail.contactAddress.map { [$0] } ?? []
            if recipients.isEmpty { recipients = try await AccountStore(sql: sql, now: now).staffAddresses() }
            if recipients.isEmpty { recipients = [settings.mail.from] }
            for recipient in recipients {
                try await Outbox.enqueue(mails.contactMessage(to: recipient, from: sender.value, name: values["name"]!,
                                                              subject: values["subject"]!, message: values["message"]!), at: now, on: sql)
            }
        }
        return AccountViews.message(context, title: context("contact.sentTitle"), text: context("contact.sent"),
                                    link: (SiteURL.home.path, context("error.home")))
            .htmlResponse(status: .ok)
    }
}
