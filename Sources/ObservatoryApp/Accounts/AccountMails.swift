import Foundation
import ObservatoryCore

/// The mails accounts send, in the site's language, with absolute links.
struct AccountMails {
    private let composer: MailComposer

    init(settings: SiteSettings) { composer = MailComposer(settings: settings) }

    private func link(_ url: SiteURL) -> String { composer.link(url.path) }

    private func mail(to recipient: String, kind: String, _ key: String, _ values: [String: String]) -> OutgoingMail {
        composer.mail(to: recipient, kind: kind, key, values)
    }

    func verifyEmail(to account: (email: String, name: String), token: String) -> OutgoingMail {
        mail(to: account.email, kind: "verify-email", "verify", ["name": account.name, "link": link(.verifyEmail(token: token))])
    }

    /// Sent instead of a verification mail when someone registers with an address that has an
    /// account already: the page says the same in both cases, only the owner learns more.
    func alreadyRegistered(to email: String) -> OutgoingMail {
        mail(to: email, kind: "already-registered", "alreadyRegistered",
             ["signIn": link(.signIn()), "reset": link(.passwordReset)])
    }

    func passwordReset(to email: String, token: String) -> OutgoingMail {
        mail(to: email, kind: "password-reset", "reset", ["link": link(.newPassword(token: token))])
    }

    func passwordChanged(to email: String) -> OutgoingMail {
        mail(to: email, kind: "password-changed", "passwordChanged", ["reset": link(.passwordReset)])
    }

    func confirmNewEmail(to newEmail: String, token: String) -> OutgoingMail {
        mail(to: newEmail, kind: "change-email", "changeEmail", ["link": link(.confirmEmail(token: token))])
    }

    func emailChangeNotice(to oldEmail: String, newEmail: String) -> OutgoingMail {
        mail(to: oldEmail, kind: "email-change-notice", "emailChangeNotice", ["new": newEmail, "reset": link(.passwordReset)])
    }

    func approved(to email: String) -> OutgoingMail {
        mail(to: email, kind: "account-approved", "approved", ["account": link(.account)])
    }

    func rejected(to email: String) -> OutgoingMail {
        mail(to: email, kind: "account-rejected", "rejected", [:])
    }

    func contactMessage(to staff: String, from sender: String, name: String, subject: String, message: String) -> OutgoingMail {
        mail(to: staff, kind: "contact", "contact", ["sender": sender, "name": name, "subject": subject, "message": message])
    }
}
