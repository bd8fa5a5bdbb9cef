import Foundation

/// Reads a file line by line in fixed-size chunks, so files far larger than memory can be
/// imported. Lines are split on `\n`; a trailing `\r` is dropped.
final class LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`; consumed bytes are dropped only when a new chunk
    /// is read, so handing out a line never moves the rest of the buffer.
    private var position = 0
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
            if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Substring(decoding: buffer[position..<end], as: UTF8.self)
                consumedBytes += newline + 1 - position
                position = newline + 1
                return line
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = Substring(decoding: buffer[position...], as: UTF8.self)
                consumedBytes += buffer.count - position
                position = buffer.count
                return line
            }
            let chunk = handle.readData(ofLength: chunkSize)
            buffer.removeSubrange(0..<position)
            position = 0
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
