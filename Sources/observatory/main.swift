import Foundation
import ObservatoryApp
import Vapor

// `observatory demo` serves the site after loading sample content into an empty database.
var arguments = CommandLine.arguments
let isDemo = arguments.count > 1 && arguments[1] == "demo"
if isDemo { arguments[1] = "serve" }
let command = arguments.count > 1 && !arguments[1].hasPrefix("-") ? arguments[1] : "serve"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("observatory: \(message)\n".utf8))
    exit(1)
}

var environment: Environment
do {
    environment = try Environment.detect(arguments: arguments)
    try LoggingSystem.bootstrap(from: &environment)
} catch {
    fail("\(error)")
}
let settings: SiteSettings
do {
    settings = try SiteSettings.fromEnvironment()
} catch {
    fail("\(error)")
}

let app = try await Application.make(environment)
var status: Int32 = 0
do {
    try await configure(app, settings: settings)
    if command == "serve" {
        try await ObservatoryDatabase.prepareAndMigrate(app)
        startBackgroundWork(app)
        if isDemo {
            let loaded = try await ObservatoryDatabase.loadSampleContentIfEmpty(app)
            if loaded > 0 { app.logger.notice("Loaded \(loaded) sample items.") }
        }
    }
    try await app.execute()
    status = app.exitStatus
    if command == "serve", await !app.stopServing() {
        // Requests are still running: closing the database under them would trap. Their
        // connections end with the process, which a proxy can retry elsewhere.
        exit(status)
    }
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("observatory: \(error)\n".utf8))
    status = 1
} catch {
    app.logger.report(error: error)
    status = 1
}
try? await app.asyncShutdown()
exit(status)
