import Foundation
import ObservatoryCore
import Vapor

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
