import Foundation
import ObservatoryCore
import Vapor

/// What every page needs to render: the site's settings, the reader's language and the time.
struct PageContext: Sendable {
    let settings: SiteSettings
    let localizer: Localizer
    let formatter: MomentFormatter
    /// Seconds since 1970 when the request arrived.
    let now: Int64
    let path: String
    /// Collects the moments at which the page's text changes by itself, for the page cache.
    let expiry: PageExpiry
    /// Who is signed in (the header shows their account and a sign-out button).
    let viewer: SignedIn?
    /// The site pages linked from the navigation, the footer and the banner.
    var links = SiteLinks()

    init(settings: SiteSettings, now: Int64, path: String, expiry: PageExpiry = PageExpiry(),
         viewer: SignedIn? = nil) {
        self.settings = settings
        self.localizer = Localizer(language: settings.language)
        self.formatter = MomentFormatter(localizer: localizer)
        self.now = now
        self.path = path
        self.expiry = expiry
        self.viewer = viewer
    }

    init(request: Request) {
        self.init(settings: request.application.siteSettings,
                  now: request.application.clock.now(), path: request.url.path, expiry: request.pageExpiry,
                  viewer: request.signedIn)
        links = request.siteLinks
    }

    func callAsFunction(_ key: L10nKey) -> String { localizer(key) }
    func callAsFunction(_ key: L10nKey, _ arguments: KeyValuePairs<String, String>) -> String { localizer(key, arguments) }

    /// What is wrong with an answer, in words.
    func message(_ problem: AnswerProblem) -> String { localizer(L10nKey(problem.key), values: problem.arguments) }

    /// The page shows something that changes at `moment` (a deadline passing, an event starting).
    func changes(at moment: Int64) { expiry.changes(at: moment, now: now) }

    /// A publication date in the site's time zone, as a `<time>` element.
    func publicationDate(_ seconds: Int64) -> HTML {
        "<time datetime=\"\(MomentFormatter.rfc3339(seconds, in: settings.timeZone))\">\(formatter.date(seconds, in: settings.timeZone))</time>"
    }

    /// A deadline with its time zone spelled out; the script adds the reader's own time.
    func deadline(_ seconds: Int64, in zone: TimeZone) -> HTML {
        "<time class=\"deadline\" datetime=\"\(MomentFormatter.rfc3339(seconds, in: zone))\">\(formatter.dateTime(seconds, in: zone))</time>"
    }

    /// A moment with its time zone spelled out, as a `<time>` element.
    func moment(_ seconds: Int64, in zone: TimeZone) -> HTML {
        "<time datetime=\"\(MomentFormatter.rfc3339(seconds, in: zone))\">\(formatter.dateTime(seconds, in: zone))</time>"
    }
}

extension Application {
    private struct SiteSettingsKey: StorageKey {
        typealias Value = SiteSettings
    }

    var siteSettings: SiteSettings {
        get { storage[SiteSettingsKey.self] ?? SiteSettings() }
        set { storage[SiteSettingsKey.self] = newValue }
    }

    private struct ExitStatusKey: StorageKey {
        typealias Value = Int32
    }

    /// The process exit status a command asks for once the application has shut down.
    public var exitStatus: Int32 {
        get { storage[ExitStatusKey.self] ?? 0 }
        set { storage[ExitStatusKey.self] = newValue }
    }
}
