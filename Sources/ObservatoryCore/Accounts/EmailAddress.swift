/// An email address as accounts store it: trimmed, with the domain in lower case.
///
/// The check is deliberately plain (one `@`, a dotted domain, no spaces or angle brackets):
/// the confirmation mail is the real test of an address.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public static let maximumLength = 254

    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count <= Self.maximumLength,
              let at = trimmed.lastIndex(of: "@"), at != trimmed.startIndex
        else { return nil }
        let local = trimmed[..<at]
        let domain = trimmed[trimmed.index(after: at)...].lowercased()
        let forbidden: Set<Character> = [" ", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]", "@", "\t", "\r", "\n"]
        guard local.utf8.count <= 64, !local.contains(where: { forbidden.contains($0) || $0.isNewline }),
              !domain.contains(where: { forbidden.contains($0) }),
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..")
        else { return nil }
        value = local + "@" + domain
    }

    /// The form accounts are looked up by: the whole address in lower case.
    public var lookupKey: String { value.lowercased() }

    public var description: String { value }
}

import Foundation
