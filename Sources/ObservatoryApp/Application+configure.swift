import Fluent
import ObservatoryCore
import SQLKit
import Vapor

/// Sets up the application: database, migrations, middleware, commands and routes.
public func configure(_ app: Application, settings: SiteSettings) async throws {
    app.siteSettings = settings
    app.pageCache = PageCache()
    app.caseCatalogStore = CaseCatalogStore()
    app.toolkitCatalogStore = ToolkitCatalogStore()
    app.searchIndexStore = SearchIndexStore()
    app.clock = SiteClock()
    app.secrets = SiteSecrets()
    app.siteLinksCache = SiteLinksCache()
    app.questionnaires = QuestionnaireCache()
    app.passwordWork = PasswordWork()
    // Long answers (5,000 characters of any script, percent-encoded) exceed Vapor's 16 kB.
    app.routes.defaultMaxBodySize = "1mb"
    try DatabaseSetup.configure(app, settings: settings)

    app.middleware = Middlewares()
    // Outermost of all: a stop waits until every request counted here has its answer.
    app.inFlightRequests = InFlightRequests()
    app.middleware.use(InFlightMiddleware())
    app.http.server.configuration.shutdownTimeout = .seconds(max(1, settings.drainSeconds - 2))
    // Security headers outermost, so error pages carry them too; sessions before anything
    // that renders a page (the header shows who is signed in); CSRF before every handler.
    app.middleware.use(SecurityHeaders(https: settings.isHTTPS))
    app.middleware.use(ErrorPages())
    app.middleware.use(SessionMiddleware())
    app.middleware.use(SiteLinksMiddleware())
    app.middleware.use(APIMiddleware())
    app.middleware.use(InputGuard())
    app.middleware.use(CSRFProtection())

    app.commands.commands["migrate"] = nil
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(SampleCommand(), as: "sample")
    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(DigestCommand(), as: "digest")
    app.asyncCommands.use(QuestionnaireCommand(), as: "questionnaire")
    app.asyncCommands.use(ExportCommand(), as: "export")

    let everyone = app.access(.everyone)
    everyone.get(SiteURL.Routes.asset) { request -> Response in
        switch request.parameters.get("file") {
        case "site-\(Stylesheet.version).css": return Stylesheet.serve(request)
        case "site-\(Script.version).js": return Script.serve(request)
        default: throw Abort(.notFound)
        }
    }
    let pages: any RoutesBuilder = settings.pageCacheEnabled ? everyone.grouped(PageCacheMiddleware()) : everyone
    try pages.register(collection: HomePage())
    try pages.register(collection: ListingPages())
    try pages.register(collection: CaseLibraryPages())
    try pages.register(collection: ItemPages())
    SitePagePages.publicRoutes(pages)
    CaseLibraryPages().bootAPI(routes: everyone)
    try app.register(collection: AccountPages())
    try app.register(collection: APITokenPages())
    try app.register(collection: ContactPage())
    try app.register(collection: AdminPages())
    try app.register(collection: EditorialPages())
    try app.register(collection: VocabularyPages())
    try app.register(collection: NewsletterPages())
    try app.register(collection: AwardPages())
    try app.register(collection: SitePagePages())
    let imageWorker = ImageWorker()
    app.storage[Application.ImageWorkerKey.self] = imageWorker
    app.lifecycle.use(imageWorker)
    try app.register(collection: MediaPages())
    try app.register(collection: ToolkitPages())
    try app.register(collection: SubmissionPages())
    try app.register(collection: ReviewPages())
    try app.register(collection: CallAdminPages())
    try app.register(collection: AttachmentPages())
    try app.register(collection: DiscoveryPages())
    try app.register(collection: OpenDataPages())
    try app.register(collection: ItemsAPI())
    try app.register(collection: SubmissionsAPI())
    try app.register(collection: OpenAPIDocument())
    try app.register(collection: APIGuidePage())
    try app.register(collection: CalendarPages())
    try app.checkEveryRouteDeclaresAccess()
}

/// Work the server does besides answering requests: sending the mail in the outbox,
/// preparing the open-data lines of changed cases, queueing newsletter batches, making the
/// copies of images uploaded before copies existed.
public func startBackgroundWork(_ app: Application) {
    app.lifecycle.use(MailDeliveryService.loop(app))
    app.lifecycle.use(ExportRows.loop(app))
    app.lifecycle.use(NewsletterSending.loop(app))
    app.lifecycle.use(ImageCopies.loop(app))
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
        guard try await !ContentStore(sql: app.sql).hasItems() else { return 0 }
        let sample = ObservatoryCore.SampleContent(seed: 1)
        let report = try await Importer(database: app.db).run(lines: sample.lines(count: count).lazy.map { Substring($0) })
        return report.created
    }
}
