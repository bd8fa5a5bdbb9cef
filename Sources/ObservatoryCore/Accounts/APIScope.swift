/// What a personal API token may do. Every token reads (one's own submissions, besides the
/// public data anyone reads); `write` also creates, changes and submits entries.
public enum APIScope: String, CaseIterable, Sendable, Codable {
    case read
    case write

    public var nameKey: String { "apiToken.scope.\(rawValue)" }

    /// Scopes kept as text, e.g. "read write".
    public static func parse(_ text: String) -> Set<APIScope> {
        Set(text.split(separator: " ").compactMap { APIScope(rawValue: String($0)) })
    }

    public static func text(_ scopes: Set<APIScope>) -> String {
        allCases.filter(scopes.contains).map(\.rawValue).joined(separator: " ")
    }

    /// The scope a request needs: reading methods need `read`, every other one `write`.
    public static func needed(forMethod method: String) -> APIScope {
        ["GET", "HEAD", "OPTIONS"].contains(method.uppercased()) ? .read : .write
    }
}

/// The form of personal API tokens: a recognisable prefix and 32 random bytes.
public enum APITokenFormat {
    public static let prefix = "obs_"
    /// How many characters of a token are kept in clear to tell tokens apart.
    public static let shownCharacters = 8
    public static let maximumNameLength = 80

    public static func looksLikeToken(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.count > prefix.count + 20 && text.count < 200
    }
}
