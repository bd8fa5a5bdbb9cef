/// Decodes JPEG files (JFIF, Exif, Adobe) to upright 8-bit RGBA.
///
/// Supported: baseline, extended sequential (8-bit, Huffman) and progressive frames; grayscale,
/// YCbCr, RGB, CMYK and YCCK; any sampling factors 1...4; restart intervals; Exif orientation.
/// Not supported: arithmetic coding, 12-bit samples, lossless and hierarchical JPEG, DNL markers.
///
/// Input is treated as untrusted: malformed headers throw, and damaged or truncated entropy-coded
/// data yields the part of the image that could be decoded (the rest stays mid-grey).
public enum JPEGDecoder {
    public static func decode(_ bytes: [UInt8], maximumPixels: Int) throws -> RasterImage {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw ImageCodecError.notRecognised }
        var parser = JPEGParser(bytes: bytes, maximumPixels: maximumPixels)
        try parser.parse()
        return try parser.makeImage()
    }

    /// The Exif orientation (1...8) stored in the file's header, 1 when absent or invalid.
    /// Orientations 5...8 mean the displayed width and height are swapped.
    public static func orientation(of bytes: [UInt8]) -> Int {
        JPEGExif.orientation(ofJPEG: bytes)
    }
}

/// A frame's geometry and its decoded data.
struct JPEGFrame {
    struct Component {
        let id: UInt8
        let h: Int
        let v: Int
        let quantizationTable: Int
        /// Size in samples: ceil(image size × sampling factor / maximum sampling factor).
        let width: Int
        let height: Int
        /// Storage size in blocks, rounded up to whole MCUs.
        let blocksPerLine: Int
        let blocksPerColumn: Int
        let sampleOffset: Int
        let coefficientOffset: Int
        /// Progressive frames: dequantisation factors in natural order, fixed by the component's first scan.
        var latchedQuantization: [Float]?

        var stride: Int { blocksPerLine * 8 }
        var blocksWide: Int { (width + 7) / 8 }
        var blocksHigh: Int { (height + 7) / 8 }
    }

    let width: Int
    let height: Int
    let progressive: Bool
    var components: [Component]
    let maxH: Int
    let maxV: Int
    let mcusPerLine: Int
    let mcusPerColumn: Int
    /// All components' sample planes, one after another.
    var samples: [UInt8]
    /// Progressive frames: all components' quantised coefficients, 64 per block in natural order.
    var coefficients: [Int16]
}

/// Walks the marker segments of a JPEG file and decodes its scans.
struct JPEGParser {
    /// Real progressive files have about ten scans (a few dozen at most); each scan may visit
    /// every block, so this bounds the work a small hostile file can cause.
    static let maximumScans = 100

    private static let standardTables = (
        dc: [JPEGHuffmanDecodingTable(JPEGTables.luminanceDC), JPEGHuffmanDecodingTable(JPEGTables.chrominanceDC)],
        ac: [JPEGHuffmanDecodingTable(JPEGTables.luminanceAC), JPEGHuffmanDecodingTable(JPEGTables.chrominanceAC)]
    )

    let bytes: [UInt8]
    let maximumPixels: Int
    /// Natural order.
    private var quantizationTables: [[UInt16]?] = [nil, nil, nil, nil]
    private var dcTables: [JPEGHuffmanDecodingTable?] = [nil, nil, nil, nil]
    private var acTables: [JPEGHuffmanDecodingTable?] = [nil, nil, nil, nil]
    private var restartInterval = 0
    private var isJFIF = false
    private var adobeTransform: Int?
    private var orientation: Int?
    private var frame: JPEGFrame?
    private var scanCount = 0

    init(bytes: [UInt8], maximumPixels: Int) {
        self.bytes = bytes
        self.maximumPixels = maximumPixels
    }

