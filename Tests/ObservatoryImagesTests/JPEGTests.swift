import Foundation
import ObservatoryImages
import Testing

// Fixtures are 40×32 (and one 17×9) JPEGs written by Pillow and libjpeg-turbo's cjpeg; each `.rgb`
// holds Pillow's decode of the matching `.jpg` (Exif orientation applied) as packed 8-bit RGB.
// scripts/image-fixtures/jpeg.py regenerates them.

/// Mean and maximum absolute difference of the RGB channels of an RGBA buffer and a packed RGB buffer.
private func difference(rgba: [UInt8], rgb: [UInt8]) -> (mean: Double, max: Int) {
    var total = 0, largest = 0
    for i in 0..<(rgb.count / 3) {
        for c in 0..<3 {
            let d = abs(Int(rgba[4 * i + c]) - Int(rgb[3 * i + c]))
            total += d
            largest = max(largest, d)
        }
    }
    return (Double(total) / Double(max(rgb.count, 1)), largest)
}

/// Start of the payload of the first segment with `marker` (just past its length field).
private func segmentPayload(_ bytes: [UInt8], _ marker: UInt8) -> Int? {
    var p = 2
    while p + 4 <= bytes.count, bytes[p] == 0xFF {
        if bytes[p + 1] == marker { return p + 4 }
        p += 2 + (Int(bytes[p + 2]) << 8 | Int(bytes[p + 3]))
    }
    return nil
}

/// A copy of `bytes` with the payload byte at `offset` of the first `marker` segment replaced.
private func patched(_ bytes: [UInt8], _ marker: UInt8, _ offset: Int, _ value: UInt8) throws -> [UInt8] {
    let start = try #require(segmentPayload(bytes, marker))
    var copy = bytes
    copy[start + offset] = value
    return copy
}

private func isCorrupt(_ error: ImageCodecError?) -> Bool {
    if case .corrupt = error { return true }
    return false
}

private func isUnsupported(_ error: ImageCodecError?) -> Bool {
    if case .unsupported = error { return true }
    return false
}

private func expectOpaque(_ image: RasterImage) {
    #expect(!image.hasAlpha)
    #expect(stride(from: 3, to: image.pixels.count, by: 4).allSatisfy { image.pixels[$0] == 255 })
}

