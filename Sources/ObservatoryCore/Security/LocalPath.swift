/// An address on this site to send someone back to (after signing in, after a form): a path
/// that every browser resolves to this site and nowhere else. The one check for every
/// "return to" address a request carries.
public struct LocalPath: Sendable, Hashable, CustomStringConvertible {
    public static let maximumLength = 2_000

    public let value: String

    /// Nil unless `raw` is a path beginning with a single `/`, free of anything a browser
    /// removes or reinterprets before resolving it: ASCII control characters (browsers drop tab,
    /// CR and LF, so `/\t/evil.example` becomes `//evil.example`), spaces, backslashes (read as
    /// `/`), other Unicode controls and separators, and a scheme-relative start.
    public init?(_ raw: String?) {
        guard let raw, raw.utf8.count <= Self.maximumLength, raw.utf8.first == UInt8(ascii: "/") else { return nil }
        for scalar in raw.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned:
                return nil
            default:
                if scalar == "\\" { return nil }
            }
        }
        let afterSlash = raw.utf8.dropFirst().first
        guard afterSlash != UInt8(ascii: "/") else { return nil }
        value = raw
    }

    public var description: String { value }
}
