import Fluent
import ObservatoryCore
import Vapor

/// Sets up the application: database, migrations, middleware, commands and routes.
public func configure(_ app: Application, settings: SiteSettings) async throws {
    app.siteSettings = settings
    try DatabaseSetup.configure(app, settings: settings)

    app.middleware = Middlewares()
    // Security headers outermost, so error pages carry them too.
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorPages())

    app.commands.commands["migrate"] = nil
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(SampleCommand(), as: "sample")

    app.get("assets", ":file") { request -> Response in
        guard request.parameters.get("file") == "site-\(Stylesheet.version).css" else { throw Abort(.notFound) }
        return Stylesheet.serve(request)
    }
    try app.register(collection: HomePage())
    try app.register(collection: ListingPages())
    try app.register(collection: ItemPages())
}

/// Database start-up shared by every command that reads or writes content.
public enum ObservatoryDatabase {
    /// Checks the connection, applies the file options and runs pending migrations.
    public static func prepareAndMigrate(_ app: Application) async throws {
        try await DatabaseSetup.prepare(app, settings: app.siteSettings)
        try await app.autoMigrate()
    }

    /// Imports the built-in sample content when the site has no content yet.
    public static func loadSampleContentIfEmpty(_ app: Application, count: Int = 600) async throws -> Int {
        let existing = try await app.db.query(ItemCount.self).count()
        guard existing == 0 else { return 0 }
        let sample = ObservatoryCore.SampleContent(seed: 1)
        let report = try await Importer(database: app.db).run(lines: sample.lines(count: count).lazy.map { Substring($0) })
        return report.created
    }
}

/// The items table, for counting rows through Fluent.
final class ItemCount: Model, @unchecked Sendable {
    static let schema = "items"
    @ID(custom: "id", generatedBy: .database) var id: Int64?
    init() {}
}
