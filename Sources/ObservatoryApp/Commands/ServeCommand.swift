import Vapor

/// `observatory serve` (the default) and `observatory demo`: Vapor's own server, with the
/// site's work before it starts and after it stops. `demo` is `serve` after loading sample
/// content into an empty database.
public struct ServeCommandLine: Sendable {
    /// The arguments Vapor reads (`demo` becomes `serve`).
    public let arguments: [String]
    /// Whether the server runs (`serve` or `demo`, or no command at all).
    public let serves: Bool
    public let isDemo: Bool

    public init(_ commandLine: [String]) {
        var arguments = commandLine
        isDemo = arguments.count > 1 && arguments[1] == "demo"
        if isDemo { arguments[1] = "serve" }
        serves = arguments.count <= 1 || arguments[1].hasPrefix("-") || arguments[1] == "serve"
        self.arguments = arguments
    }

    /// Before the server starts: the schema, the background loops and, for `demo`, the samples.
    public func prepare(_ app: Application) async throws {
        guard serves else { return }
        try await ObservatoryDatabase.prepareAndMigrate(app)
        startBackgroundWork(app)
        if isDemo {
            let loaded = try await ObservatoryDatabase.loadSampleContentIfEmpty(app)
            if loaded > 0 { app.logger.notice("Loaded \(loaded) sample items.") }
        }
    }

    /// After the server was asked to stop: lets running requests finish (see `stopServing`).
    /// False when some were still running at the deadline.
    public func finish(_ app: Application) async -> Bool {
        guard serves else { return true }
        return await app.stopServing()
    }
}
