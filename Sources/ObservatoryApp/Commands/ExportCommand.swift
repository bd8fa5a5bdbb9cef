import Foundation
import SQLKit
import Vapor

/// `observatory export --format csv|json|ndjson [--output FILE]`: the same export as
/// `/data/cases.*`, written to a file (or standard output) with a progress bar.
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "format", help: "csv, json or ndjson (default csv)")
        var format: String?

        @Option(name: "output", short: "o", help: "the file to write; standard output when not given")
        var output: String?

        init() {}
    }

    var help: String { "Exports every published case study as CSV, JSON or NDJSON." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let format = CaseExporter.Format(rawValue: signature.format ?? "csv") else {
            context.console.error("Unknown format “\(signature.format ?? "")”: use csv, json or ndjson.")
            app.exitStatus = 1
            return
        }
        try await ObservatoryDatabase.prepareAndMigrate(app)
        let exporter = CaseExporter(sql: try app.sql, now: app.clock.now(), baseURL: app.siteSettings.baseURL)
        let total = try await exporter.count()
        let handle: FileHandle
        if let output = signature.output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                context.console.error("Cannot write \(output).")
                app.exitStatus = 1
                return
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let bar = context.console.progressBar(title: "Exporting \(total) cases")
        if signature.output != nil { bar.start() }
        try await exporter.export(format, write: { buffer in
            try handle.write(contentsOf: buffer.readableBytesView)
        }, progress: { written in
            if signature.output != nil { bar.activity.currentProgress = total == 0 ? 1 : Double(written) / Double(total) }
        })
        if signature.output != nil {
            bar.succeed()
            try handle.close()
            context.console.info("Wrote \(total) cases to \(signature.output!).")
        }
    }
}
