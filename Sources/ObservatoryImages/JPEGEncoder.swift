/// Encodes RGBA images as baseline JFIF JPEG: YCbCr 4:2:0, the T.81 annex K quantisation tables scaled
/// like the IJG library's quality setting, and the annex K Huffman tables.
public enum JPEGEncoder {
    /// Encodes `image` at `quality` 1...100 (clamped). Transparent pixels are composited over white.
    /// Returns an empty array when the size cannot be stored in a JPEG (width or height outside 1...65535)
    /// or `pixels` does not hold width × height RGBA pixels.
    public static func encode(_ image: RasterImage, quality: Int) -> [UInt8] {
        let width = image.width, height = image.height
        guard (1...65535).contains(width), (1...65535).contains(height),
              image.pixels.count == width * height * 4
        else { return [] }
        let quality = min(max(quality, 1), 100)
        let luminanceTable = scaledQuantization(JPEGTables.luminanceQuantization, quality: quality)
        let chrominanceTable = scaledQuantization(JPEGTables.chrominanceQuantization, quality: quality)

        var writer = JPEGBitWriter(capacity: width * height / 4 + 1024)
        writeHeaders(&writer, width: width, height: height, luminance: luminanceTable, chrominance: chrominanceTable)
        var scan = ScanEncoder(luminance: luminanceTable, chrominance: chrominanceTable)
        scan.encode(image, into: &writer)
        writer.flush()
        writer.bytes.append(contentsOf: [0xFF, 0xD9])
        return writer.bytes
    }

    /// IJG quality scaling: 50 keeps the example tables, lower values scale them up, higher down.
    /// Entries are limited to 1...255 so the tables stay baseline.
    static func scaledQuantization(_ base: [Int], quality: Int) -> [Int] {
        let scale = quality < 50 ? 5000 / quality : 200 - 2 * quality
        return base.map { min(max(($0 * scale + 50) / 100, 1), 255) }
    }

    private static func writeHeaders(
        _ writer: inout JPEGBitWriter, width: Int, height: Int, luminance: [Int], chrominance: [Int]
    ) {
        func segment(_ marker: UInt8, _ payload: [UInt8]) {
            let length = payload.count + 2
            writer.bytes.append(contentsOf: [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)])
            writer.bytes.append(contentsOf: payload)
        }
        writer.bytes.append(contentsOf: [0xFF, 0xD8])
        // JFIF 1.01, no density unit, 1:1 aspect, no thumbnail.
        segment(0xE0, [0x4A, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])

        var tables: [UInt8] = []
        for (id, table) in [luminance, chrominance].enumerated() {
            tables.append(UInt8(id))
            tables.append(contentsOf: JPEGTables.zigzag.map { UInt8(table[$0]) })
        }
        segment(0xDB, tables)

        segment(0xC0, [
            8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), 3,
            1, 0x22, 0,  // Y: 2×2 sampling, table 0
            2, 0x11, 1,  // Cb
            3, 0x11, 1,  // Cr
        ])

        var huffman: [UInt8] = []
        let specs: [(UInt8, JPEGTables.HuffmanSpec)] = [
            (0x00, JPEGTables.luminanceDC), (0x10, JPEGTables.luminanceAC),
            (0x01, JPEGTables.chrominanceDC), (0x11, JPEGTables.chrominanceAC),
        ]
        for (classAndID, spec) in specs {
            huffman.append(classAndID)
            huffman.append(contentsOf: spec.counts.map { UInt8($0) })
            huffman.append(contentsOf: spec.symbols)
        }
        segment(0xC4, huffman)

        segment(0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])
    }
}

/// Huffman codes by symbol (T.81 annex C).
private struct JPEGHuffmanEncodingTable {
    var codes = [UInt32](repeating: 0, count: 256)
    var lengths = [Int](repeating: 0, count: 256)

    init(_ spec: JPEGTables.HuffmanSpec) {
        var code: UInt32 = 0
        var index = 0
        for length in 1...16 {
            for _ in 0..<spec.counts[length - 1] {
                let symbol = Int(spec.symbols[index])
                codes[symbol] = code
                lengths[symbol] = length
                code += 1
                index += 1
            }
            code <<= 1
        }
    }
}

/// Accumulates entropy-coded bits, stuffing a zero byte after every 0xFF.
private struct JPEGBitWriter {
    var bytes: [UInt8]
    private var accumulator: UInt64 = 0
    private var count = 0

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends the low `length` bits of `bits` (at most 32 at a time).
    @inline(__always)
    mutating func write(_ bits: UInt32, _ length: Int) {
        accumulator = accumulator << UInt64(length) | UInt64(bits)
        count += length
        while count >= 8 {
            count -= 8
            let byte = UInt8(truncatingIfNeeded: accumulator >> UInt64(count))
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0) }
        }
    }

    /// Pads the last byte with one bits.
    mutating func flush() {
        if count > 0 { write((1 << UInt32(8 - count)) - 1, 8 - count) }
    }
}

/// Colour conversion, subsampling, transform, quantisation and Huffman coding of the single scan.
private struct ScanEncoder {
    private let luminanceReciprocals: [Float]
    private let chrominanceReciprocals: [Float]
    private let dcTables = (JPEGHuffmanEncodingTable(JPEGTables.luminanceDC), JPEGHuffmanEncodingTable(JPEGTables.chrominanceDC))
    private let acTables = (JPEGHuffmanEncodingTable(JPEGTables.luminanceAC), JPEGHuffmanEncodingTable(JPEGTables.chrominanceAC))
    private let zigzag = JPEGTables.zigzag
    private var predictions: (Int32, Int32, Int32) = (0, 0, 0)
    /// Offsets of the four luma blocks inside a 16×16 MCU.
    private let lumaBlocks = [(0, 0), (8, 0), (0, 8), (8, 8)]

