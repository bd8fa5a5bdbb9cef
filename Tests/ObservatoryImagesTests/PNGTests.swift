import Foundation
import Testing

@testable import ObservatoryImages

/// Fixtures made by tools/make_fixtures.py; NAME.rgba is Pillow's RGBA decoding of NAME.png.
private let fixtures: [(name: String, width: Int, height: Int, hasAlpha: Bool)] = [
    ("palette1", 13, 7, false),
    ("palette2_trns", 13, 7, true),
    ("palette4", 13, 7, false),
    ("palette8_trns", 13, 7, true),
    ("gray1", 13, 7, false),
    ("gray2", 13, 7, false),
    ("gray4", 13, 7, false),
    ("gray8_trns", 13, 7, true),
    ("gray16_trns", 13, 7, true),
    ("rgb8_trns", 13, 7, true),
    ("rgb16", 13, 7, false),
    ("gray_alpha8", 13, 7, true),
    ("gray_alpha16", 13, 7, true),
    ("rgba8", 13, 7, true),
    ("rgba16", 13, 7, true),
    ("adam7_rgb8", 13, 7, false),
    ("adam7_palette2", 13, 7, true),
    ("adam7_gray4_1x1", 1, 1, false),
    ("apng", 13, 7, true),
]

private let limit = 50_000_000

