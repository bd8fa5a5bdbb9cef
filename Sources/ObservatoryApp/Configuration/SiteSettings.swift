import Foundation
import ObservatoryCore

/// Everything an operator can configure, read once at start-up from the environment.
/// Invalid values fail fast with one sentence naming the variable (see `ConfigurationError`).
public struct SiteSettings: Sendable {
    public enum Database: Sendable, Equatable {
        /// An SQLite file inside the data directory.
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var siteName: String
    public var organisation: String
    /// The banner's "who runs this site" text.
    public var bannerAbout: String
    /// The banner's "How to validate authenticity" text.
    public var bannerValidation: String
    /// Absolute base URL used in links that leave the site (feeds, canonical URLs).
    public var baseURL: String
    public var dataDirectory: String
    public var database: Database
    /// The time zone dates are shown in.
    public var timeZone: TimeZone
    public var language: String
    public var pageSize: Int
    /// Whether rendered public pages are kept in memory and served again while current.
    public var pageCacheEnabled = true
    /// bcrypt work factor for passwords (each step doubles the time a guess costs).
    public var passwordHashCost = 12
    /// A session ends after this many seconds without a request…
    public var sessionIdleSeconds: Int64 = 2 * 3_600
    /// …and in any case this many seconds after signing in.
    public var sessionMaximumSeconds: Int64 = 24 * 3_600
    /// Whether the client address is taken from `X-Forwarded-For` (behind a load balancer).
    public var trustForwardedFor = false
    /// Seconds a person needs at least between opening a public form and sending it.
    public var formMinimumSeconds = FormTiming.minimumFillSeconds
    public var mail = MailSettings()
    /// The licence of the open data, and where it is written out.
    public var dataLicence = "CC BY 4.0"
    public var dataLicenceURL = "https://creativecommons.org/licenses/by/4.0/"
    /// Where files attached to submissions are kept (`<data directory>/uploads` by default).
    public var uploadsDirectory: String?
    /// On SIGTERM or SIGINT, how long requests already being answered may take to finish
    /// before the server stops anyway.
    public var drainSeconds: Int64 = 20

    /// The uploads directory in effect.
    public var uploadsPath: String { uploadsDirectory ?? dataDirectory + "/uploads" }

    /// Whether the site is served over HTTPS: cookies are then `Secure` and HSTS is sent.
    public var isHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    public static let defaultDataDirectory = "./data"

    public init(
        siteName: String = "Observatory of Public Sector Innovation",
        organisation: String = "the Observatory of Public Sector Innovation",
        bannerAbout: String? = nil,
        bannerValidation: String? = nil,
        baseURL: String = "http://127.0.0.1:8080",
        dataDirectory: String = SiteSettings.defaultDataDirectory,
        database: Database? = nil,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        language: String = "en",
        pageSize: Int = 20
    ) {
        self.siteName = siteName
        self.organisation = organisation
        let localizer = Localizer(language: language)
        self.bannerAbout = bannerAbout ?? localizer("banner.about.default", ["organisation": organisation])
        self.bannerValidation = bannerValidation ?? localizer("banner.validation.default", ["baseURL": baseURL])
        self.baseURL = baseURL
        self.dataDirectory = dataDirectory
        self.database = database ?? .sqlite(path: dataDirectory + "/observatory.sqlite")
        self.timeZone = timeZone
        self.language = language
        self.pageSize = pageSize
    }

