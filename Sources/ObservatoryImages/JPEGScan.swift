/// One component as it takes part in a scan.
struct JPEGScanPart {
    let dc: JPEGHuffmanDecodingTable
    let ac: JPEGHuffmanDecodingTable
    /// Sampling factors: blocks per MCU horizontally and vertically in interleaved scans.
    let h: Int
    let v: Int
    /// Blocks per row of the component's storage (whole MCUs).
    let blocksPerLine: Int
    /// Blocks holding image data; a non-interleaved scan codes exactly these (T.81 A.2.2).
    let blocksWide: Int
    let blocksHigh: Int
    /// Start of the component in the shared sample planes (sequential) or coefficient store (progressive).
    let sampleOffset: Int
    let coefficientOffset: Int
    /// Dequantisation factors in zig-zag order (sequential scans only).
    let quantization: [Float]

    var sampleStride: Int { blocksPerLine * 8 }
}

/// Decodes the MCUs of one scan.
protocol JPEGMCUDecoder {
    mutating func decodeMCU(_ index: Int, reader: inout JPEGBitReader) throws(JPEGEntropyError)
    /// Resets DC predictions and end-of-band runs after a restart marker.
    mutating func restart()
}

/// Scans that code DC coefficients: with several components they are interleaved, an MCU holding
/// each component's blocks in turn (T.81 A.2.3); with one, an MCU is one block.
protocol JPEGBlockwiseDecoder: JPEGMCUDecoder {
    var parts: [JPEGScanPart] { get }
    var mcusPerLine: Int { get }
    mutating func decodeBlock(_ p: Int, _ part: JPEGScanPart, column: Int, row: Int, _ reader: inout JPEGBitReader) throws(JPEGEntropyError)
}

extension JPEGBlockwiseDecoder {
    mutating func decodeMCU(_ index: Int, reader: inout JPEGBitReader) throws(JPEGEntropyError) {
        if parts.count == 1 {
            let part = parts[0]
            try decodeBlock(0, part, column: index % part.blocksWide, row: index / part.blocksWide, &reader)
            return
        }
        let mcuX = index % mcusPerLine, mcuY = index / mcusPerLine
        for p in 0..<parts.count {
            let part = parts[p]
            for y in 0..<part.v {
                for x in 0..<part.h {
                    try decodeBlock(p, part, column: mcuX * part.h + x, row: mcuY * part.v + y, &reader)
                }
            }
        }
    }
}

/// Decodes `count` MCUs, honouring restart intervals (T.81 E.2.4 and F.2.2.5 / G.1.2).
///
/// Damaged or missing data abandons the rest of the current restart interval and resumes at the next
/// restart marker; without restart markers it ends the scan. What was decoded so far is kept, so a
/// truncated upload still yields its top part (like browsers show).
func decodeMCUs<D: JPEGMCUDecoder>(
    _ decoder: inout D, count: Int, restartInterval: Int, reader: inout JPEGBitReader
) {
    var index = 0
    var leftInInterval = restartInterval
    while index < count {
        if restartInterval > 0 && leftInInterval == 0 {
            guard reader.skipToRestartMarker() else { return }
            decoder.restart()
            leftInInterval = restartInterval
        }
        var damaged = false
        do { try decoder.decodeMCU(index, reader: &reader) } catch { damaged = true }
        if damaged || reader.isOverrun {
            guard restartInterval > 0 else { return }
            index = (index / restartInterval + 1) * restartInterval
            leftInInterval = 0
            continue
        }
        index += 1
        leftInInterval -= 1
    }
}

/// Baseline and extended sequential scans: each block is complete after one pass, so it is
/// dequantised and transformed straight into the component's sample plane.
struct JPEGSequentialDecoder: JPEGBlockwiseDecoder {
    let parts: [JPEGScanPart]
    let mcusPerLine: Int
    let samples: UnsafeMutableBufferPointer<UInt8>
    /// 64 floats, all zero between blocks.
    let block: UnsafeMutablePointer<Float>
    private var predictions: [Int]
    private let zigzag = JPEGTables.zigzag

    init(parts: [JPEGScanPart], mcusPerLine: Int, samples: UnsafeMutableBufferPointer<UInt8>, block: UnsafeMutablePointer<Float>) {
        self.parts = parts
        self.mcusPerLine = mcusPerLine
        self.samples = samples
        self.block = block
        self.predictions = [Int](repeating: 0, count: parts.count)
    }