@Suite("JPEG decoding")
struct JPEGDecodingTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let width: Int
        let height: Int
        var testDescription: String { name }
    }

    static let fixtures = [
        Sample(name: "baseline420", width: 40, height: 32),
        Sample(name: "baseline444", width: 40, height: 32),
        Sample(name: "progressive", width: 40, height: 32),
        Sample(name: "progressive422restart", width: 40, height: 32),
        Sample(name: "grayscale", width: 40, height: 32),
        Sample(name: "restart", width: 40, height: 32),
        Sample(name: "extended16bit", width: 40, height: 32),
        Sample(name: "sampling411", width: 40, height: 32),
        Sample(name: "cmyk", width: 40, height: 32),
        Sample(name: "ycck", width: 40, height: 32),
        Sample(name: "adobergb", width: 40, height: 32),
        Sample(name: "odd17x9", width: 17, height: 9),
        Sample(name: "orientation3", width: 40, height: 32),
        Sample(name: "orientation6", width: 32, height: 40),
    ]

    @Test("matches Pillow's decode", arguments: fixtures)
    func matchesPillow(_ fixture: Sample) throws {
        let image = try JPEGDecoder.decode(try Fixture.bytes(fixture.name, "jpg"), maximumPixels: 1 << 20)
        #expect(image.width == fixture.width)
        #expect(image.height == fixture.height)
        let reference = try Fixture.bytes(fixture.name, "rgb")
        try #require(reference.count == fixture.width * fixture.height * 3)
        try #require(image.pixels.count == fixture.width * fixture.height * 4)
        let (mean, largest) = difference(rgba: image.pixels, rgb: reference)
        #expect(mean <= 1, "mean absolute difference \(mean)")
        #expect(largest <= 8, "largest difference \(largest)")
        expectOpaque(image)
    }

    @Test func grayscaleHasEqualChannels() throws {
        let image = try JPEGDecoder.decode(try Fixture.bytes("grayscale", "jpg"), maximumPixels: 1 << 20)
        let pixels = image.pixels
        let gray = stride(from: 0, to: pixels.count, by: 4).allSatisfy { (i: Int) -> Bool in
            pixels[i] == pixels[i + 1] && pixels[i] == pixels[i + 2]
        }
        #expect(gray)
    }

    @Test func orientationIsReadFromTheHeader() throws {
        #expect(JPEGDecoder.orientation(of: try Fixture.bytes("orientation6", "jpg")) == 6)
        #expect(JPEGDecoder.orientation(of: try Fixture.bytes("orientation3", "jpg")) == 3)
        #expect(JPEGDecoder.orientation(of: try Fixture.bytes("baseline420", "jpg")) == 1)
        #expect(JPEGDecoder.orientation(of: []) == 1)
        #expect(JPEGDecoder.orientation(of: [0xFF, 0xD8, 0xFF, 0xE1, 0x00]) == 1)
    }

    /// Inserts a big-endian ("MM") Exif segment and checks every orientation against a transform of the
    /// upright decode.
    @Test("applies Exif orientation", arguments: 1...8)
    func appliesOrientation(_ orientation: Int) throws {
        let plain = try Fixture.bytes("baseline444", "jpg")
        let upright = try JPEGDecoder.decode(plain, maximumPixels: 1 << 20)
        let tiff: [UInt8] = [
            0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // header, IFD0 at 8
            0x00, 0x01,                                      // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,  // Orientation, SHORT, count 1
            0x00, UInt8(orientation), 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,                          // no next IFD
        ]
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, 0x00, UInt8(payload.count + 2)] + payload
        let bytes = Array(plain[0..<2]) + app1 + Array(plain[2...])
        #expect(JPEGDecoder.orientation(of: bytes) == orientation)

        let image = try JPEGDecoder.decode(bytes, maximumPixels: 1 << 20)
        let (w, h) = (upright.width, upright.height)
        #expect(image.width == (orientation >= 5 ? h : w))
        #expect(image.height == (orientation >= 5 ? w : h))
        // Where each source pixel (x, y) is displayed.
        func displayed(_ x: Int, _ y: Int) -> (Int, Int) {
            switch orientation {
            case 2: return (w - 1 - x, y)
            case 3: return (w - 1 - x, h - 1 - y)
            case 4: return (x, h - 1 - y)
            case 5: return (y, x)
            case 6: return (h - 1 - y, x)
            case 7: return (h - 1 - y, w - 1 - x)
            case 8: return (y, w - 1 - x)
            default: return (x, y)
            }
        }
        var mismatches = 0
        for y in 0..<h {
            for x in 0..<w {
                let (dx, dy) = displayed(x, y)
                let from = (y * w + x) * 4, to = (dy * image.width + dx) * 4
                if image.pixels[to..<(to + 4)] != upright.pixels[from..<(from + 4)] { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }
}

@Suite("JPEG encoding")
struct JPEGEncodingTests {
    /// A smooth colour gradient with a soft diagonal ridge (same slope whatever the size).
    static func gradient(width: Int, height: Int) -> RasterImage {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) / 66, v = Double(y) / 44
                let ridge = 60 * exp(-pow((u - v) * 4, 2))
                pixels += [
                    UInt8(min(255, 30 + 200 * u + ridge)),
                    UInt8(min(255, 20 + 180 * v + ridge / 2)),
                    UInt8(min(255, 200 - 150 * u * v)),
                    255,
                ]
            }
        }
        return RasterImage(width: width, height: height, hasAlpha: false, pixels: pixels)
    }

    static func meanError(_ a: RasterImage, _ b: RasterImage) -> Double {
        var total = 0
        for i in 0..<(a.width * a.height) {
            for c in 0..<3 { total += abs(Int(a.pixels[4 * i + c]) - Int(b.pixels[4 * i + c])) }
        }
        return Double(total) / Double(a.width * a.height * 3)
    }

    @Test func roundTripsAGradient() throws {
        let image = Self.gradient(width: 67, height: 45)
        var errors: [Double] = []
        var sizes: [Int] = []
        for quality in [30, 85, 98] {
            let encoded = JPEGEncoder.encode(image, quality: quality)
            #expect(Array(encoded.prefix(2)) == [0xFF, 0xD8])
            #expect(Array(encoded.suffix(2)) == [0xFF, 0xD9])
            let decoded = try JPEGDecoder.decode(encoded, maximumPixels: 1 << 20)
            #expect(decoded.width == 67 && decoded.height == 45)
            expectOpaque(decoded)
            errors.append(Self.meanError(image, decoded))
            sizes.append(encoded.count)
        }
        #expect(errors[1] < 1.5, "mean error at quality 85: \(errors[1])")
        #expect(errors[2] < errors[1] && errors[1] < errors[0], "\(errors)")
        #expect(sizes[2] > sizes[1] && sizes[1] > sizes[0], "\(sizes)")
    }

    @Test func writesBaselineJFIFWithSubsampledChroma() throws {
        let encoded = JPEGEncoder.encode(Self.gradient(width: 20, height: 10), quality: 75)
        let app0 = try #require(segmentPayload(encoded, 0xE0))
        #expect(Array(encoded[app0..<(app0 + 5)]) == Array("JFIF\0".utf8))
        let sof = try #require(segmentPayload(encoded, 0xC0))
        // precision, height, width, components, then Y with 2×2 sampling and Cb, Cr with 1×1
        #expect(Array(encoded[sof..<(sof + 15)]) == [8, 0, 10, 0, 20, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])
    }

    @Test("encodes any size", arguments: [(1, 1), (1, 17), (17, 1), (16, 16), (33, 9), (8, 23)])
    func encodesAnySize(_ size: (Int, Int)) throws {
        let image = Self.gradient(width: size.0, height: size.1)
        let decoded = try JPEGDecoder.decode(JPEGEncoder.encode(image, quality: 90), maximumPixels: 1 << 20)
        #expect(decoded.width == size.0 && decoded.height == size.1)
        #expect(Self.meanError(image, decoded) < 4)
    }

    @Test func compositesAlphaOverWhite() throws {
        // Left half transparent black, right half half-transparent red.
        var pixels: [UInt8] = []
        for _ in 0..<16 {
            for x in 0..<32 { pixels += x < 16 ? [0, 0, 0, 0] : [255, 0, 0, 128] }
        }
        let image = RasterImage(width: 32, height: 16, hasAlpha: true, pixels: pixels)
        let decoded = try JPEGDecoder.decode(JPEGEncoder.encode(image, quality: 95), maximumPixels: 1 << 20)
        func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(decoded.pixels[(y * 32 + x) * 4 + $0]) } }
        for (actual, expected) in zip(pixel(4, 8), [255, 255, 255]) { #expect(abs(actual - expected) <= 3) }
        for (actual, expected) in zip(pixel(27, 8), [255, 127, 127]) { #expect(abs(actual - expected) <= 6) }
    }

    @Test func clampsQualityAndRejectsEmptyImages() throws {
        let image = Self.gradient(width: 9, height: 9)
        for quality in [-5, 0, 1, 100, 250] {
            let decoded = try JPEGDecoder.decode(JPEGEncoder.encode(image, quality: quality), maximumPixels: 1 << 20)
            #expect(decoded.width == 9)
        }
        #expect(JPEGEncoder.encode(RasterImage(width: 0, height: 0, hasAlpha: false, pixels: []), quality: 80).isEmpty)
    }
}

