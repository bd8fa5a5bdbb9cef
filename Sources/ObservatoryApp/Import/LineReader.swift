import Foundation

/// Reads a file line by line in fixed-size chunks, so files far larger than memory can be
/// imported. Lines are split on `\n`; a trailing `\r` is dropped.
final class LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false
    private let chunkSize = 1 << 20
    /// Bytes handed out so far, for progress reports.
    private(set) var consumedBytes = 0
    let totalBytes: Int

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(path: path)
        }
        self.handle = handle
        totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    func next() -> Substring? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[buffer.startIndex..<newline]
                consumedBytes += line.count + 1
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                return Substring(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                consumedBytes += buffer.count
                defer { buffer.removeAll() }
                return Substring(decoding: buffer, as: UTF8.self)
            }
            let chunk = handle.readData(ofLength: chunkSize)
            if chunk.isEmpty { atEnd = true } else { buffer.append(chunk) }
        }
    }
}
