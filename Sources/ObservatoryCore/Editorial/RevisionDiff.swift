/// What changed between two versions of an item, field by field, and word by word inside
/// long texts.
public struct RevisionDiff: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    public struct Change: Sendable, Equatable {
        /// The field's key: `title`, `body`, `terms.country`, `fields.year_launched`…
        public let key: String
        public let before: String
        public let after: String
        /// For long texts: the words kept, removed and added, in order.
        public let words: [Piece]?
    }

    public let changes: [Change]

    /// Texts at least this long (or with several lines) are compared by words.
    public static let wordDiffThreshold = 60

    public init(from old: ContentRecord, to new: ContentRecord) {
        let before = Dictionary(old.flattened, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.flattened, uniquingKeysWith: { first, _ in first })
        var order = old.flattened.map(\.key)
        for (key, _) in new.flattened where before[key] == nil { order.append(key) }
        changes = order.compactMap { key in
            let from = before[key] ?? "", to = after[key] ?? ""
            guard from != to else { return nil }
            let long = max(from.count, to.count) >= Self.wordDiffThreshold || from.contains("\n") || to.contains("\n")
            return Change(key: key, before: from, after: to, words: long ? Self.words(from: from, to: to) : nil)
        }
    }

    /// The word-level difference of two texts (spaces count as tokens of their own), by
    /// the longest common subsequence; texts too long for that are compared as wholes.
    public static func words(from old: String, to new: String) -> [Piece] {
        let a = tokens(old), b = tokens(new)
        guard a.count * b.count <= 4_000_000 else { return [.removed(old), .added(new)] }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var pieces: [Piece] = []
        func add(_ piece: Piece) {
            switch (pieces.last, piece) {
            case (.same(let x)?, .same(let y)): pieces[pieces.count - 1] = .same(x + y)
            case (.removed(let x)?, .removed(let y)): pieces[pieces.count - 1] = .removed(x + y)
            case (.added(let x)?, .added(let y)): pieces[pieces.count - 1] = .added(x + y)
            default: pieces.append(piece)
            }
        }
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                add(.same(a[i])); i += 1; j += 1
            } else if i < a.count, j == b.count || lengths[i + 1][j] >= lengths[i][j + 1] {
                // What was removed reads before what replaced it.
                add(.removed(a[i])); i += 1
            } else {
                add(.added(b[j])); j += 1
            }
        }
        return pieces
    }

    /// Words and the runs of whitespace between them, as separate tokens.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentIsSpace = false
        for character in text {
            if !current.isEmpty, character.isWhitespace != currentIsSpace {
                tokens.append(current)
                current = ""
            }
            currentIsSpace = character.isWhitespace
            current.append(character)
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

extension ContentRecord {
    /// Every value as text under a stable key, in the order an editor reads them.
    public var flattened: [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = [
            ("title", title), ("slug", slug), ("status", status.rawValue), ("published_at", publishedAt?.rfc3339 ?? ""),
            ("excerpt", excerpt ?? ""), ("body", body), ("authors", authors.joined(separator: "; ")),
            ("featured", featured ? "yes" : "no"), ("language", language),
        ]
        for (_, vocabulary) in ImportFormat.classificationKeys {
            pairs.append(("terms.\(vocabulary.rawValue)", (terms[vocabulary] ?? []).joined(separator: "; ")))
        }
        for definition in type.fields {
            let value: String = switch fields[definition.name] {
            case .text(let text)?: text
            case .integer(let number)?: String(number)
            case .boolean(let flag)?: flag ? "yes" : "no"
            case .date(let date)?: date.iso8601
            case .dateTime(let moment)?: moment.rfc3339
            case .terms(let names)?: names.joined(separator: "; ")
            case .texts(let texts)?: texts.joined(separator: "; ")
            case .place(let city, let country)?: "\(city), \(country)"
            case nil: ""
            }
            pairs.append(("fields.\(definition.name)", value))
        }
        return pairs
    }
}
