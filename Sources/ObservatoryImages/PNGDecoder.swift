import CompressNIO
import NIOCore

/// Decodes PNG files (all colour types and bit depths, Adam7 interlacing) to 8-bit RGBA.
///
/// Every input is treated as untrusted: all lengths, CRCs and header fields are checked, the
/// pixel count is compared with `maximumPixels` before anything is inflated, and zlib may never
/// produce more bytes than the header implies. Any defect throws ``ImageCodecError``.
///
/// Conversion rules:
/// - 16-bit samples keep their high byte (as libpng's `strip_16` and Pillow do).
/// - Grayscale below 8 bits is scaled to 0...255 (`v * 255 / (2^depth - 1)`).
/// - A `tRNS` colour key makes exactly matching pixels fully transparent (compared at the
///   file's own bit depth); palette `tRNS` entries give per-index alpha.
/// - Palette indices past the end of `PLTE` decode as opaque black instead of failing.
/// - `hasAlpha` is true only if some decoded pixel actually has alpha below 255, so an RGBA
///   file that is fully opaque reports `false`.
/// - Ancillary chunks are ignored; for APNG only the default image (the IDAT stream) is decoded.
public enum PNGDecoder {
    public static func decode(_ bytes: [UInt8], maximumPixels: Int) throws -> RasterImage {
        try bytes.withUnsafeBytes { try decode(file: $0, maximumPixels: maximumPixels) }
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// zlib and ByteBuffer count in 32 bits; no real image needs 2 GiB of filtered scanlines.
    static let maximumInflatedSize = 1 << 31

    /// No deflate stream expands by more than 1032:1 (a 258-byte match coded in two bits).
    private static let maximumDeflateRatio = 1032

    private static func decode(file: UnsafeRawBufferPointer, maximumPixels: Int) throws -> RasterImage {
        guard file.count >= signature.count, file.prefix(signature.count).elementsEqual(signature) else {
            throw ImageCodecError.notRecognised
        }
        let parsed = try parseChunks(file, maximumPixels: maximumPixels)
        let header = parsed.header
        let passes = header.passes()
        let inflatedSize = parsed.inflatedSize
        let compressedSize = parsed.imageData.reduce(0) { $0 + $1.count }
        guard compressedSize <= maximumInflatedSize else {
            throw ImageCodecError.tooLarge(width: header.width, height: header.height)
        }
        // Refuse to allocate for a header whose data could not possibly fill it.
        guard compressedSize > 0, compressedSize * maximumDeflateRatio + 1024 >= inflatedSize else {
            throw ImageCodecError.corrupt("image data is too short for the declared size")
        }

        var inflated = try inflate(file, ranges: parsed.imageData, compressedSize: compressedSize, expectedSize: inflatedSize)
        let expander = PNGRowExpander(header: header, palette: parsed.palette, transparency: parsed.transparency)
        let pixelCount = header.width * header.height
        var alphaAnd: UInt8 = 0xFF  // Bitwise AND of all alpha values: 255 only if every pixel is opaque.
        let pixels = try [UInt8](unsafeUninitializedCapacity: pixelCount * 4) { output, initialized in
            let outputBase = output.baseAddress!
            try inflated.withUnsafeMutableReadableBytes { raw in
                let data = raw.bindMemory(to: UInt8.self).baseAddress!
                let zeroRow = [UInt8](repeating: 0, count: passes.map(\.rowBytes).max() ?? 0)
                try zeroRow.withUnsafeBufferPointer { zeros in
                    var offset = 0
                    for pass in passes {
                        var previous = zeros.baseAddress!
                        for passRow in 0..<pass.height {
                            let row = data + offset + 1
                            try PNGFilter.reconstruct(
                                type: data[offset], row: row, previous: previous,
                                count: pass.rowBytes, bytesPerPixel: header.filterDistance)
                            let y = pass.yStart + passRow * pass.yStep
                            let destination = outputBase + (y * header.width + pass.xStart) * 4
                            alphaAnd &= expander.expand(row, count: pass.width, into: destination, step: pass.xStep * 4)
                            previous = UnsafePointer(row)
                            offset += 1 + pass.rowBytes
                        }
                    }
                }
            }
            initialized = pixelCount * 4
        }
        return RasterImage(width: header.width, height: header.height, hasAlpha: alphaAnd != 0xFF, pixels: pixels)
    }

    // MARK: - Chunks

    private struct ParsedFile {
        var header: PNGHeader
        var palette: [UInt8]?
        var transparency: [UInt8]?
        var imageData: [Range<Int>]
        /// Size of the filtered scanlines of all passes, which zlib must produce exactly.
        var inflatedSize: Int
    }

    private static func parseChunks(_ file: UnsafeRawBufferPointer, maximumPixels: Int) throws -> ParsedFile {
        var offset = signature.count
        let first = try readChunk(file, at: &offset)
        guard first.type == .IHDR else { throw ImageCodecError.corrupt("first chunk is \(first.type), not IHDR") }
        let header = try PNGHeader(UnsafeRawBufferPointer(rebasing: file[first.data]))
        let (pixels, overflow) = header.width.multipliedReportingOverflow(by: header.height)
        guard !overflow, pixels <= maximumPixels else {
            throw ImageCodecError.tooLarge(width: header.width, height: header.height)
        }
        var inflatedSize = 0
        for pass in header.passes() {
            let (size, overflow) = pass.height.multipliedReportingOverflow(by: 1 + pass.rowBytes)
            guard !overflow, size <= maximumInflatedSize - inflatedSize else {
                throw ImageCodecError.tooLarge(width: header.width, height: header.height)
            }
            inflatedSize += size
        }

        var palette: [UInt8]?
        var transparency: [UInt8]?
        var imageData: [Range<Int>] = []
        var imageDataEnded = false
        while true {
            let (type, range) = try readChunk(file, at: &offset)
            let data = UnsafeRawBufferPointer(rebasing: file[range])
            if !imageData.isEmpty && type != .IDAT {
                imageDataEnded = true
            }
            switch type {
            case .IHDR:
                throw ImageCodecError.corrupt("duplicate IHDR")
            case .PLTE:
                guard palette == nil, imageData.isEmpty else { throw ImageCodecError.corrupt("misplaced PLTE") }
                guard data.count % 3 == 0, (3...768).contains(data.count) else {
                    throw ImageCodecError.corrupt("PLTE must hold 1...256 entries")
                }
                palette = Array(data)
            case .tRNS:
                guard transparency == nil, imageData.isEmpty else { throw ImageCodecError.corrupt("misplaced tRNS") }
                switch header.colorType {
                case .palette:
                    guard palette != nil else { throw ImageCodecError.corrupt("tRNS before PLTE") }
                    guard data.count <= 256 else { throw ImageCodecError.corrupt("tRNS has more than 256 entries") }
                case .gray:
                    guard data.count == 2 else { throw ImageCodecError.corrupt("grayscale tRNS must be 2 bytes") }
                case .rgb:
                    guard data.count == 6 else { throw ImageCodecError.corrupt("RGB tRNS must be 6 bytes") }
                case .grayAlpha, .rgba:
                    continue  // Not allowed with an alpha channel; harmless, so ignored.
                }
                transparency = Array(data)
            case .IDAT:
                guard !imageDataEnded else { throw ImageCodecError.corrupt("IDAT chunks are not consecutive") }
                imageData.append(range)
            case .IEND:
                guard !imageData.isEmpty else { throw ImageCodecError.corrupt("no IDAT chunk") }
                guard header.colorType != .palette || palette != nil else {
                    throw ImageCodecError.corrupt("palette image without PLTE")
                }
                return ParsedFile(
                    header: header, palette: palette, transparency: transparency, imageData: imageData,
                    inflatedSize: inflatedSize)
            default:
                if type.isCritical {
                    throw ImageCodecError.unsupported("unknown critical chunk \(type)")
                }
            }
        }
    }

    /// Reads the chunk at `offset`, checking its length and CRC, and advances past it.
    private static func readChunk(
        _ file: UnsafeRawBufferPointer, at offset: inout Int
    ) throws -> (type: ChunkType, data: Range<Int>) {
        guard file.count - offset >= 12 else {
            throw ImageCodecError.corrupt("file ends before IEND")
        }
        let length = Int(file.bigEndianUInt32(at: offset))
        let dataStart = offset + 8
        guard length <= 0x7FFF_FFFF, length <= file.count - dataStart - 4 else {
            throw ImageCodecError.corrupt("chunk runs past the end of the file")
        }
        let type = ChunkType(file.bigEndianUInt32(at: offset + 4))
        guard type.isWellFormed else {
            throw ImageCodecError.corrupt("invalid chunk type")
        }
        let dataEnd = dataStart + length
        let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: file[(offset + 4)..<dataEnd]))
        guard crc == file.bigEndianUInt32(at: dataEnd) else {
            throw ImageCodecError.corrupt("CRC mismatch in \(type) chunk")
        }
        offset = dataEnd + 4
        return (type, dataStart..<dataEnd)
    }

    // MARK: - Inflate

    /// Inflates the concatenated IDAT data into a buffer of exactly `expectedSize` bytes and
    /// confirms the zlib stream ends there: a stream that would produce one byte more, or that
    /// stops short, is corrupt. Memory use is therefore fixed by the header, never by the data.
    private static func inflate(
        _ file: UnsafeRawBufferPointer, ranges: [Range<Int>], compressedSize: Int, expectedSize: Int
    ) throws -> ByteBuffer {
        let allocator = ByteBufferAllocator()
        var input = allocator.buffer(capacity: compressedSize)
        for range in ranges {
            input.writeBytes(UnsafeRawBufferPointer(rebasing: file[range]))
        }
        var output = allocator.buffer(capacity: expectedSize)
        // ByteBuffer rounds capacity up to a power of two and zlib fills every writable byte,
        // so start writing late enough that exactly `expectedSize` bytes remain writable.
        let padding = output.capacity - expectedSize
        output.moveWriterIndex(to: padding)
        output.moveReaderIndex(to: padding)

        do {
            let decompressor = try ZlibDecompressor(algorithm: .zlib)
            do {
                try decompressor.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // The output is full; the probes below tell a finished stream from an oversized one.
            }
            // Feed what input is left, then nothing, into a small spill buffer. A finished stream
            // reports its end without writing; any output means the data is larger than declared,
            // and "needs more input" means it is truncated.
            var spill = allocator.buffer(capacity: 16)
            try decompressor.inflate(from: &input, to: &spill)
            var empty = allocator.buffer(capacity: 1)
            try decompressor.inflate(from: &empty, to: &spill)
            guard spill.readableBytes == 0 else {
                throw ImageCodecError.corrupt("image data inflates to more than the declared size")
            }
        } catch let error as CompressNIOError {
            switch error {
            case .bufferOverflow:
                throw ImageCodecError.corrupt("image data inflates to more than the declared size")
            case .inputBufferOverflow:
                throw ImageCodecError.corrupt("image data is truncated")
            default:
                throw ImageCodecError.corrupt("image data is not a valid zlib stream (\(error))")
            }
        }
        guard output.readableBytes == expectedSize else {
            throw ImageCodecError.corrupt("image data inflates to less than the declared size")
        }
        return output
    }
}

