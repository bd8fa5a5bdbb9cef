import Foundation
import ObservatoryCore
import Vapor

/// `observatory import FILE.jsonl`: loads items; exits non-zero when any line was skipped.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A JSON Lines file in the import format.")
        var file: String
    }

    var help: String { "Imports content from a JSON Lines file (idempotent by type and slug)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await ObservatoryDatabase.prepareAndMigrate(app)
        let reader = try LineReader(path: signature.file)
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        let report = try await Importer(database: app.db).run(lines: reader) { report in
            guard showProgress else { return }
            let fraction = reader.totalBytes > 0 ? Double(reader.consumedBytes) / Double(reader.totalBytes) : 1
            let width = 30
            let filled = min(max(Int(saturating: (fraction * Double(width)).rounded(.down)), 0), width)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(Int(saturating: fraction * 100))% \(report.processed)".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        for skipped in report.skipped {
            context.console.error(Localizer.english("import.skipped", ["line": String(skipped.lineNumber), "message": skipped.message]))
        }
        let seconds = Date().timeIntervalSince(started)
        context.console.print(report.summary + " " + Localizer.english("import.duration", ["seconds": String(format: "%.1f", seconds)]))
        // The open-data lines of the new and changed cases, so the first download is fast too.
        let rendering = Date()
        let rendered = try await ExportRows(database: app.db, baseURL: app.siteSettings.baseURL, now: app.clock.now()).fillAll()
        if rendered > 0 {
            context.console.print(Localizer.english("import.exportRows", ["count": String(rendered),
                                                                        "seconds": String(format: "%.1f", Date().timeIntervalSince(rendering))]))
        }
        if !report.skipped.isEmpty { app.exitStatus = 2 }
    }
}