    init(luminance: [Int], chrominance: [Int]) {
        luminanceReciprocals = luminance.map { 1 / Float($0) }
        chrominanceReciprocals = chrominance.map { 1 / Float($0) }
    }

    mutating func encode(_ image: RasterImage, into writer: inout JPEGBitWriter) {
        let width = image.width, height = image.height
        let mcusPerLine = (width + 15) / 16, mcusPerColumn = (height + 15) / 16
        let stripWidth = mcusPerLine * 16
        let chromaWidth = stripWidth / 2
        // One MCU row: 16 rows of level-shifted luma, 8 rows of 2×2-averaged chroma.
        var luma = [Float](repeating: 0, count: 16 * stripWidth)
        var blue = [Float](repeating: 0, count: 8 * chromaWidth)
        var red = [Float](repeating: 0, count: 8 * chromaWidth)
        var block = [Float](repeating: 0, count: 64)
        var quantized = [Int32](repeating: 0, count: 64)

        for mcuY in 0..<mcusPerColumn {
            for i in blue.indices {
                blue[i] = 0
                red[i] = 0
            }
            for row in 0..<16 {
                // Rows and columns past the edge repeat the last pixel, which avoids ringing there.
                let y = min(mcuY * 16 + row, height - 1)
                let chromaRow = (row >> 1) * chromaWidth
                for x in 0..<stripWidth {
                    let p = (y * width + min(x, width - 1)) * 4
                    var r = Float(image.pixels[p]), g = Float(image.pixels[p + 1]), b = Float(image.pixels[p + 2])
                    if image.hasAlpha {
                        let a = Float(image.pixels[p + 3]) * (1 / 255)
                        r = 255 + (r - 255) * a
                        g = 255 + (g - 255) * a
                        b = 255 + (b - 255) * a
                    }
                    luma[row * stripWidth + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128
                    blue[chromaRow + (x >> 1)] += 0.25 * (-0.168736 * r - 0.331264 * g + 0.5 * b)
                    red[chromaRow + (x >> 1)] += 0.25 * (0.5 * r - 0.418688 * g - 0.081312 * b)
                }
            }
            for mcuX in 0..<mcusPerLine {
                for (dx, dy) in lumaBlocks {
                    load(&block, from: luma, offset: dy * stripWidth + mcuX * 16 + dx, stride: stripWidth)
                    transform(&block, &quantized, luminanceReciprocals)
                    emit(quantized, prediction: &predictions.0, dc: dcTables.0, ac: acTables.0, &writer)
                }
                load(&block, from: blue, offset: mcuX * 8, stride: chromaWidth)
                transform(&block, &quantized, chrominanceReciprocals)
                emit(quantized, prediction: &predictions.1, dc: dcTables.1, ac: acTables.1, &writer)
                load(&block, from: red, offset: mcuX * 8, stride: chromaWidth)
                transform(&block, &quantized, chrominanceReciprocals)
                emit(quantized, prediction: &predictions.2, dc: dcTables.1, ac: acTables.1, &writer)
            }
        }
    }

    @inline(__always)
    private func load(_ block: inout [Float], from plane: [Float], offset: Int, stride: Int) {
        for row in 0..<8 {
            for column in 0..<8 {
                block[row * 8 + column] = plane[offset + row * stride + column]
            }
        }
    }

    /// Forward DCT, then quantisation into zig-zag order.
    @inline(__always)
    private func transform(_ block: inout [Float], _ quantized: inout [Int32], _ reciprocals: [Float]) {
        block.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { JPEGTransform.forward(base) }
        }
        for k in 0..<64 {
            let n = zigzag[k]
            let value = (block[n] * reciprocals[n]).rounded()
            // Baseline AC magnitudes are limited to 10 bits; only q = 1 can get near that.
            quantized[k] = Int32(min(max(value, -1023), 1023))
        }
    }

    /// Number of bits needed for |value| and the value's bits as T.81 F.1.2.1 codes them
    /// (negative numbers as value − 1).
    @inline(__always)
    private func magnitude(_ value: Int32) -> (size: Int, bits: UInt32) {
        let size = 32 - value.magnitude.leadingZeroBitCount
        let bits = value < 0 ? value - 1 : value
        return (size, UInt32(bitPattern: bits) & ((1 << UInt32(size)) - 1))
    }

    @inline(__always)
    private func emit(
        _ coefficients: [Int32], prediction: inout Int32,
        dc: JPEGHuffmanEncodingTable, ac: JPEGHuffmanEncodingTable, _ writer: inout JPEGBitWriter
    ) {
        let (dcSize, dcBits) = magnitude(coefficients[0] - prediction)
        prediction = coefficients[0]
        writer.write(dc.codes[dcSize], dc.lengths[dcSize])
        writer.write(dcBits, dcSize)

        var run = 0
        for k in 1..<64 {
            let value = coefficients[k]
            if value == 0 {
                run += 1
                continue
            }
            while run > 15 {
                writer.write(ac.codes[0xF0], ac.lengths[0xF0])  // ZRL: sixteen zeros
                run -= 16
            }
            let (size, bits) = magnitude(value)
            let symbol = run << 4 | size
            writer.write(ac.codes[symbol], ac.lengths[symbol])
            writer.write(bits, size)
            run = 0
        }
        if run > 0 { writer.write(ac.codes[0x00], ac.lengths[0x00]) }  // EOB
    }
}
