import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `observatory questionnaire list` and `observatory questionnaire add --file FILE.json`: the stored
/// questionnaire versions, and a new version from a JSON definition. A stored version is
/// never changed, since entries were made against it: a change is a new version number.
struct QuestionnaireCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "list, add or show")
        var action: String

        @Option(name: "file", short: "f", help: "add: a JSON definition; show: key@version")
        var file: String?

        init() {}
    }

    var help: String { "Lists questionnaire versions, adds a new version from a JSON file, or prints one." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await ObservatoryDatabase.prepareAndMigrate(app)
        let sql = try app.sql
        switch signature.action {
        case "list":
            for (key, version) in try await CallStore(sql: sql, now: 0).questionnaireVersions() {
                context.console.print("\(key)@\(version)")
            }
        case "add":
            guard let path = signature.file, let data = FileManager.default.contents(atPath: path) else {
                context.console.error("Give the path of a readable JSON file.")
                app.exitStatus = 1
                return
            }
            do {
                let outcome = try await Self.add(json: String(decoding: data, as: UTF8.self), to: sql, now: app.clock.now())
                context.console.info(outcome)
            } catch let error as Questionnaire.DefinitionError {
                context.console.error("The questionnaire is not valid: \(error.description).")
                app.exitStatus = 1
            } catch let error as AddError {
                context.console.error(error.description)
                app.exitStatus = 1
            } catch let error as DecodingError {
                context.console.error("The file is not a questionnaire definition: \(Self.describe(error)).")
                app.exitStatus = 1
            }
        case "show":
            let parts = (signature.file ?? "").split(separator: "@")
            guard parts.count == 2, let version = Int(parts[1]) else {
                context.console.error("Name a version as key@version, e.g. case-study@1.")
                app.exitStatus = 1
                return
            }
            let questionnaire = try await app.questionnaires.questionnaire(key: String(parts[0]), version: version, on: sql)
            context.console.print(try questionnaire.encoded())
        default:
            context.console.error("Unknown action “\(signature.action)”: use list, add or show.")
            app.exitStatus = 1
        }
    }

    struct AddError: Error, CustomStringConvertible {
        let description: String
    }

    /// Stores a new version; refuses one that exists or is not newer than the newest.
    static func add(json: String, to sql: any SQLDatabase, now: Int64) async throws -> String {
        let questionnaire = try Questionnaire.decode(json: json)
        let store = CallStore(sql: sql, now: now)
        if let newest = try await store.newestVersion(of: questionnaire.key), questionnaire.version <= newest {
            throw AddError(description: "\(questionnaire.key) already has version \(newest); published versions never change, so give this one version \(newest &+ 1).")
        }
        try await store.add(questionnaire)
        return "Stored \(questionnaire.key)@\(questionnaire.version): \(questionnaire.sections.count) sections, \(questionnaire.fields.count) questions."
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): return "“\(key.stringValue)” is missing at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "unreadable"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top" : path
    }
}
