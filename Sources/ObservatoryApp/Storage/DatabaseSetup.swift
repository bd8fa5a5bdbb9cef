import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Connects the application to its database: an SQLite file by default, PostgreSQL when
/// `DATABASE_URL` is set. Problems surface as `ConfigurationError`s before anything is served.
enum DatabaseSetup {
    static func configure(_ app: Application, settings: SiteSettings) throws {
        switch settings.database {
        case .sqlite(let path):
            try prepareDataDirectory(for: path)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ConfigurationError.malformedURL(
                    variable: "DATABASE_URL", value: SiteSettings.redactingPassword(url))
            }
            configuration.coreConfiguration.options.connectTimeout = .seconds(5)
            app.databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 8, sqlLogLevel: .trace),
                as: .psql)
        }
        app.migrations.add(Migrations.all)
    }

    /// Checks that the database answers and sets per-file options, once at start-up.
    static func prepare(_ app: Application, settings: SiteSettings) async throws {
        do {
            let sql = try app.sql
            try await sql.engine.prepareAtStartup(on: sql)
        } catch {
            if case .postgres(let url) = settings.database {
                throw ConfigurationError.databaseUnreachable(
                    url: SiteSettings.redactingPassword(url), reason: describe(error))
            }
            throw error
        }
    }

    private static func prepareDataDirectory(for databasePath: String) throws {
        let directory = (databasePath as NSString).deletingLastPathComponent
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError.dataDirectoryNotWritable(path: directory, reason: describe(error))
        }
        let probe = directory + "/.write-check-\(UUID().uuidString)"
        guard manager.createFile(atPath: probe, contents: Data()) else {
            throw ConfigurationError.dataDirectoryNotWritable(path: directory, reason: "permission denied")
        }
        try? manager.removeItem(atPath: probe)
    }

    /// A short, human description of a low-level error (no type dumps).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .connectionClosed:
                // The underlying error is a nested dump; name the cause when it is a common one.
                let detail = psql.underlying.map { "\($0)" } ?? ""
                let causes = [("Connection refused", "connection refused"), ("timed out", "timed out"),
                              ("No route to host", "no route to host"), ("not known", "unknown host name"),
                              ("nodename nor servname", "unknown host name")]
                guard let cause = causes.first(where: { detail.contains($0.0) }) else { return "no server answered" }
                return "no server answered (\(cause.1))"
            case .server:
                return psql.serverInfo?[.message] ?? "the server refused the connection"
            default:
                return "\(psql.code)"
            }
        }
        // File errors: the operating system's sentence ("Not a directory", "Permission denied").
        for candidate in [(error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error, error].compactMap({ $0 }) {
            if let posix = candidate as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
            let nsError = candidate as NSError
            if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        }
        if let localized = (error as? any LocalizedError)?.errorDescription { return localized }
        return "\(error)"
    }
}