// MARK: - Header

enum PNGColorType: UInt8 {
    case gray = 0
    case rgb = 2
    case palette = 3
    case grayAlpha = 4
    case rgba = 6

    var channels: Int {
        switch self {
        case .gray, .palette: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    func allows(bitDepth: Int) -> Bool {
        switch self {
        case .gray: [1, 2, 4, 8, 16].contains(bitDepth)
        case .palette: [1, 2, 4, 8].contains(bitDepth)
        case .rgb, .grayAlpha, .rgba: bitDepth == 8 || bitDepth == 16
        }
    }
}

struct PNGHeader {
    let width: Int
    let height: Int
    let bitDepth: Int
    let colorType: PNGColorType
    let interlaced: Bool

    init(_ data: UnsafeRawBufferPointer) throws {
        guard data.count == 13 else { throw ImageCodecError.corrupt("IHDR must be 13 bytes") }
        width = Int(data.bigEndianUInt32(at: 0))
        height = Int(data.bigEndianUInt32(at: 4))
        guard (1...0x7FFF_FFFF).contains(width), (1...0x7FFF_FFFF).contains(height) else {
            throw ImageCodecError.corrupt("image dimensions out of range")
        }
        bitDepth = Int(data[8])
        guard let colorType = PNGColorType(rawValue: data[9]), colorType.allows(bitDepth: bitDepth) else {
            throw ImageCodecError.corrupt("invalid colour type \(data[9]) with bit depth \(data[8])")
        }
        self.colorType = colorType
        guard data[10] == 0 else { throw ImageCodecError.unsupported("compression method \(data[10])") }
        guard data[11] == 0 else { throw ImageCodecError.unsupported("filter method \(data[11])") }
        guard data[12] <= 1 else { throw ImageCodecError.unsupported("interlace method \(data[12])") }
        interlaced = data[12] == 1
    }

    var bitsPerPixel: Int { colorType.channels * bitDepth }

    /// Distance in bytes to the "left" byte used by the scanline filters.
    var filterDistance: Int { max(1, bitsPerPixel / 8) }

    /// The sub-images stored in the file: the whole image, or the non-empty Adam7 passes of an
    /// interlaced one (an empty pass has no bytes at all, not even filter types).
    func passes() -> [Pass] {
        let layout: [(xStart: Int, yStart: Int, xStep: Int, yStep: Int)] =
            interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        return layout.compactMap { p in
            let passWidth = width > p.xStart ? (width - p.xStart + p.xStep - 1) / p.xStep : 0
            let passHeight = height > p.yStart ? (height - p.yStart + p.yStep - 1) / p.yStep : 0
            guard passWidth > 0, passHeight > 0 else { return nil }
            return Pass(
                xStart: p.xStart, yStart: p.yStart, xStep: p.xStep, yStep: p.yStep,
                width: passWidth, height: passHeight, rowBytes: (passWidth * bitsPerPixel + 7) / 8)
        }
    }

    struct Pass {
        let xStart: Int
        let yStart: Int
        let xStep: Int
        let yStep: Int
        let width: Int
        let height: Int
        let rowBytes: Int
    }
}

// MARK: - Chunk types

struct ChunkType: Equatable, CustomStringConvertible {
    let code: UInt32

    init(_ code: UInt32) { self.code = code }

    init(_ name: StaticString) {
        code = name.withUTF8Buffer { $0.reduce(0) { $0 << 8 | UInt32($1) } }
    }

    static let IHDR = ChunkType("IHDR")
    static let PLTE = ChunkType("PLTE")
    static let IDAT = ChunkType("IDAT")
    static let IEND = ChunkType("IEND")
    static let tRNS = ChunkType("tRNS")

    private var bytes: [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: code >> $0) } }

    /// Chunk types are four ASCII letters.
    var isWellFormed: Bool {
        bytes.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// An upper-case first letter marks a chunk the decoder must understand.
    var isCritical: Bool { code & 0x2000_0000 == 0 }

    var description: String { String(decoding: bytes, as: UTF8.self) }
}

extension UnsafeRawBufferPointer {
    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