    /// Reads segments up to EOI or the end of the data.
    mutating func parse() throws(ImageCodecError) {
        var position = 2
        while let (marker, afterMarker) = nextMarker(from: position) {
            position = afterMarker
            switch marker {
            case 0xD9:
                return
            case 0x01, 0xD0...0xD8:
                continue  // markers without a segment; stray RSTn and repeated SOI are harmless
            default:
                break
            }
            guard position + 2 <= bytes.count else { return try endOfData() }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else { throw .corrupt("invalid segment length") }
            guard position + length <= bytes.count else { return try endOfData() }
            let segment = (position + 2)..<(position + length)
            position += length

            switch marker {
            case 0xC0, 0xC1, 0xC2:
                try readFrame(segment, progressive: marker == 0xC2)
            case 0xC3:
                throw .unsupported("lossless JPEG")
            case 0xC5, 0xC6, 0xC7:
                throw .unsupported("hierarchical JPEG")
            case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
                throw .unsupported("arithmetic-coded JPEG")
            case 0xC4:
                try readHuffmanTables(segment)
            case 0xDB:
                try readQuantizationTables(segment)
            case 0xDD:
                guard segment.count >= 2 else { throw .corrupt("invalid restart interval") }
                restartInterval = Int(bytes[segment.lowerBound]) << 8 | Int(bytes[segment.lowerBound + 1])
            case 0xDA:
                position = try readScan(segment)
            case 0xE0:
                if bytes[segment].starts(with: [0x4A, 0x46, 0x49, 0x46, 0x00]) { isJFIF = true }
            case 0xE1:
                // Like `orientation(of:)`, only metadata before the first scan counts.
                if orientation == nil && scanCount == 0 {
                    orientation = JPEGExif.orientation(app1: bytes, segment: segment)
                }
            case 0xEE:
                // "Adobe", version, flags0, flags1, transform
                if segment.count >= 12, bytes[segment].starts(with: [0x41, 0x64, 0x6F, 0x62, 0x65]) {
                    adobeTransform = Int(bytes[segment.lowerBound + 11])
                }
            default:
                break  // COM, other APPn, DNL, JPG extensions, DAC (only with arithmetic frames)
            }
        }
        try endOfData()
    }

    /// The data ended without EOI: keep what was decoded, if anything.
    private func endOfData() throws(ImageCodecError) {
        if scanCount == 0 { throw .corrupt("truncated before image data") }
    }

    /// Finds the next marker at or after `position`, skipping stray bytes, fill bytes and stuffed zeros.
    /// Returns the marker code and the index just after it.
    private func nextMarker(from position: Int) -> (UInt8, Int)? {
        var p = max(position, 0)
        while p + 1 < bytes.count {
            if bytes[p] == 0xFF {
                let code = bytes[p + 1]
                if code != 0xFF && code != 0x00 { return (code, p + 2) }
            }
            p += 1
        }
        return nil
    }

    private func uint16(at index: Int) -> Int {
        Int(bytes[index]) << 8 | Int(bytes[index + 1])
    }

    private mutating func readFrame(_ segment: Range<Int>, progressive: Bool) throws(ImageCodecError) {
        guard frame == nil else { throw .corrupt("more than one frame") }
        guard segment.count >= 6 else { throw .corrupt("frame header too short") }
        let start = segment.lowerBound
        let precision = bytes[start]
        guard precision == 8 else {
            throw precision == 12 || precision == 16
                ? .unsupported("\(precision)-bit JPEG") : .corrupt("invalid sample precision \(precision)")
        }
        let height = uint16(at: start + 1)
        let width = uint16(at: start + 3)
        let componentCount = Int(bytes[start + 5])
        guard width > 0 else { throw .corrupt("zero image width") }
        guard height > 0 else { throw .unsupported("height defined by a DNL marker") }
        guard width * height <= maximumPixels else { throw .tooLarge(width: width, height: height) }
        guard componentCount > 0 else { throw .corrupt("frame without components") }
        guard [1, 3, 4].contains(componentCount) else { throw .unsupported("\(componentCount)-component JPEG") }
        guard segment.count >= 6 + 3 * componentCount else { throw .corrupt("frame header too short") }

        var specs: [(id: UInt8, h: Int, v: Int, table: Int)] = []
        for i in 0..<componentCount {
            let p = start + 6 + 3 * i
            let id = bytes[p]
            let h = Int(bytes[p + 1] >> 4), v = Int(bytes[p + 1] & 15)
            let table = Int(bytes[p + 2])
            guard (1...4).contains(h), (1...4).contains(v) else { throw .corrupt("invalid sampling factors") }
            guard table < 4 else { throw .corrupt("invalid quantisation table id") }
            guard !specs.contains(where: { $0.id == id }) else { throw .corrupt("duplicate component id") }
            specs.append((id, h, v, table))
        }

        let maxH = specs.map(\.h).max() ?? 1
        let maxV = specs.map(\.v).max() ?? 1
        let mcusPerLine = (width + 8 * maxH - 1) / (8 * maxH)
        let mcusPerColumn = (height + 8 * maxV - 1) / (8 * maxV)
        var components: [JPEGFrame.Component] = []
        var total = 0
        for spec in specs {
            let blocksPerLine = mcusPerLine * spec.h
            let blocksPerColumn = mcusPerColumn * spec.v
            components.append(JPEGFrame.Component(
                id: spec.id, h: spec.h, v: spec.v, quantizationTable: spec.table,
                width: (width * spec.h + maxH - 1) / maxH,
                height: (height * spec.v + maxV - 1) / maxV,
                blocksPerLine: blocksPerLine, blocksPerColumn: blocksPerColumn,
                sampleOffset: total, coefficientOffset: total, latchedQuantization: nil
            ))
            total += blocksPerLine * blocksPerColumn * 64
        }
        frame = JPEGFrame(
            width: width, height: height, progressive: progressive, components: components,
            maxH: maxH, maxV: maxV, mcusPerLine: mcusPerLine, mcusPerColumn: mcusPerColumn,
            // Mid-grey, so blocks missing from a damaged file look neutral.
            samples: [UInt8](repeating: 128, count: total),
            coefficients: progressive ? [Int16](repeating: 0, count: total) : []
        )
    }