    mutating func restart() {
        for i in predictions.indices { predictions[i] = 0 }
    }

    @inline(__always)
    mutating func decodeBlock(
        _ p: Int, _ part: JPEGScanPart, column: Int, row: Int, _ reader: inout JPEGBitReader
    ) throws(JPEGEntropyError) {
        let stride = part.sampleStride
        let offset = part.sampleOffset + row * 8 * stride + column * 8
        guard offset >= 0, offset + 7 * stride + 8 <= samples.count, let base = samples.baseAddress else {
            throw .invalidData
        }
        let last: Int
        do {
            last = try decodeCoefficients(p, part, &reader)
        } catch {
            block.update(repeating: 0, count: 64)
            throw error
        }

        if last == 0 {
            JPEGTransform.fillDC(block[0], into: base + offset, stride: stride)
            block[0] = 0
        } else {
            JPEGTransform.inverse(block, into: base + offset, stride: stride)
            block.update(repeating: 0, count: 64)
        }
    }

    /// Decodes one block's dequantised coefficients into `block`; returns the zig-zag position of the
    /// last non-zero AC coefficient (0 when there is none).
    @inline(__always)
    private mutating func decodeCoefficients(
        _ p: Int, _ part: JPEGScanPart, _ reader: inout JPEGBitReader
    ) throws(JPEGEntropyError) -> Int {
        let quantization = part.quantization
        let size = try reader.decode(part.dc)
        guard size <= 16 else { throw .invalidData }
        predictions[p] += reader.receiveExtend(size)
        block[0] = Float(predictions[p]) * quantization[0]

        var k = 1
        var last = 0
        while k < 64 {
            let rs = try reader.decode(part.ac)
            let run = rs >> 4, size = rs & 15
            if size == 0 {
                if run != 15 { break }
                k += 16
                continue
            }
            k += run
            guard k < 64 else { throw .invalidData }
            block[zigzag[k]] = Float(reader.receiveExtend(size)) * quantization[k]
            last = k
            k += 1
        }
        return last
    }
}

/// Progressive DC scans, first pass or refinement (T.81 G.1.2.1); these may interleave components.
struct JPEGProgressiveDCDecoder: JPEGBlockwiseDecoder {
    let parts: [JPEGScanPart]
    let mcusPerLine: Int
    let coefficients: UnsafeMutableBufferPointer<Int16>
    let refine: Bool
    /// Successive-approximation bit position (Al).
    let shift: Int
    private var predictions: [Int]

    init(parts: [JPEGScanPart], mcusPerLine: Int, coefficients: UnsafeMutableBufferPointer<Int16>, refine: Bool, shift: Int) {
        self.parts = parts
        self.mcusPerLine = mcusPerLine
        self.coefficients = coefficients
        self.refine = refine
        self.shift = shift
        self.predictions = [Int](repeating: 0, count: parts.count)
    }

    mutating func restart() {
        for i in predictions.indices { predictions[i] = 0 }
    }

    @inline(__always)
    mutating func decodeBlock(
        _ p: Int, _ part: JPEGScanPart, column: Int, row: Int, _ reader: inout JPEGBitReader
    ) throws(JPEGEntropyError) {
        let offset = part.coefficientOffset + (row * part.blocksPerLine + column) * 64
        guard offset >= 0, offset + 64 <= coefficients.count else { throw .invalidData }
        if refine {
            if reader.bit() { coefficients[offset] |= Int16(truncatingIfNeeded: 1 << shift) }
            return
        }
        let size = try reader.decode(part.dc)
        guard size <= 16 else { throw .invalidData }
        predictions[p] += reader.receiveExtend(size)
        coefficients[offset] = Int16(truncatingIfNeeded: predictions[p] << shift)
    }
}

/// First pass of a progressive AC band (T.81 G.1.2.2); always a single component.
struct JPEGProgressiveACFirstDecoder: JPEGMCUDecoder {
    let part: JPEGScanPart
    let coefficients: UnsafeMutableBufferPointer<Int16>
    /// Spectral band Ss...Se in zig-zag positions.
    let band: ClosedRange<Int>
    let shift: Int
    private var endOfBandRun = 0
    private let zigzag = JPEGTables.zigzag

