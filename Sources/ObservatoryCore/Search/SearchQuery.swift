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

    /// Keywords as typed in a search form, without control characters, byte-order marks and the
    /// white space around them; nil when nothing is left. (Percent-decoding drops a byte-order
    /// mark only at the start, so keeping it elsewhere would give one search two spellings.)
    public static func cleanedKeywords(_ typed: String) -> String? {
        let visible = String(String.UnicodeScalarView(typed.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0 != "\u{FEFF}"
        }))
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
        // Read as Unicode scalars, not Swift characters: a character can join a letter and a
        // quote into one grapheme (U+0D4E followed by `"` is one `Character`), which would carry
        // the quote into a word and from there into the engine's query.
        let scalars = Array(input.unicodeScalars.prefix(Self.maximumInputLength))
        // A query that ends inside a word is still being typed: its last word is a prefix.
        let endsInWord = scalars.last.map(Self.isWordScalar) ?? false

        var terms: [Term] = []
        var seen = Set<Term>()
        func add(_ term: Term) {
            guard terms.count < Self.maximumTerms, seen.insert(term).inserted else { return }
            terms.append(term)
        }

        // Split at quotes; odd chunks were quoted. A quote left open reads as plain words.
        var chunks: [(scalars: [Unicode.Scalar], quoted: Bool)] = []
        var chunk: [Unicode.Scalar] = []
        var inQuotes = false
        for scalar in scalars {
            if Self.quotes.contains(scalar) {
                chunks.append((chunk, inQuotes))
                chunk = []
                inQuotes.toggle()
            } else {
                chunk.append(scalar)
            }
        }
        chunks.append((chunk, false))

        for (chunkIndex, (chunkScalars, quoted)) in chunks.enumerated() {
            if quoted {
                let words = Self.words(in: Self.text(chunkScalars[...]))
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
            let pieces = chunkScalars.split(whereSeparator: { !Self.isWordScalar($0) && !Self.joiners.contains($0) })
            for (pieceIndex, piece) in pieces.enumerated() {
                let words = Self.words(in: Self.text(piece))
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

    /// The runs of letters, digits and combining marks in `text`, lower case and without
    /// accents, at most 64 scalars each. A word never holds punctuation, a quote, white space
    /// or a control character, so it can be put between quotes in any engine's syntax.
    static func words(in text: String) -> [String] {
        SearchText.normalize(text).unicodeScalars
            .split(whereSeparator: { !isWordScalar($0) })
            .map { String(Substring($0.prefix(64))) }
            .filter { $0.unicodeScalars.contains(where: isLetterOrDigit) }
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static let quotes: Set<Unicode.Scalar> = ["\"", "\u{201C}", "\u{201D}", "\u{201E}"]

    /// Characters that join the words on either side into one token.
    private static let joiners: Set<Unicode.Scalar> = ["-", "'", "\u{2019}", "."]

    /// Letters, digits and the marks that combine with them.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: isLetterOrDigit(scalar)
        }
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
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