@Suite("PNG decoding")
struct PNGDecodingTests {
    @Test("decodes every pixel as Pillow does", arguments: fixtures)
    func matchesPillow(fixture: (name: String, width: Int, height: Int, hasAlpha: Bool)) throws {
        let image = try PNGDecoder.decode(try Fixture.bytes(fixture.name), maximumPixels: limit)
        let expected = try Fixture.bytes(fixture.name, "rgba")
        #expect(image.width == fixture.width)
        #expect(image.height == fixture.height)
        #expect(image.hasAlpha == fixture.hasAlpha)
        let mismatch = zip(image.pixels, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(image.pixels.count == expected.count)
        #expect(mismatch == nil, "first difference at pixel \((mismatch?.offset ?? 0) / 4)")
    }

    @Test func explicitPixelValues() throws {
        // 1x1 4-bit gray 9 scales to 9 * 17.
        let tiny = try PNGDecoder.decode(try Fixture.bytes("adam7_gray4_1x1"), maximumPixels: limit)
        #expect(tiny.pixels == [153, 153, 153, 255])

        // Colour keys: exact matches become transparent, the colour itself is kept.
        let gray = try PNGDecoder.decode(try Fixture.bytes("gray8_trns"), maximumPixels: limit)
        #expect(pixel(gray, 3, 2) == [77, 77, 77, 0])
        #expect(pixel(gray, 0, 0) == [0, 0, 0, 255])
        let rgb = try PNGDecoder.decode(try Fixture.bytes("rgb8_trns"), maximumPixels: limit)
        #expect(pixel(rgb, 4, 3) == [10, 200, 30, 0])
        #expect(pixel(rgb, 12, 6) == [10, 200, 30, 0])
        let gray16 = try PNGDecoder.decode(try Fixture.bytes("gray16_trns"), maximumPixels: limit)
        #expect(pixel(gray16, 1, 1) == [0x12, 0x12, 0x12, 0])  // key 0x1234
        #expect(pixel(gray16, 1, 0) == [0x13, 0x13, 0x13, 255])  // 5003 = 0x138B

        // Index (3x + 5y) % 4: (0, 0) is index 0 with tRNS alpha 0, (1, 0) is index 3 with alpha 111.
        let palette = try PNGDecoder.decode(try Fixture.bytes("palette2_trns"), maximumPixels: limit)
        #expect(pixel(palette, 0, 0)[3] == 0)
        #expect(pixel(palette, 1, 0)[3] == 111)
    }

    @Test func ignoresUnknownAncillaryChunks() throws {
        let data = try PNGBuilder.zlib([0, 10, 20, 0, 30, 40])
        let png = PNGBuilder.file(
            PNGBuilder.header(width: 2, height: 2),
            PNGBuilder.chunk("zzZz", [1, 2, 3]),
            PNGBuilder.chunk("IDAT", data),
            PNGBuilder.chunk("tIME", [7, 232, 1, 1, 0, 0, 0]))
        let image = try PNGDecoder.decode(png, maximumPixels: limit)
        #expect(image.pixels == [10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255, 40, 40, 40, 255])
        #expect(!image.hasAlpha)
    }

    @Test func paletteIndexPastPaletteIsOpaqueBlack() throws {
        let png = PNGBuilder.file(
            PNGBuilder.header(width: 2, height: 1, colorType: 3),
            PNGBuilder.chunk("PLTE", [255, 0, 0]),
            PNGBuilder.chunk("IDAT", try PNGBuilder.zlib([0, 0, 7])))
        let image = try PNGDecoder.decode(png, maximumPixels: limit)
        #expect(image.pixels == [255, 0, 0, 255, 0, 0, 0, 255])
    }
}

@Suite("PNG encoding")
struct PNGEncodingTests {
    private func randomImage(width: Int, height: Int, hasAlpha: Bool, seed: UInt64) -> RasterImage {
        var random = SplitMix64(state: seed)
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 4
                // Smooth gradients with noise, so that every filter type gets chosen somewhere.
                pixels[i] = UInt8(truncatingIfNeeded: x * 3 + Int(random.next() % 4))
                pixels[i + 1] = UInt8(truncatingIfNeeded: y * 5)
                pixels[i + 2] = UInt8(truncatingIfNeeded: random.next())
                pixels[i + 3] = hasAlpha ? UInt8(truncatingIfNeeded: random.next() % 3 == 0 ? 0 : x + y) : 255
            }
        }
        return RasterImage(width: width, height: height, hasAlpha: hasAlpha, pixels: pixels)
    }

    @Test(arguments: [(37, 23), (1, 1), (300, 200)])
    func roundTripsRGBAExactly(size: (Int, Int)) throws {
        let image = randomImage(width: size.0, height: size.1, hasAlpha: true, seed: 1)
        let png = try PNGEncoder.encode(image)
        #expect(png[25] == 6)  // IHDR colour type RGBA
        #expect(try PNGDecoder.decode(png, maximumPixels: limit) == image)
    }

    @Test(arguments: [(37, 23), (1, 1), (300, 200)])
    func roundTripsRGBExactly(size: (Int, Int)) throws {
        let image = randomImage(width: size.0, height: size.1, hasAlpha: false, seed: 2)
        let png = try PNGEncoder.encode(image)
        #expect(png[25] == 2)  // IHDR colour type RGB
        #expect(try PNGDecoder.decode(png, maximumPixels: limit) == image)
    }

    @Test("re-encodes every fixture losslessly", arguments: fixtures.map(\.name))
    func roundTripsFixtures(name: String) throws {
        let image = try PNGDecoder.decode(try Fixture.bytes(name), maximumPixels: limit)
        #expect(try PNGDecoder.decode(try PNGEncoder.encode(image), maximumPixels: limit) == image)
    }

    @Test func rejectsEmptyImage() {
        let empty = RasterImage(width: 0, height: 5, hasAlpha: false, pixels: [])
        #expect(throws: ImageCodecError.self) { try PNGEncoder.encode(empty) }
    }
}

