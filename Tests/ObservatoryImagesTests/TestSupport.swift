import CompressNIO
import Foundation
import NIOCore
import Testing

@testable import ObservatoryImages

enum Fixture {
    static func bytes(_ name: String, _ fileExtension: String = "png") throws -> [UInt8] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: fileExtension, subdirectory: "Fixtures"),
            "missing fixture \(name).\(fileExtension)")
        return [UInt8](try Data(contentsOf: url))
    }
}

/// Builds PNG files chunk by chunk, for damaged and hand-crafted inputs.
enum PNGBuilder {
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(CRC32.checksum(typeAndData))
    }

    static func header(width: Int, height: Int, bitDepth: UInt8 = 8, colorType: UInt8 = 0, interlace: UInt8 = 0) -> [UInt8] {
        chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, interlace])
    }

    static func file(_ chunks: [UInt8]...) -> [UInt8] {
        PNGDecoder.signature + chunks.joined() + chunk("IEND", [])
    }

    static func zlib(_ bytes: [UInt8]) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let compressed = try buffer.compress(with: .zlib)
        return Array(compressed.readableBytesView)
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }

    /// Byte ranges of each chunk's type and data (what its CRC covers), plus where the CRC is.
    static func chunkLayout(_ png: [UInt8]) -> [(checked: Range<Int>, crcOffset: Int)] {
        var layout: [(Range<Int>, Int)] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length
            guard end + 4 <= png.count else { break }
            layout.append((offset + 4..<end, end))
            offset = end + 4
        }
        return layout
    }

    /// Recomputes the CRC of the chunk covering `checked`.
    static func fixCRC(_ png: inout [UInt8], checked: Range<Int>, crcOffset: Int) {
        png.replaceSubrange(crcOffset..<crcOffset + 4, with: bigEndian(CRC32.checksum(Array(png[checked]))))
    }
}

/// Small deterministic generator (SplitMix64) so fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func pixel(_ image: RasterImage, _ x: Int, _ y: Int) -> [UInt8] {
    let start = (y * image.width + x) * 4
    return Array(image.pixels[start..<start + 4])
}
