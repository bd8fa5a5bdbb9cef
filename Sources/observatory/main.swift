import Foundation
import ObservatoryApp
import Vapor

let commandLine = ServeCommandLine(CommandLine.arguments)
var arguments = commandLine.arguments

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
    try await commandLine.prepare(app)
    try await app.execute()
    status = app.exitStatus
    if await !commandLine.finish(app) {
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