@Suite("JPEG damaged and unsupported input")
struct JPEGDamagedInputTests {
    @Test func nonJPEGIsNotRecognised() {
        for bytes: [UInt8] in [[], [0xFF], [1, 2, 3, 4], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD9]] {
            #expect(throws: ImageCodecError.notRecognised) { try JPEGDecoder.decode(bytes, maximumPixels: 1000) }
        }
    }

    @Test func truncatedScanKeepsTheDecodedPart() throws {
        let bytes = try Fixture.bytes("baseline420", "jpg")
        let scan = try #require(segmentPayload(bytes, 0xDA))
        // Keep 60% of the entropy-coded data: the first of the two MCU rows survives.
        let cut = scan + 10 + (bytes.count - scan) * 6 / 10
        let image = try JPEGDecoder.decode(Array(bytes[..<cut]), maximumPixels: 1 << 20)
        #expect(image.width == 40 && image.height == 32)
        let reference = try Fixture.bytes("baseline420", "rgb")
        let top = difference(rgba: Array(image.pixels[..<(12 * 40 * 4)]), rgb: Array(reference[..<(12 * 40 * 3)]))
        #expect(top.mean <= 1, "top rows differ by \(top.mean) on average")
        // The missing bottom-right corner is neutral grey.
        let last = image.pixels.count - 4
        #expect(Array(image.pixels[last..<(last + 4)]) == [128, 128, 128, 255])
    }

    @Test func truncatedHeadersAreCorrupt() throws {
        let bytes = try Fixture.bytes("baseline420", "jpg")
        let scan = try #require(segmentPayload(bytes, 0xDA))
        for length in [2, 4, 20, 100, scan - 3] {
            let error = #expect(throws: ImageCodecError.self) {
                try JPEGDecoder.decode(Array(bytes[..<length]), maximumPixels: 1 << 20)
            }
            #expect(isCorrupt(error), "\(length) bytes: \(String(describing: error))")
        }
    }

    @Test func randomBytesAfterSOIAreRejected() {
        var random = SplitMix64(state: 42)
        for length in [1, 10, 100, 1000, 5000] {
            let bytes: [UInt8] = [0xFF, 0xD8] + (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(throws: ImageCodecError.self) { try JPEGDecoder.decode(bytes, maximumPixels: 1 << 20) }
        }
    }

    @Test func oversizedImagesAreRejectedFromTheHeader() throws {
        let bytes = try Fixture.bytes("baseline420", "jpg")
        var huge = try patched(bytes, 0xC0, 1, 0xEA)  // height 0xEA60 = 60000
        huge = try patched(huge, 0xC0, 2, 0x60)
        huge = try patched(huge, 0xC0, 3, 0xEA)  // width 60000
        huge = try patched(huge, 0xC0, 4, 0x60)
        #expect(throws: ImageCodecError.tooLarge(width: 60000, height: 60000)) {
            try JPEGDecoder.decode(huge, maximumPixels: 100_000_000)
        }
        #expect(throws: ImageCodecError.tooLarge(width: 40, height: 32)) {
            try JPEGDecoder.decode(bytes, maximumPixels: 40 * 32 - 1)
        }
        #expect(throws: Never.self) { try JPEGDecoder.decode(bytes, maximumPixels: 40 * 32) }
    }

    @Test func unsupportedCodingProcessesAreReported() throws {
        let bytes = try Fixture.bytes("baseline420", "jpg")
        let sof = try #require(segmentPayload(bytes, 0xC0)) - 3  // the marker code byte
        func withSOF(_ marker: UInt8) -> [UInt8] {
            var copy = bytes
            copy[sof] = marker
            return copy
        }
        let cases: [[UInt8]] = [
            try Fixture.bytes("arithmetic", "jpg"),  // real SOF9 file from cjpeg -arithmetic
            withSOF(0xC9), withSOF(0xCA),       // arithmetic sequential / progressive
            withSOF(0xC3),                      // lossless
            withSOF(0xC5),                      // hierarchical
            try patched(bytes, 0xC0, 0, 12),    // 12-bit samples
        ]
        for input in cases {
            let error = #expect(throws: ImageCodecError.self) { try JPEGDecoder.decode(input, maximumPixels: 1 << 20) }
            #expect(isUnsupported(error), "\(String(describing: error))")
        }
    }

    /// One byte of a header segment's payload set to an invalid value.
    struct HeaderDamage: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let marker: UInt8
        let offset: Int
        let value: UInt8
    }

    static let headerDamage = [
        HeaderDamage(testDescription: "zero width", marker: 0xC0, offset: 4, value: 0),
        HeaderDamage(testDescription: "no components", marker: 0xC0, offset: 5, value: 0),
        HeaderDamage(testDescription: "zero horizontal sampling", marker: 0xC0, offset: 7, value: 0x02),
        HeaderDamage(testDescription: "zero vertical sampling", marker: 0xC0, offset: 10, value: 0x10),
        HeaderDamage(testDescription: "sampling above 4", marker: 0xC0, offset: 7, value: 0x52),
        HeaderDamage(testDescription: "quantisation table id", marker: 0xC0, offset: 8, value: 4),
        HeaderDamage(testDescription: "duplicate component id", marker: 0xC0, offset: 9, value: 1),
        HeaderDamage(testDescription: "unknown scan component", marker: 0xDA, offset: 1, value: 9),
        HeaderDamage(testDescription: "Huffman table id", marker: 0xDA, offset: 2, value: 0x44),
        HeaderDamage(testDescription: "Huffman table class", marker: 0xC4, offset: 0, value: 0x20),
        HeaderDamage(testDescription: "overfull Huffman table", marker: 0xC4, offset: 1, value: 5),
        HeaderDamage(testDescription: "quantisation precision", marker: 0xDB, offset: 0, value: 0x20),
    ]

    @Test("invalid headers are corrupt", arguments: headerDamage)
    func invalidHeadersAreCorrupt(_ damage: HeaderDamage) throws {
        let bytes = try patched(try Fixture.bytes("baseline420", "jpg"), damage.marker, damage.offset, damage.value)
        let error = #expect(throws: ImageCodecError.self) { try JPEGDecoder.decode(bytes, maximumPixels: 1 << 20) }
        #expect(isCorrupt(error), "\(String(describing: error))")
    }

    @Test func missingFrameOrTablesAreCorrupt() throws {
        let bytes = try Fixture.bytes("baseline420", "jpg")
        // Remove the frame header: the scan then has no frame.
        let sof = try #require(segmentPayload(bytes, 0xC0))
        let sofLength = Int(bytes[sof - 2]) << 8 | Int(bytes[sof - 1])
        let withoutFrame = Array(bytes[..<(sof - 4)]) + Array(bytes[(sof - 2 + sofLength)...])
        #expect(throws: ImageCodecError.corrupt("scan before frame header")) {
            try JPEGDecoder.decode(withoutFrame, maximumPixels: 1 << 20)
        }
        // Remove the quantisation tables.
        let dqt = try #require(segmentPayload(bytes, 0xDB))
        let dqtLength = Int(bytes[dqt - 2]) << 8 | Int(bytes[dqt - 1])
        var withoutTables = Array(bytes[..<(dqt - 4)]) + Array(bytes[(dqt - 2 + dqtLength)...])
        while let next = segmentPayload(withoutTables, 0xDB) {
            let length = Int(withoutTables[next - 2]) << 8 | Int(withoutTables[next - 1])
            withoutTables = Array(withoutTables[..<(next - 4)]) + Array(withoutTables[(next - 2 + length)...])
        }
        #expect(throws: ImageCodecError.corrupt("missing quantisation table")) {
            try JPEGDecoder.decode(withoutTables, maximumPixels: 1 << 20)
        }
    }

    /// Flips, overwrites, truncates and splices fixtures in a few hundred deterministic ways; decoding
    /// must either succeed with a consistent image or throw `ImageCodecError`, never crash.
    @Test func mutatedFilesNeverCrash() throws {
        let sources = try ["baseline420", "progressive", "restart", "cmyk", "orientation6", "progressive422restart"]
            .map { try Fixture.bytes($0, "jpg") }
        var random = SplitMix64(state: 0x5EED)
        var decoded = 0, rejected = 0
        for round in 0..<600 {
            var bytes = sources[round % sources.count]
            switch round % 4 {
            case 0:  // a few random bytes
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    bytes[Int.random(in: 2..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:  // single bit flips, concentrated in the headers
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let index = Int.random(in: 2..<min(bytes.count, 700), using: &random)
                    bytes[index] ^= 1 << UInt8.random(in: 0...7, using: &random)
                }
            case 2:  // truncation, sometimes after a flip
                if Bool.random(using: &random) {
                    bytes[Int.random(in: 2..<bytes.count, using: &random)] ^= 0xFF
                }
                bytes = Array(bytes[..<Int.random(in: 2...bytes.count, using: &random)])
            default:  // splice in a chunk copied from elsewhere in the file
                let from = Int.random(in: 2..<bytes.count, using: &random)
                let chunk = bytes[from..<min(bytes.count, from + Int.random(in: 1...64, using: &random))]
                bytes.insert(contentsOf: chunk, at: Int.random(in: 2..<bytes.count, using: &random))
            }
            #expect((1...8).contains(JPEGDecoder.orientation(of: bytes)))
            do {
                let image = try JPEGDecoder.decode(bytes, maximumPixels: 1 << 20)
                #expect(image.width > 0 && image.height > 0)
                #expect(image.pixels.count == image.width * image.height * 4)
                decoded += 1
            } catch is ImageCodecError {
                rejected += 1
            }
        }
        #expect(decoded + rejected == 600)
        #expect(decoded > 0 && rejected > 0)
    }
}
