import Foundation
import ObservatoryCore
import Vapor

/// `observatory migrate`: brings the database schema up to date and says so.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Brings the database schema up to date (also done automatically by serve)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await ObservatoryDatabase.prepareAndMigrate(context.application)
        context.console.print(Localizer.english("migrate.done"))
    }
}