    /// Reads the settings from environment variables (documented in the README).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SiteSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        var settings = SiteSettings()
        if let name = value("OBSERVATORY_SITE_NAME") { settings.siteName = name }
        if let organisation = value("OBSERVATORY_ORGANISATION") { settings.organisation = organisation }
        if let baseURL = value("OBSERVATORY_BASE_URL") {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  url.host?.isEmpty == false, url.query == nil
            else { throw ConfigurationError.malformedURL(variable: "OBSERVATORY_BASE_URL", value: baseURL) }
            settings.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
        let localizer = Localizer(language: value("OBSERVATORY_LANGUAGE") ?? "en")
        settings.language = localizer.language
        settings.bannerAbout = value("OBSERVATORY_BANNER_ABOUT")
            ?? localizer("banner.about.default", ["organisation": settings.organisation])
        settings.bannerValidation = value("OBSERVATORY_BANNER_VALIDATION")
            ?? localizer("banner.validation.default", ["baseURL": settings.baseURL])
        if let zone = value("OBSERVATORY_TIMEZONE") {
            guard let timeZone = TimeZone(identifier: zone) else { throw ConfigurationError.unknownTimeZone(zone) }
            settings.timeZone = timeZone
        }
        if let cache = value("OBSERVATORY_PAGE_CACHE") {
            settings.pageCacheEnabled = try Self.switchValue(cache, variable: "OBSERVATORY_PAGE_CACHE")
        }
        settings.dataDirectory = value("OBSERVATORY_DATA_DIR") ?? defaultDataDirectory
        if let cost = value("OBSERVATORY_BCRYPT_COST") {
            guard let number = Int(cost), (4...16).contains(number) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_BCRYPT_COST", value: cost, range: "4…16")
            }
            settings.passwordHashCost = number
        }
        if let minutes = value("OBSERVATORY_SESSION_IDLE_MINUTES") {
            guard let number = Int64(minutes), (5...10_080).contains(number) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_SESSION_IDLE_MINUTES", value: minutes, range: "5…10080")
            }
            settings.sessionIdleSeconds = number * 60
        }
        if let hours = value("OBSERVATORY_SESSION_MAX_HOURS") {
            guard let number = Int64(hours), (1...2_160).contains(number) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_SESSION_MAX_HOURS", value: hours, range: "1…2160")
            }
            settings.sessionMaximumSeconds = number * 3_600
        }
        if let seconds = value("OBSERVATORY_DRAIN_SECONDS") {
            guard let number = Int64(seconds), (1...600).contains(number) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_DRAIN_SECONDS", value: seconds, range: "1…600")
            }
            settings.drainSeconds = number
        }
        if let trust = value("OBSERVATORY_TRUST_PROXY") {
            settings.trustForwardedFor = try Self.switchValue(trust, variable: "OBSERVATORY_TRUST_PROXY")
        }
        settings.mail = try MailSettings.fromEnvironment(value, dataDirectory: settings.dataDirectory)
        settings.uploadsDirectory = value("OBSERVATORY_UPLOADS_DIR")
        if let licence = value("OBSERVATORY_DATA_LICENCE") { settings.dataLicence = licence }
        if let licenceURL = value("OBSERVATORY_DATA_LICENCE_URL") {
            guard let url = URL(string: licenceURL), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw ConfigurationError.malformedURL(variable: "OBSERVATORY_DATA_LICENCE_URL", value: licenceURL)
            }
            settings.dataLicenceURL = licenceURL
        }
        if let databaseURL = value("DATABASE_URL") {
            guard let url = URL(string: databaseURL), let scheme = url.scheme?.lowercased(),
                  ["postgres", "postgresql"].contains(scheme), url.host?.isEmpty == false
            else { throw ConfigurationError.malformedURL(variable: "DATABASE_URL", value: redactingPassword(databaseURL)) }
            settings.database = .postgres(url: databaseURL)
        } else {
            settings.database = .sqlite(path: settings.dataDirectory + "/observatory.sqlite")
        }
        return settings
    }

    static func switchValue(_ text: String, variable: String) throws -> Bool {
        switch text.lowercased() {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw ConfigurationError.notASwitch(variable: variable, value: text)
        }
    }

    /// A database URL with its password replaced, for messages and logs.
    static func redactingPassword(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://"), schemeEnd.upperBound <= at,
              let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return url[..<url.index(after: colon)] + "***" + url[at...]
    }
}

/// A configuration problem, told in one sentence without a stack trace.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case malformedURL(variable: String, value: String)
    case unknownTimeZone(String)
    case dataDirectoryNotWritable(path: String, reason: String)
    case databaseUnreachable(url: String, reason: String)
    case notASwitch(variable: String, value: String)
    case outOfRange(variable: String, value: String, range: String)
    case missing(variable: String, because: String)

    public var description: String {
        let localizer = Localizer.english
        switch self {
        case .malformedURL(let variable, let value):
            return localizer("config.error.url", ["variable": variable, "value": value])
        case .unknownTimeZone(let zone):
            return localizer("config.error.timeZone", ["zone": zone])
        case .dataDirectoryNotWritable(let path, let reason):
            return localizer("config.error.dataDirectory", ["path": path, "reason": reason])
        case .databaseUnreachable(let url, let reason):
            return localizer("config.error.database", ["url": url, "reason": reason])
        case .notASwitch(let variable, let value):
            return localizer("config.error.switch", ["variable": variable, "value": value])
        case .outOfRange(let variable, let value, let range):
            return localizer("config.error.range", ["variable": variable, "value": value, "range": range])
        case .missing(let variable, let because):
            return localizer("config.error.missing", ["variable": variable, "because": because])
        }
    }
}
