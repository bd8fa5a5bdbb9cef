import Foundation

/// A keyword query as a visitor typed it, reduced to what every full-text engine understands
/// the same way: words and quoted phrases that must all match, the last word matched as a prefix
/// while it is still being typed.
///
/// Nothing of the engines' own query syntax survives parsing: operators (`AND`, `NEAR`, `-`,
/// `*`, `title:`) are read as plain words or dropped, so user input can never change the shape
/// of the engine's query. Words are lower case, without accents, made of letters and digits only.
public struct SearchQuery: Sendable, Hashable {
    public enum Term: Sendable, Hashable {
        /// A word; `prefix` when it should also match longer words ("innov" → "innovation").
        case word(String, prefix: Bool)
        /// Words that must appear in this order, next to each other.
        case phrase([String])
    }

    public let terms: [Term]

    /// Characters of input read at most; the rest is ignored.
    public static let maximumInputLength = 500
    /// Terms kept at most; more make a query slower without making it more precise.
    public static let maximumTerms = 12

    /// Keywords a search form accepts at most; longer input is refused, not cut.
    public static let maximumKeywordLength = 200

    /// No term left: empty input, or only punctuation and very common words.
    public var isEmpty: Bool { terms.isEmpty }

    /// The query for `keywords`; nil without keywords or when nothing searchable is left.
    public init?(keywords: String?) {
        guard let keywords else { return nil }
        self.init(parsing: keywords)
        if isEmpty { return nil }
    }

    /// Keywords as typed in a search form, without control characters and the white space
    /// around them; nil when nothing is left.
    public static func cleanedKeywords(_ typed: String) -> String? {
        let visible = String(String.UnicodeScalarView(typed.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        let trimmed = visible.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// Every word of the query, phrases included, in order.
    public var words: [String] {
        terms.flatMap { term -> [String] in
            switch term {
            case .word(let word, _): [word]
            case .phrase(let words): words
            }
        }
    }

    public init(terms: [Term]) {
        self.terms = terms
    }

    public init(parsing input: String) {
        let text = String(input.prefix(Self.maximumInputLength))
        // A query that ends inside a word is still being typed: its last word is a prefix.
        let endsInWord = text.last.map(Self.isWordCharacter) ?? false

        var terms: [Term] = []
        var seen = Set<Term>()
        func add(_ term: Term) {
            guard terms.count < Self.maximumTerms, seen.insert(term).inserted else { return }
            terms.append(term)
        }

        // Split at quotes; odd chunks were quoted. A quote left open reads as plain words.
        var chunks: [(text: String, quoted: Bool)] = []
        var chunk = ""
        var inQuotes = false
        for character in text {
            if Self.quotes.contains(character) {
                chunks.append((chunk, inQuotes))
                chunk = ""
                inQuotes.toggle()
            } else {
                chunk.append(character)
            }
        }
        chunks.append((chunk, false))

        for (chunkIndex, (chunkText, quoted)) in chunks.enumerated() {
            if quoted {
                let words = Self.words(in: chunkText)
                if words.count == 1 {
                    add(.word(words[0], prefix: false))
                } else if !words.isEmpty {
                    add(.phrase(Array(words.prefix(Self.maximumTerms))))
                }
                continue
            }
            // Words joined by a hyphen, apostrophe or full stop ("e-government", "citizen's")
            // become phrases, as the engines index them as adjacent words; any other
            // punctuation separates words.
            let pieces = chunkText.split(whereSeparator: { !Self.isWordCharacter($0) && !Self.joiners.contains($0) })
            for (pieceIndex, piece) in pieces.enumerated() {
                let words = Self.words(in: String(piece))
                let isLastTyped = chunkIndex == chunks.count - 1 && pieceIndex == pieces.count - 1 && endsInWord
                if words.count > 1 {
                    add(.phrase(Array(words.prefix(Self.maximumTerms))))
                } else if let word = words.first, !StopWords.english.contains(word) {
                    add(.word(word, prefix: isLastTyped))
                }
            }
        }
        self.terms = terms
    }

    /// The runs of letters and digits in `text`, lower case and without accents, at most 64
    /// characters each.
    static func words(in text: String) -> [String] {
        SearchText.normalize(text)
            .split(whereSeparator: { !isWordCharacter($0) })
            .map { String($0.prefix(64)) }
    }

    private static let quotes: Set<Character> = ["\"", "“", "”", "„"]

    /// Characters that join the words on either side into one token.
    private static let joiners: Set<Character> = ["-", "'", "’", "."]

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}

/// Words too common to narrow a search, dropped from queries (kept inside phrases).
public enum StopWords {
    public static let english: Set<String> = Set(
        """
        a about above after again against all am an and any are as at be because been before being below \
        between both but by can could did do does doing down during each few for from further had has have \
        having he her here hers herself him himself his how i if in into is it its itself just me more most \
        my myself no nor not now of off on once only or other our ours ourselves out over own same she should \
        so some such than that the their theirs them themselves then there these they this those through to \
        too under until up very was we were what when where which while who whom why will with would you your \
        yours yourself yourselves
        """.split(separator: " ").map(String.init))
}