    private mutating func readHuffmanTables(_ segment: Range<Int>) throws(ImageCodecError) {
        var p = segment.lowerBound
        while p < segment.upperBound {
            guard p + 17 <= segment.upperBound else { throw .corrupt("Huffman table truncated") }
            let tableClass = bytes[p] >> 4, id = Int(bytes[p] & 15)
            guard tableClass <= 1, id < 4 else { throw .corrupt("invalid Huffman table class or id") }
            let counts = (1...16).map { Int(bytes[p + $0]) }
            let symbolCount = counts.reduce(0, +)
            guard symbolCount <= 256, p + 17 + symbolCount <= segment.upperBound else {
                throw .corrupt("Huffman table truncated")
            }
            let table = try JPEGHuffmanDecodingTable(
                counts: counts, symbols: Array(bytes[(p + 17)..<(p + 17 + symbolCount)])
            )
            if tableClass == 0 { dcTables[id] = table } else { acTables[id] = table }
            p += 17 + symbolCount
        }
    }

    private mutating func readQuantizationTables(_ segment: Range<Int>) throws(ImageCodecError) {
        let zigzag = JPEGTables.zigzag
        var p = segment.lowerBound
        while p < segment.upperBound {
            let wide = bytes[p] >> 4, id = Int(bytes[p] & 15)
            guard wide <= 1, id < 4 else { throw .corrupt("invalid quantisation table precision or id") }
            let size = wide == 0 ? 64 : 128
            guard p + 1 + size <= segment.upperBound else { throw .corrupt("quantisation table truncated") }
            var table = [UInt16](repeating: 0, count: 64)
            for k in 0..<64 {
                table[zigzag[k]] = wide == 0 ? UInt16(bytes[p + 1 + k]) : UInt16(uint16(at: p + 1 + 2 * k))
            }
            quantizationTables[id] = table
            p += 1 + size
        }
    }

    private func huffmanTable(dc: Bool, id: Int) throws(ImageCodecError) -> JPEGHuffmanDecodingTable {
        if let table = (dc ? dcTables : acTables)[id] { return table }
        // Motion-JPEG frames omit DHT and rely on the typical tables of T.81 annex K.
        guard id < 2 else { throw .corrupt("missing Huffman table") }
        return dc ? Self.standardTables.dc[id] : Self.standardTables.ac[id]
    }