    init(part: JPEGScanPart, coefficients: UnsafeMutableBufferPointer<Int16>, band: ClosedRange<Int>, shift: Int) {
        self.part = part
        self.coefficients = coefficients
        self.band = band
        self.shift = shift
    }

    mutating func restart() { endOfBandRun = 0 }

    mutating func decodeMCU(_ index: Int, reader: inout JPEGBitReader) throws(JPEGEntropyError) {
        let offset = part.coefficientOffset
            + (index / part.blocksWide * part.blocksPerLine + index % part.blocksWide) * 64
        guard offset >= 0, offset + 64 <= coefficients.count else { throw .invalidData }
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return
        }
        var k = band.lowerBound
        let end = band.upperBound
        while k <= end {
            let rs = try reader.decode(part.ac)
            let run = rs >> 4, size = rs & 15
            if size == 0 {
                if run < 15 {
                    // EOBn: this block and the next 2^n - 1 + (n extra bits) blocks end here.
                    endOfBandRun = (1 << run) - 1 + reader.bits(run)
                    break
                }
                k += 16
                continue
            }
            k += run
            guard k <= end else { throw .invalidData }
            coefficients[offset + zigzag[k]] = Int16(truncatingIfNeeded: reader.receiveExtend(size) << shift)
            k += 1
        }
    }
}

/// Refinement pass of a progressive AC band (T.81 G.1.2.3): one more bit for coefficients that are
/// already non-zero, and new coefficients of magnitude 1 << Al.
struct JPEGProgressiveACRefineDecoder: JPEGMCUDecoder {
    let part: JPEGScanPart
    let coefficients: UnsafeMutableBufferPointer<Int16>
    let band: ClosedRange<Int>
    let shift: Int
    private var endOfBandRun = 0
    private let zigzag = JPEGTables.zigzag

    init(part: JPEGScanPart, coefficients: UnsafeMutableBufferPointer<Int16>, band: ClosedRange<Int>, shift: Int) {
        self.part = part
        self.coefficients = coefficients
        self.band = band
        self.shift = shift
    }

    mutating func restart() { endOfBandRun = 0 }

    /// Adds the correction bit to a coefficient that was non-zero before this pass.
    @inline(__always)
    private func refine(_ index: Int, _ value: Int16, _ reader: inout JPEGBitReader) {
        let bit = Int16(truncatingIfNeeded: 1 << shift)
        if reader.bit() && value & bit == 0 {
            coefficients[index] = value >= 0 ? value &+ bit : value &- bit
        }
    }

    mutating func decodeMCU(_ index: Int, reader: inout JPEGBitReader) throws(JPEGEntropyError) {
        let offset = part.coefficientOffset
            + (index / part.blocksWide * part.blocksPerLine + index % part.blocksWide) * 64
        guard offset >= 0, offset + 64 <= coefficients.count else { throw .invalidData }
        let positive = Int16(truncatingIfNeeded: 1 << shift)
        var k = band.lowerBound
        let end = band.upperBound

        if endOfBandRun == 0 {
            while k <= end {
                let rs = try reader.decode(part.ac)
                var run = rs >> 4
                let size = rs & 15
                var newValue: Int16 = 0
                if size == 0 {
                    if run < 15 {
                        // EOBn, counting this block; its remaining coefficients are refined below.
                        endOfBandRun = (1 << run) + reader.bits(run)
                        break
                    }
                    // ZRL: skip 16 coefficients that are still zero.
                } else {
                    guard size == 1 else { throw .invalidData }
                    newValue = reader.bit() ? positive : 0 &- positive
                }
                // Skip `run` still-zero coefficients, refining non-zero ones on the way, then place the new one.
                while k <= end {
                    let z = offset + zigzag[k]
                    let value = coefficients[z]
                    k += 1
                    if value != 0 {
                        refine(z, value, &reader)
                    } else if run == 0 {
                        if newValue != 0 { coefficients[z] = newValue }
                        break
                    } else {
                        run -= 1
                    }
                }
            }
        }

        if endOfBandRun > 0 {
            while k <= end {
                let z = offset + zigzag[k]
                let value = coefficients[z]
                if value != 0 { refine(z, value, &reader) }
                k += 1
            }
            endOfBandRun -= 1
        }
    }
}
