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

/// `observatory sample --count N [-o FILE]`: writes deterministic sample content in the import format.
struct SampleCommand: AsyncCommand {
    struct Signature: CommandSignature {
        // No short name: `-n` is the console's global "answer no" flag.
        @Option(name: "count", help: "How many items to write (default 200).")
        var count: Int?
        @Option(name: "seed", help: "Another seed gives another data set of the same shape (default 1).")
        var seed: UInt64?
        @Option(name: "output", short: "o", help: "File to write; standard output when absent.")
        var output: String?
    }

    var help: String { "Writes realistic sample content of every type as JSON Lines." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let count = signature.count ?? 200
        guard count >= 0 else { throw Abort(.badRequest, reason: "The count must be zero or more.") }
        let sample = SampleContent(seed: signature.seed ?? 1)
        if let output = signature.output {
            let temporary = output + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary)
            else { throw ImportError.unwritable(path: output) }
            var buffer = Data()
            for line in sample.lines(count: count) {
                buffer.append(contentsOf: line.utf8)
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count > 1 << 20 {
                    handle.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            handle.write(buffer)
            try handle.close()
            // rename(2) replaces an existing file atomically and also works when there is none.
            guard rename(temporary, output) == 0 else { throw ImportError.unwritable(path: output) }
        } else {
            for line in sample.lines(count: count) { print(line) }
        }
    }
}

/// `observatory migrate`: brings the database schema up to date and says so.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Brings the database schema up to date (also done automatically by serve)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await ObservatoryDatabase.prepareAndMigrate(context.application)
        context.console.print(Localizer.english("migrate.done"))
    }
}