    /// Decodes one scan; returns the position just after its entropy-coded data.
    private mutating func readScan(_ segment: Range<Int>) throws(ImageCodecError) -> Int {
        guard var frame else { throw .corrupt("scan before frame header") }
        self.frame = nil  // keep the planes uniquely referenced while decoding into them
        defer { self.frame = frame }

        let start = segment.lowerBound
        guard segment.count >= 1 else { throw .corrupt("scan header too short") }
        let count = Int(bytes[start])
        guard (1...4).contains(count), segment.count >= 1 + 2 * count + 3 else {
            throw .corrupt("invalid scan header")
        }
        var selected: [(index: Int, dc: Int, ac: Int)] = []
        for i in 0..<count {
            let id = bytes[start + 1 + 2 * i], tables = bytes[start + 2 + 2 * i]
            guard let index = frame.components.firstIndex(where: { $0.id == id }) else {
                throw .corrupt("scan refers to an unknown component")
            }
            guard !selected.contains(where: { $0.index == index }) else { throw .corrupt("component repeated in scan") }
            let dc = Int(tables >> 4), ac = Int(tables & 15)
            guard dc < 4, ac < 4 else { throw .corrupt("invalid Huffman table id") }
            selected.append((index, dc, ac))
        }
        let p = start + 1 + 2 * count
        let spectralStart = Int(bytes[p]), spectralEnd = Int(bytes[p + 1])
        let high = Int(bytes[p + 2] >> 4), low = Int(bytes[p + 2] & 15)

        if frame.progressive {
            if spectralStart == 0 {
                guard spectralEnd == 0 else { throw .corrupt("progressive DC scan with AC coefficients") }
            } else {
                guard count == 1, spectralStart <= spectralEnd, spectralEnd <= 63 else {
                    throw .corrupt("invalid progressive AC scan")
                }
            }
            guard high <= 13, low <= 13 else { throw .corrupt("invalid successive approximation") }
        }
        if count > 1 {
            let blocks = selected.reduce(0) { $0 + frame.components[$1.index].h * frame.components[$1.index].v }
            guard blocks <= 10 else { throw .corrupt("too many blocks per MCU") }
        }
        scanCount += 1
        guard scanCount <= Self.maximumScans else { throw .corrupt("too many scans") }

        let needsDC = !frame.progressive || (spectralStart == 0 && high == 0)
        let needsAC = !frame.progressive || spectralStart > 0
        let zigzag = JPEGTables.zigzag
        var parts: [JPEGScanPart] = []
        for s in selected {
            let component = frame.components[s.index]
            var quantization: [Float] = []
            if let table = quantizationTables[component.quantizationTable] {
                if frame.progressive {
                    if component.latchedQuantization == nil {
                        frame.components[s.index].latchedQuantization = table.map { Float($0) }
                    }
                } else {
                    quantization = zigzag.map { Float(table[$0]) }
                }
            } else if !frame.progressive || component.latchedQuantization == nil {
                throw .corrupt("missing quantisation table")
            }
            parts.append(JPEGScanPart(
                dc: needsDC ? try huffmanTable(dc: true, id: s.dc) : Self.standardTables.dc[0],
                ac: needsAC ? try huffmanTable(dc: false, id: s.ac) : Self.standardTables.ac[0],
                h: component.h, v: component.v,
                blocksPerLine: component.blocksPerLine,
                blocksWide: component.blocksWide, blocksHigh: component.blocksHigh,
                sampleOffset: component.sampleOffset, coefficientOffset: component.coefficientOffset,
                quantization: quantization
            ))
        }

        let mcuCount = count == 1 ? parts[0].blocksWide * parts[0].blocksHigh : frame.mcusPerLine * frame.mcusPerColumn
        let interval = restartInterval
        let mcusPerLine = frame.mcusPerLine
        var reader = JPEGBitReader(data: bytes, position: segment.upperBound)

        if !frame.progressive {
            let block = UnsafeMutablePointer<Float>.allocate(capacity: 64)
            block.initialize(repeating: 0, count: 64)
            defer { block.deallocate() }
            frame.samples.withUnsafeMutableBufferPointer { samples in
                var decoder = JPEGSequentialDecoder(parts: parts, mcusPerLine: mcusPerLine, samples: samples, block: block)
                decodeMCUs(&decoder, count: mcuCount, restartInterval: interval, reader: &reader)
            }
        } else {
            frame.coefficients.withUnsafeMutableBufferPointer { coefficients in
                if spectralStart == 0 {
                    var decoder = JPEGProgressiveDCDecoder(
                        parts: parts, mcusPerLine: mcusPerLine, coefficients: coefficients, refine: high != 0, shift: low
                    )
                    decodeMCUs(&decoder, count: mcuCount, restartInterval: interval, reader: &reader)
                } else if high == 0 {
                    var decoder = JPEGProgressiveACFirstDecoder(
                        part: parts[0], coefficients: coefficients, band: spectralStart...spectralEnd, shift: low
                    )
                    decodeMCUs(&decoder, count: mcuCount, restartInterval: interval, reader: &reader)
                } else {
                    var decoder = JPEGProgressiveACRefineDecoder(
                        part: parts[0], coefficients: coefficients, band: spectralStart...spectralEnd, shift: low
                    )
                    decodeMCUs(&decoder, count: mcuCount, restartInterval: interval, reader: &reader)
                }
            }
        }
        return reader.position
    }

    private var colorModel: JPEGColorModel {
        guard let frame else { return .gray }
        switch frame.components.count {
        case 1:
            return .gray
        case 3:
            if let adobeTransform { return adobeTransform == 0 ? .rgb : .ycbcr }
            if isJFIF { return .ycbcr }
            // Without JFIF or Adobe markers, component ids 'R' 'G' 'B' signal RGB (as libjpeg assumes).
            return frame.components.map(\.id) == [0x52, 0x47, 0x42] ? .rgb : .ycbcr
        default:
            return adobeTransform == 2 ? .ycck : .cmyk
        }
    }

    /// Converts the decoded frame to upright RGBA.
    mutating func makeImage() throws(ImageCodecError) -> RasterImage {
        guard var frame, scanCount > 0 else { throw .corrupt("no image data") }
        let model = colorModel
        self.frame = nil
        if frame.progressive { frame.transformCoefficients() }
        let pixels = frame.rgba(model)
        // Release the planes before a possible reorientation copy.
        frame.samples = []
        frame.coefficients = []
        return JPEGExif.applyOrientation(
            orientation ?? 1,
            to: RasterImage(width: frame.width, height: frame.height, hasAlpha: false, pixels: pixels)
        )
    }
}
