import Foundation
import Testing
import Vapor
@testable import ObservatoryApp

@Suite("Configuration")
struct ConfigurationTests {
    @Test func defaultsUseSQLiteInTheDataDirectory() throws {
        let settings = try SiteSettings.fromEnvironment([:])
        #expect(settings.database == .sqlite(path: "./data/observatory.sqlite"))
        let custom = try SiteSettings.fromEnvironment(["OBSERVATORY_DATA_DIR": "/srv/obs", "OBSERVATORY_SITE_NAME": "Lab"])
        #expect(custom.database == .sqlite(path: "/srv/obs/observatory.sqlite"))
        #expect(custom.siteName == "Lab")
    }

    @Test func databaseURLSelectsPostgres() throws {
        let settings = try SiteSettings.fromEnvironment(["DATABASE_URL": "postgres://u:p@db.internal:5432/obs"])
        #expect(settings.database == .postgres(url: "postgres://u:p@db.internal:5432/obs"))
    }

    @Test func malformedValuesFailWithOneSentence() throws {
        #expect(throws: ConfigurationError.malformedURL(variable: "DATABASE_URL", value: "mysql://x")) {
            try SiteSettings.fromEnvironment(["DATABASE_URL": "mysql://x"])
        }
        #expect(throws: ConfigurationError.malformedURL(variable: "OBSERVATORY_BASE_URL", value: "example.org")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_BASE_URL": "example.org"])
        }
        #expect(throws: ConfigurationError.unknownTimeZone("Mars/Olympus")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_TIMEZONE": "Mars/Olympus"])
        }
        #expect(ConfigurationError.unknownTimeZone("Mars/Olympus").description
            == "OBSERVATORY_TIMEZONE “Mars/Olympus” is not an IANA time zone such as Europe/Paris.")
        #expect(SiteSettings.redactingPassword("postgres://user:secret@host/db") == "postgres://user:***@host/db")
        #expect(throws: ConfigurationError.notASwitch(variable: "OBSERVATORY_PAGE_CACHE", value: "sometimes")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_PAGE_CACHE": "sometimes"])
        }
        #expect(ConfigurationError.notASwitch(variable: "OBSERVATORY_PAGE_CACHE", value: "sometimes").description
            == "OBSERVATORY_PAGE_CACHE must be on or off, not “sometimes”.")
        #expect(try SiteSettings.fromEnvironment(["OBSERVATORY_PAGE_CACHE": "off"]).pageCacheEnabled == false)
        #expect(try SiteSettings.fromEnvironment([:]).pageCacheEnabled)
    }

    @Test func accountAndMailSettings() throws {
        let settings = try SiteSettings.fromEnvironment([
            "OBSERVATORY_BCRYPT_COST": "10", "OBSERVATORY_SESSION_IDLE_MINUTES": "30", "OBSERVATORY_SESSION_MAX_HOURS": "8",
            "OBSERVATORY_TRUST_PROXY": "on", "OBSERVATORY_SMTP_HOST": "smtp.example.org", "OBSERVATORY_SMTP_SECURITY": "tls",
            "OBSERVATORY_SMTP_USERNAME": "site", "OBSERVATORY_SMTP_PASSWORD": "secret", "OBSERVATORY_MAIL_FROM": "Site <site@example.org>",
        ])
        #expect(settings.passwordHashCost == 10)
        #expect(settings.sessionIdleSeconds == 1_800 && settings.sessionMaximumSeconds == 28_800)
        #expect(settings.trustForwardedFor)
        #expect(settings.mail.smtp == MailSettings.SMTP(host: "smtp.example.org", port: 465, security: .tls, username: "site", password: "secret"))
        #expect(settings.mail.from == "Site <site@example.org>")
        #expect(try SiteSettings.fromEnvironment([:]).mail.smtp == nil)
        #expect(throws: ConfigurationError.outOfRange(variable: "OBSERVATORY_BCRYPT_COST", value: "40", range: "4…16")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_BCRYPT_COST": "40"])
        }
        #expect(ConfigurationError.outOfRange(variable: "OBSERVATORY_BCRYPT_COST", value: "40", range: "4…16").description
            == "OBSERVATORY_BCRYPT_COST must be one of 4…16, not “40”.")
        #expect(throws: ConfigurationError.outOfRange(variable: "OBSERVATORY_SMTP_SECURITY", value: "ssl", range: "starttls, tls, none")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_SMTP_HOST": "smtp.example.org", "OBSERVATORY_SMTP_SECURITY": "ssl"])
        }
        #expect(throws: ConfigurationError.missing(variable: "OBSERVATORY_SMTP_PASSWORD", because: "OBSERVATORY_SMTP_USERNAME is set")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_SMTP_HOST": "smtp.example.org", "OBSERVATORY_SMTP_USERNAME": "site"])
        }
        #expect(throws: ConfigurationError.notASwitch(variable: "OBSERVATORY_TRUST_PROXY", value: "maybe")) {
            try SiteSettings.fromEnvironment(["OBSERVATORY_TRUST_PROXY": "maybe"])
        }
    }

    @Test func unwritableDataDirectoryFailsFast() async throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("observatory-blocker-\(UUID().uuidString)").path
        // A regular file where the directory should be: nothing can be created below it.
        FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let app = try await Application.make(.testing)
        await #expect {
            try await configure(app, settings: SiteSettings(dataDirectory: blocker + "/data"))
        } throws: { error in
            guard case ConfigurationError.dataDirectoryNotWritable(let path, let reason)? = error as? ConfigurationError else { return false }
            // The operating system's own words, not an error type dump.
            return path == blocker + "/data" && reason == "Not a directory"
        }
        try await app.asyncShutdown()
    }

    @Test func unreachablePostgresFailsFast() async throws {
        let app = try await Application.make(.testing)
        // Nothing listens on port 9 of the loopback address.
        let settings = SiteSettings(database: .postgres(url: "postgres://nobody:secret@127.0.0.1:9/none"))
        try await configure(app, settings: settings)
        await #expect {
            try await ObservatoryDatabase.prepareAndMigrate(app)
        } throws: { error in
            guard let error = error as? ConfigurationError, case .databaseUnreachable(let url, _) = error else { return false }
            return url == "postgres://nobody:***@127.0.0.1:9/none"
                && error.description == "The PostgreSQL database at postgres://nobody:***@127.0.0.1:9/none cannot be reached: no server answered (connection refused)."
        }
        try await app.asyncShutdown()
    }
}
