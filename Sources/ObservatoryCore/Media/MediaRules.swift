/// What the media library accepts: images and documents recognised by their content (as
/// attachments are), images described for people who cannot see them.
public enum MediaRules {
    public static let maximumBytes = 10_000_000
    public static let maximumAltLength = 250

    public enum Problem: String, Sendable, Equatable {
        case empty
        case notAccepted
        case tooLarge
        case altMissing
        case altTooLong
        case tooManyPixels
        case webpTooWide
        case unreadable
        case unsupportedImage

        public var messageKey: String { "media.problem.\(rawValue)" }
    }

    public static func problem(kind: AttachmentRules.Kind?, size: Int, alt: String) -> Problem? {
        if size == 0 { return .empty }
        guard let kind else { return .notAccepted }
        if size > maximumBytes { return .tooLarge }
        let alt = alt.trimmingCharacters(in: .whitespacesAndNewlines)
        if kind.isImage, alt.isEmpty { return .altMissing }
        if alt.count > maximumAltLength { return .altTooLong }
        return nil
    }

    /// Why an image of this size cannot go into the library: its copies could not be made, or
    /// (WebP, served as uploaded) it is too wide for pages.
    public static func problem(kind: AttachmentRules.Kind, width: Int, height: Int) -> Problem? {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if width < 0 || height < 0 || overflow || pixels > ImageRenditions.maximumPixels { return .tooManyPixels }
        if kind == .webp, width > ImageRenditions.maximumWebPWidth { return .webpTooWide }
        return nil
    }

    /// The width and height of a PNG, JPEG or WebP image, read from its header.
    public static func dimensions(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        func big16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func big32(_ at: Int) -> Int { big16(at) << 16 | big16(at + 2) }
        func little16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func little24(_ at: Int) -> Int { little16(at) | Int(bytes[at + 2]) << 16 }
        switch AttachmentRules.kind(of: bytes) {
        case .png?:
            guard bytes.count >= 24 else { return nil }
            return (big32(16), big32(20))
        case .jpeg?:
            var index = 2
            while index + 9 < bytes.count {
                guard bytes[index] == 0xFF else { return nil }
                let marker = bytes[index + 1]
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { index += 2; continue }
                let length = big16(index + 2)
                // Start of frame (baseline, progressive…), not DHT (C4), JPG (C8) or DAC (CC).
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    return (big16(index + 7), big16(index + 5))
                }
                index += 2 + length
            }
            return nil
        case .webp?:
            guard bytes.count >= 30 else { return nil }
            let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
            switch chunk {
            case "VP8 ": return (little16(26) & 0x3FFF, little16(28) & 0x3FFF)
            case "VP8L":
                let bits = Int(bytes[21]) | Int(bytes[22]) << 8 | Int(bytes[23]) << 16 | Int(bytes[24]) << 24
                return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            case "VP8X": return (little24(24) + 1, little24(27) + 1)
            default: return nil
            }
        default:
            return nil
        }
    }
}
