import Fluent
import Foundation
import ObservatoryCore
import SQLKit

enum ImportError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case unwritable(path: String)

    var description: String {
        switch self {
        case .unreadable(let path): Localizer.english("import.error.unreadable", ["path": path])
        case .unwritable(let path): Localizer.english("import.error.unwritable", ["path": path])
        }
    }
}

/// The outcome of an import: what was written and which lines were skipped, and why.
struct ImportReport: Sendable, Equatable {
    struct SkippedLine: Sendable, Equatable {
        let lineNumber: Int
        let message: String
    }

    var created = 0
    var updated = 0
    var unchanged = 0
    var skipped: [SkippedLine] = []

    var processed: Int { created + updated + unchanged + skipped.count }

    var summary: String {
        Localizer.english("import.summary", [
            "created": String(created), "updated": String(updated),
            "unchanged": String(unchanged), "skipped": String(skipped.count),
        ])
    }
}

/// Loads items in the JSON Lines import format. Good lines are written in batches, one
/// transaction each; bad lines are reported with their numbers and skipped.
struct Importer {
    let database: any Database
    var batchSize = 500
    var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    func run<Lines: Sequence>(
        lines: Lines, progress: (ImportReport) -> Void = { _ in }
    ) async throws -> ImportReport where Lines.Element == Substring {
        var report = ImportReport()
        var batch: [ContentRecord] = []
        var lineNumber = 0
        for line in lines {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            switch ImportFormat.parse(line: line) {
            case .success(let record):
                batch.append(record)
            case .failure(let problem):
                report.skipped.append(.init(lineNumber: lineNumber, message: problem.message()))
            }
            if batch.count >= batchSize {
                try await write(batch, into: &report)
                batch.removeAll(keepingCapacity: true)
                progress(report)
            }
        }
        try await write(batch, into: &report)
        progress(report)
        if report.created + report.updated > 0 {
            let sql = try database.sql
            try await sql.engine.refreshStatistics(of: ["items", "item_terms", "item_fields", "item_authors", "search_documents"], on: sql)
        }
        return report
    }

    private func write(_ records: [ContentRecord], into report: inout ImportReport) async throws {
        guard !records.isEmpty else { return }
        let now = clock()
        let outcomes = try await database.withConnection { connection -> [ContentStore.Outcome] in
            let sql = try connection.sql
            try await sql.engine.prepareForBatchWrites(on: sql)
            return try await connection.transaction { transaction -> [ContentStore.Outcome] in
                var store = ContentStore(sql: try transaction.sql)
                var outcomes: [ContentStore.Outcome] = []
                for record in records { outcomes.append(try await store.save(record, now: now)) }
                try await store.finish()
                return outcomes
            }
        }
        for outcome in outcomes {
            switch outcome {
            case .created: report.created += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            }
        }
    }
}
