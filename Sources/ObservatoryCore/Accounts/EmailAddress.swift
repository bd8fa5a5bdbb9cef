/// An email address as accounts store it: trimmed, with the domain in lower case.
///
/// The check is deliberately plain (one `@`, a dotted domain, no spaces or angle brackets):
/// the confirmation mail is the real test of an address. It is made on Unicode scalars, not
/// on Swift characters, and refuses every control character, separator and invisible format
/// character anywhere, so an address can never end a mail header or an SMTP command early
/// (CR LF is one Swift `Character`, and a lone CR or a NUL is no newline to `isNewline`).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public static let maximumLength = 254

    /// ASCII punctuation that has a meaning in mail headers or SMTP and is never needed here.
    private static let forbiddenASCII: Set<Unicode.Scalar> = [" ", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]", "@"]

    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count <= Self.maximumLength,
              let at = trimmed.unicodeScalars.lastIndex(of: "@"), at != trimmed.unicodeScalars.startIndex
        else { return nil }
        let scalars = trimmed.unicodeScalars
        let local = scalars[..<at]
        let domain = scalars[scalars.index(after: at)...]
        guard String(local).utf8.count <= 64, local.allSatisfy(Self.allowed), domain.allSatisfy(Self.allowed) else { return nil }
        let domainText = String(domain).lowercased()
        guard domainText.contains("."), !domainText.hasPrefix("."), !domainText.hasSuffix("."), !domainText.contains("..") else {
            return nil
        }
        value = String(local) + "@" + domainText
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        if forbiddenASCII.contains(scalar) { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned:
            return false
        default:
            return true
        }
    }

    /// The form accounts are looked up by: the whole address in lower case.
    public var lookupKey: String { value.lowercased() }

    public var description: String { value }
}
