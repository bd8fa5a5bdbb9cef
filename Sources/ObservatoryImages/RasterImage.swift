/// An image decoded to 8-bit RGBA, rows top to bottom, upright.
public struct RasterImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Whether any pixel may be less than fully opaque (PNG with alpha); JPEG is always opaque.
    public var hasAlpha: Bool
    /// width * height * 4 bytes, R G B A.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, hasAlpha: Bool, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "RasterImage dimensions must not be negative")
        let (area, areaOverflow) = width.multipliedReportingOverflow(by: height)
        let (count, countOverflow) = area.multipliedReportingOverflow(by: 4)
        precondition(!areaOverflow && !countOverflow && pixels.count == count, "RasterImage needs width * height * 4 bytes")
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
        self.pixels = pixels
    }
}

public enum ImageCodecError: Error, Equatable, Sendable {
    /// The bytes are not an image of this format.
    case notRecognised
    /// A valid image this codec does not read (e.g. arithmetic-coded or 12-bit JPEG).
    case unsupported(String)
    /// The file is damaged or truncated.
    case corrupt(String)
    /// More pixels than the caller allows.
    case tooLarge(width: Int, height: Int)
}
