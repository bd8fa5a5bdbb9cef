/// The colour-space information of a file, carried over to the copies made from it. A phone's
/// photograph in Display P3, or a camera's in Adobe RGB, keeps its pixel values through decoding
/// and resizing; without its profile a browser would read them as sRGB and show duller colours.
public enum ColourMetadata {
    private static let iccSignature = Array("ICC_PROFILE".utf8) + [0]
    private static let pngColourChunks: Set<String> = ["iCCP", "sRGB", "gAMA", "cHRM"]

    /// A JPEG's ICC profile: its APP2 `ICC_PROFILE` segments, whole and in order.
    public static func jpegProfile(of bytes: [UInt8]) -> [UInt8] {
        var profile: [UInt8] = []
        var index = 2
        while index + 4 <= bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }
            if marker == 0xDA || marker == 0xD9 { break }  // image data or end: no header follows
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { index += 2; continue }
            let end = index + 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
            guard end <= bytes.count else { break }
            if marker == 0xE2, bytes[(index + 4)...].starts(with: iccSignature) {
                profile += bytes[index..<end]
            }
            index = end
        }
        return profile
    }

    /// `jpeg` with `segments` placed after its start and its JFIF header.
    public static func inserting(jpegSegments segments: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
        guard !segments.isEmpty, jpeg.count >= 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return jpeg }
        var at = 2
        if jpeg[2] == 0xFF, jpeg[3] == 0xE0, jpeg.count >= 6 {
            at = min(jpeg.count, 4 + (Int(jpeg[4]) << 8 | Int(jpeg[5])))
        }
        return Array(jpeg[..<at]) + segments + jpeg[at...]
    }

    /// A PNG's colour chunks (`iCCP`, `sRGB`, `gAMA`, `cHRM`), whole, and whether it is animated
    /// (an `acTL` chunk before the image data): its copies would be still pictures.
    public static func pngColour(of bytes: [UInt8]) -> (chunks: [UInt8], animated: Bool) {
        var chunks: [UInt8] = []
        var index = 8
        while index + 8 <= bytes.count {
            let length = bytes[index..<(index + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(index + 4)..<(index + 8)], as: UTF8.self)
            let end = index + 12 + length
            guard end <= bytes.count else { break }
            if type == "acTL" { return (chunks, true) }
            if type == "IDAT" { break }
            if pngColourChunks.contains(type) { chunks += bytes[index..<end] }
            index = end
        }
        return (chunks, false)
    }

    /// `png` with `chunks` placed right after its header chunk, where colour chunks belong.
    public static func inserting(pngChunks chunks: [UInt8], into png: [UInt8]) -> [UInt8] {
        let afterHeader = 8 + 12 + 13
        guard !chunks.isEmpty, png.count > afterHeader else { return png }
        return Array(png[..<afterHeader]) + chunks + png[afterHeader...]
    }
}
