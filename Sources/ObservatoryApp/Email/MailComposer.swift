import Foundation
import ObservatoryCore

/// Writes mails from the localisation table: subject and body of `mail.<key>`, placeholders
/// filled (the site's name always available as `{site}`), the site's signature below.
struct MailComposer {
    let settings: SiteSettings
    let localizer: Localizer

    init(settings: SiteSettings) {
        self.settings = settings
        localizer = Localizer(language: settings.language)
    }

    func text(_ key: String, _ values: [String: String]) -> String {
        localizer(L10nKey(key), values: values.merging(["site": settings.siteName]) { given, _ in given })
    }

    func mail(to recipient: String, kind: String, _ key: String, _ values: [String: String], appendix: String = "") -> OutgoingMail {
        OutgoingMail(recipient: recipient, subject: text("mail.\(key).subject", values),
                     body: text("mail.\(key).body", values) + appendix + "\n\n-- \n\(settings.siteName)\n\(settings.baseURL)/\n", kind: kind)
    }

    /// An absolute link to a path of the site.
    func link(_ path: String) -> String { settings.baseURL + path }
}
