import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Testing
import Vapor
@testable import ObservatoryApp

/// The databases every database-touching test runs against.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let variable = "OBSERVATORY_TEST_POSTGRES_URL"
}

enum TestSetupError: Error, CustomStringConvertible {
    case postgresNotConfigured

    var description: String {
        "\(TestDatabase.variable) is not set: run the tests with scripts/test, which starts PostgreSQL and sets it."
    }
}

/// Runs `body` with a migrated application on a database of its own: a fresh SQLite file, or a
/// fresh PostgreSQL database created through the test role and dropped afterwards.
func withApp(
    _ database: TestDatabase,
    adjust: (inout SiteSettings) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("observatory-test-\(UUID().uuidString)").path
    var settings = SiteSettings(dataDirectory: directory)
    var postgres: PostgresTestDatabase?
    if database == .postgres {
        await PostgresTestDatabase.slots.acquire()
    }
    defer { if database == .postgres { Task { await PostgresTestDatabase.slots.release() } } }
    if database == .postgres {
        let created = try await PostgresTestDatabase.create()
        postgres = created
        settings.database = .postgres(url: created.url)
    }
    adjust(&settings)
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try await configure(app, settings: settings)
        try await ObservatoryDatabase.prepareAndMigrate(app)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await postgres?.drop()
        try? FileManager.default.removeItem(atPath: directory)
        throw error
    }
    try await app.asyncShutdown()
    try await postgres?.drop()
    try? FileManager.default.removeItem(atPath: directory)
}

/// Lets at most `limit` holders in at once; the others wait their turn.
actor TestSlots {
    private let limit: Int
    private var used = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if used < limit {
            used += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            used -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A throwaway PostgreSQL database, one per test, so parallel tests never share one.
struct PostgresTestDatabase {
    /// Tests using PostgreSQL at once: each holds a few connections (two app instances in some
    /// tests), and the server's default limit is 100.
    static let slots = TestSlots(limit: 12)

    let name: String
    let url: String
    private let adminConfiguration: PostgresConnection.Configuration

    static func create() async throws -> PostgresTestDatabase {
        guard let base = ProcessInfo.processInfo.environment[TestDatabase.variable], !base.isEmpty,
              var components = URLComponents(string: base)
        else { throw TestSetupError.postgresNotConfigured }
        let name = "obs_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
            username: components.user ?? "postgres", password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        let database = PostgresTestDatabase(name: name, url: "", adminConfiguration: admin)
        // The name is generated above from hex digits only, so it is safe as an identifier.
        try await database.admin("CREATE DATABASE \(name)")
        components.path = "/" + name
        return PostgresTestDatabase(name: name, url: components.string ?? base, adminConfiguration: admin)
    }

    /// Drops the database. A server process that cannot be interrupted (autovacuum working
    /// on it) can make this fail for a moment: it is tried again, and a database still left
    /// is dropped by scripts/test before the next run, so cleaning up never fails a test.
    func drop() async throws {
        for attempt in 1...5 {
            do {
                try await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return
            } catch where attempt < 5 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            } catch {
                FileHandle.standardError.write(Data("test database \(name) left behind: \(String(reflecting: error))\n".utf8))
            }
        }
    }

    private func admin(_ statement: String) async throws {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: adminConfiguration,
            id: 1, logger: Logger(label: "test-admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test-admin"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

extension Application {
    /// Imports JSON lines as the `import` command would.
    @discardableResult
    func importLines(_ lines: [String]) async throws -> ImportReport {
        try await Importer(database: db).run(lines: lines.map { Substring($0) })
    }
}

/// A JSON line of the import format with sensible defaults; `extra` adds or replaces keys.
func importLine(
    type: String, title: String, slug: String? = nil, published: String = "2020-05-01T10:00:00Z",
    body: String = "A body about public sector innovation.", extra: [String: Any] = [:]
) -> String {
    var object: [String: Any] = [
        "type": type, "title": title, "body": body, "published_at": published,
        "author": "Amara Okafor", "country": ["Kenya"], "sector": ["Health"], "tags": ["open-data"], "fields": [String: Any](),
    ]
    if let slug { object["slug"] = slug }
    for (key, value) in extra { object[key] = value }
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// A second app instance on the same database as `app`, as behind a load balancer.
func withSecondInstance(of app: Application, _ body: (Application) async throws -> Void) async throws {
    let other = try await Application.make(.testing)
    other.logger.logLevel = .warning
    do {
        try await configure(other, settings: app.siteSettings)
        try await body(other)
    } catch {
        try? await other.asyncShutdown()
        throw error
    }
    try await other.asyncShutdown()
}
