/// The key of a user-facing string in the localisation tables.
public struct L10nKey: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// Looks up user-facing strings for one language, falling back to English.
///
/// Placeholders are written `{name}` in the tables and filled from the arguments.
public struct Localizer: Sendable {
    public let language: String
    private let table: [String: String]

    public static let supportedLanguages = ["en"]
    public static let english = Localizer(language: "en")

    public init(language: String) {
        let base = String(language.lowercased().prefix { $0 != "-" && $0 != "_" })
        self.language = L10nTables.tables[base] == nil ? "en" : base
        self.table = L10nTables.tables[self.language] ?? L10nTables.english
    }

    /// Text direction of the language, for the `dir` attribute.
    public var direction: String { ["ar", "he", "fa", "ur"].contains(language) ? "rtl" : "ltr" }

    public func callAsFunction(_ key: L10nKey) -> String {
        table[key.rawValue] ?? L10nTables.english[key.rawValue] ?? key.rawValue
    }

    public func callAsFunction(_ key: L10nKey, _ arguments: KeyValuePairs<String, String>) -> String {
        var text = self(key)
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The text with placeholders filled from a dictionary (values gathered at run time).
    public func callAsFunction(_ key: L10nKey, values: [String: String]) -> String {
        var text = self(key)
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// Whether the English table has the key; tests use it to find keys without text.
    public static func hasText(for key: L10nKey) -> Bool { L10nTables.english[key.rawValue] != nil }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
