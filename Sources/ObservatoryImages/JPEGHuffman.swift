/// Why decoding entropy-coded data stopped early. Never escapes the decoder: damaged data ends the
/// current restart interval (or scan) and the image keeps whatever was decoded.
enum JPEGEntropyError: Error {
    case invalidCode
    case invalidData
}

/// A Huffman table prepared for decoding (T.81 annex C and F.2.2.3).
struct JPEGHuffmanDecodingTable: Sendable {
    /// Number of leading bits resolved by a single lookup.
    static let fastBits = 9

    /// Indexed by the next `fastBits` bits: `length << 8 | symbol`, or 0 when the code is longer.
    private(set) var fast: [UInt16]
    /// Largest code of each length (index 1...16), -1 when there is none.
    private var maxCode: [Int32]
    /// Added to a code of a given length to get its index in `symbols`.
    private var valueOffset: [Int32]
    private var symbols: [UInt8]

    /// Builds the canonical code from a DHT specification; throws when the counts describe more codes
    /// than fit in 16 bits.
    init(counts: [Int], symbols: [UInt8]) throws(ImageCodecError) {
        guard counts.count == 16, counts.reduce(0, +) == symbols.count else {
            throw .corrupt("Huffman table is inconsistent")
        }
        var fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        var maxCode = [Int32](repeating: -1, count: 18)
        var valueOffset = [Int32](repeating: 0, count: 18)
        var code = 0
        var index = 0
        for length in 1...16 {
            let n = counts[length - 1]
            valueOffset[length] = Int32(index - code)
            if n > 0 {
                guard code + n <= 1 << length else { throw .corrupt("Huffman table has too many codes") }
                if length <= Self.fastBits {
                    let shift = Self.fastBits - length
                    for i in 0..<n {
                        let entry = UInt16(length << 8) | UInt16(symbols[index + i])
                        let first = (code + i) << shift
                        for slot in first..<(first + (1 << shift)) { fast[slot] = entry }
                    }
                }
                code += n
                index += n
                maxCode[length] = Int32(code - 1)
            }
            code <<= 1
        }
        self.fast = fast
        self.maxCode = maxCode
        self.valueOffset = valueOffset
        self.symbols = symbols
    }

    init(_ spec: JPEGTables.HuffmanSpec) {
        // The built-in tables are valid, so construction cannot fail.
        do { self = try JPEGHuffmanDecodingTable(counts: spec.counts, symbols: spec.symbols) } catch {
            preconditionFailure("invalid built-in Huffman table")
        }
    }

    /// Resolves a code longer than `fastBits`; `lookahead` holds the next 16 bits of the stream.
    func decodeLong(_ lookahead: Int) -> (symbol: Int, length: Int)? {
        for length in (Self.fastBits + 1)...16 {
            let code = Int32(lookahead >> (16 - length))
            if code <= maxCode[length] {
                let index = Int(code + valueOffset[length])
                guard index >= 0, index < symbols.count else { return nil }
                return (Int(symbols[index]), length)
            }
        }
        return nil
    }
}

/// Reads the bits of an entropy-coded segment, removing byte stuffing (0xFF 0x00).
///
/// It never reads past a marker: once one (or the end of the data) is reached, zero bits are supplied
/// instead and counted, so callers can tell when the real data ran out (`isOverrun`).
struct JPEGBitReader {
    private let data: [UInt8]
    /// Index of the next byte to load; stops at the 0xFF of the marker that ends the segment.
    private(set) var position: Int
    private var buffer: UInt64 = 0
    /// Number of valid bits at the bottom of `buffer`.
    private var count = 0
    /// Zero bits appended after the data ended; they sit at the bottom of `buffer`.
    private var padding = 0
    private var reachedMarker = false

    init(data: [UInt8], position: Int) {
        self.data = data
        self.position = position
    }

    /// True once bits beyond the end of the segment have been consumed.
    var isOverrun: Bool { padding > count }

    private mutating func refill() {
        while count <= 56 {
            var byte: UInt64 = 0
            if !reachedMarker && position < data.count {
                let b = data[position]
                if b != 0xFF {
                    byte = UInt64(b)
                    position += 1
                } else if position + 1 < data.count && data[position + 1] == 0x00 {
                    byte = 0xFF
                    position += 2
                } else {
                    reachedMarker = true
                    padding += 8
                }
            } else {
                padding += 8
            }
            buffer = buffer << 8 | byte
            count += 8
        }
    }

    /// Reads `n` (0...16) bits as an unsigned number.
    @inline(__always)
    mutating func bits(_ n: Int) -> Int {
        if count < n { refill() }
        count -= n
        return Int(truncatingIfNeeded: buffer &>> UInt64(count)) & ((1 << n) - 1)
    }

    @inline(__always)
    mutating func bit() -> Bool {
        if count < 1 { refill() }
        count -= 1
        return buffer &>> UInt64(count) & 1 != 0
    }

    /// Reads `size` bits and sign-extends them as in T.81 F.2.2.1 (EXTEND).
    @inline(__always)
    mutating func receiveExtend(_ size: Int) -> Int {
        if size == 0 { return 0 }
        let value = bits(size)
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value
    }

    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanDecodingTable) throws(JPEGEntropyError) -> Int {
        if count < 16 { refill() }
        let lookahead = Int(truncatingIfNeeded: buffer &>> UInt64(count - 16)) & 0xFFFF
        let entry = table.fast[lookahead &>> (16 - JPEGHuffmanDecodingTable.fastBits)]
        if entry != 0 {
            count -= Int(entry >> 8)
            return Int(entry & 0xFF)
        }
        guard let (symbol, length) = table.decodeLong(lookahead) else { throw .invalidCode }
        count -= length
        return symbol
    }

    /// Moves past the next restart marker, discarding buffered bits and any damaged data before it.
    /// Returns false when another marker or the end of the data comes first.
    mutating func skipToRestartMarker() -> Bool {
        buffer = 0
        count = 0
        padding = 0
        reachedMarker = false
        var p = position
        while p + 1 < data.count {
            if data[p] != 0xFF {
                p += 1
                continue
            }
            let next = data[p + 1]
            if next == 0x00 || next == 0xFF {
                p += 1
            } else if (0xD0...0xD7).contains(next) {
                position = p + 2
                return true
            } else {
                position = p
                return false
            }
        }
        position = data.count
        return false
    }
}