@Suite("Damaged PNG input")
struct DamagedPNGTests {
    @Test func rejectsNonPNG() {
        for bytes: [UInt8] in [[], [0x89, 0x50], Array("GIF89a and more bytes".utf8), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 74, 70, 73, 70]] {
            #expect(throws: ImageCodecError.notRecognised) { try PNGDecoder.decode(bytes, maximumPixels: limit) }
        }
    }

    @Test func rejectsBadCRC() throws {
        var png = try Fixture.bytes("rgba8")
        png[29] ^= 0x01  // last byte of the IHDR CRC
        #expect(throws: ImageCodecError.corrupt("CRC mismatch in IHDR chunk")) { try PNGDecoder.decode(png, maximumPixels: limit) }

        png = try Fixture.bytes("rgba8")
        let idat = try #require(PNGBuilder.chunkLayout(png).first { png[$0.checked.lowerBound] == UInt8(ascii: "I") && png[$0.checked.lowerBound + 1] == UInt8(ascii: "D") })
        png[idat.checked.lowerBound + 10] ^= 0x40
        #expect(throws: ImageCodecError.corrupt("CRC mismatch in IDAT chunk")) { try PNGDecoder.decode(png, maximumPixels: limit) }
    }

    @Test func rejectsTruncatedFile() throws {
        let png = try Fixture.bytes("rgb16")
        for length in [33, 60, png.count / 2, png.count - 13, png.count - 1] {
            #expect(throws: ImageCodecError.self) { try PNGDecoder.decode(Array(png.prefix(length)), maximumPixels: limit) }
        }
    }

    @Test func rejectsTruncatedZlibStreamWithValidChunks() throws {
        let stream = try PNGBuilder.zlib((0..<8).flatMap { _ in [1] + [UInt8](repeating: 9, count: 24) })
        for cut in [stream.count / 2, stream.count - 4, stream.count - 1] {
            let png = PNGBuilder.file(
                PNGBuilder.header(width: 8, height: 8, colorType: 2),
                PNGBuilder.chunk("IDAT", Array(stream.prefix(cut))))
            #expect(throws: ImageCodecError.self) { try PNGDecoder.decode(png, maximumPixels: limit) }
        }
    }

    @Test func rejectsHugeDimensionsBeforeAllocating() throws {
        // Only the header exists: anything that allocated 40 GB or inflated would fail differently.
        let png = PNGBuilder.file(PNGBuilder.header(width: 100_000, height: 100_000, colorType: 6))
        #expect(throws: ImageCodecError.tooLarge(width: 100_000, height: 100_000)) {
            try PNGDecoder.decode(png, maximumPixels: limit)
        }
        // Even a caller allowing any pixel count is refused more than 2 GiB of scanlines.
        #expect(throws: ImageCodecError.tooLarge(width: 100_000, height: 100_000)) {
            try PNGDecoder.decode(png, maximumPixels: .max)
        }
        let wide = PNGBuilder.file(PNGBuilder.header(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF, bitDepth: 16, colorType: 6))
        #expect(throws: ImageCodecError.tooLarge(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF)) {
            try PNGDecoder.decode(wide, maximumPixels: .max)
        }
    }

    @Test func rejectsStreamThatInflatesPastDeclaredSize() throws {
        // A 4x4 8-bit gray image holds 4 * (1 + 4) = 20 filtered bytes.
        let exact = [UInt8](repeating: 0, count: 20)
        let fits = PNGBuilder.file(PNGBuilder.header(width: 4, height: 4), PNGBuilder.chunk("IDAT", try PNGBuilder.zlib(exact)))
        #expect(try PNGDecoder.decode(fits, maximumPixels: limit).pixels.count == 64)

        for size in [21, 10_000, 5_000_000] {
            let bomb = PNGBuilder.file(
                PNGBuilder.header(width: 4, height: 4),
                PNGBuilder.chunk("IDAT", try PNGBuilder.zlib([UInt8](repeating: 0, count: size))))
            #expect(throws: ImageCodecError.corrupt("image data inflates to more than the declared size")) {
                try PNGDecoder.decode(bomb, maximumPixels: limit)
            }
        }
        let short = PNGBuilder.file(PNGBuilder.header(width: 4, height: 4), PNGBuilder.chunk("IDAT", try PNGBuilder.zlib([UInt8](repeating: 0, count: 19))))
        #expect(throws: ImageCodecError.corrupt("image data inflates to less than the declared size")) {
            try PNGDecoder.decode(short, maximumPixels: limit)
        }
    }

    @Test func rejectsStructuralErrors() throws {
        let data = try PNGBuilder.zlib([0, 1, 2])
        let header = PNGBuilder.header(width: 2, height: 1)
        let cases: [(String, [UInt8], ImageCodecError)] = [
            ("unknown critical chunk", PNGBuilder.file(header, PNGBuilder.chunk("ABCD", []), PNGBuilder.chunk("IDAT", data)),
             .unsupported("unknown critical chunk ABCD")),
            ("no IDAT", PNGBuilder.file(header), .corrupt("no IDAT chunk")),
            ("empty IDAT", PNGBuilder.file(header, PNGBuilder.chunk("IDAT", [])),
             .corrupt("image data is too short for the declared size")),
            ("tiny data, big header", PNGBuilder.file(PNGBuilder.header(width: 5000, height: 5000), PNGBuilder.chunk("IDAT", data)),
             .corrupt("image data is too short for the declared size")),
            ("IHDR not first", PNGBuilder.file(PNGBuilder.chunk("IDAT", data), header), .corrupt("first chunk is IDAT, not IHDR")),
            ("bad filter type", PNGBuilder.file(header, PNGBuilder.chunk("IDAT", try PNGBuilder.zlib([5, 1, 2]))),
             .corrupt("unknown filter type 5")),
            ("bit depth 16 palette", PNGBuilder.file(PNGBuilder.header(width: 2, height: 1, bitDepth: 16, colorType: 3)),
             .corrupt("invalid colour type 3 with bit depth 16")),
            ("zero width", PNGBuilder.file(PNGBuilder.header(width: 0, height: 1)), .corrupt("image dimensions out of range")),
            ("palette without PLTE", PNGBuilder.file(PNGBuilder.header(width: 2, height: 1, colorType: 3), PNGBuilder.chunk("IDAT", data)),
             .corrupt("palette image without PLTE")),
            ("split IDAT", PNGBuilder.file(header, PNGBuilder.chunk("IDAT", Array(data.prefix(3))), PNGBuilder.chunk("tEXt", [65, 0]),
                PNGBuilder.chunk("IDAT", Array(data.dropFirst(3)))), .corrupt("IDAT chunks are not consecutive")),
            ("missing IEND", Array(PNGBuilder.file(header, PNGBuilder.chunk("IDAT", data)).dropLast(12)), .corrupt("file ends before IEND")),
            ("not zlib", PNGBuilder.file(header, PNGBuilder.chunk("IDAT", [1, 2, 3, 4, 5, 6])),
             .corrupt("image data is not a valid zlib stream (corruptData)")),
        ]
        for (label, png, expected) in cases {
            #expect(throws: expected, "\(label)") { try PNGDecoder.decode(png, maximumPixels: limit) }
        }
    }

    @Test func survivesDeterministicFuzzing() throws {
        let sources = try fixtures.map { try Fixture.bytes($0.name) }
        var random = SplitMix64(state: 0x5EED)
        var decoded = 0
        for iteration in 0..<600 {
            var png = sources[iteration % sources.count]
            switch iteration % 3 {
            case 0:  // Flip bits anywhere; mostly caught by CRCs.
                for _ in 0...Int.random(in: 0..<4, using: &random) {
                    png[Int.random(in: 0..<png.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            case 1:  // Truncate.
                png = Array(png.prefix(Int.random(in: 0..<png.count, using: &random)))
            default:  // Damage one chunk and repair its CRC, so the damage reaches the decoder.
                let layout = PNGBuilder.chunkLayout(png)
                let target = layout[Int.random(in: 0..<layout.count, using: &random)]
                for _ in 0...Int.random(in: 0..<3, using: &random) {
                    png[Int.random(in: target.checked, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
                PNGBuilder.fixCRC(&png, checked: target.checked, crcOffset: target.crcOffset)
            }
            do {
                let image = try PNGDecoder.decode(png, maximumPixels: 1_000_000)
                #expect(image.pixels.count == image.width * image.height * 4)
                decoded += 1
            } catch is ImageCodecError {
                // Expected for most mutations.
            }
        }
        // Some CRC-repaired mutations only touch ancillary chunks or pixel values and still decode.
        #expect(decoded > 0)
    }
}
