import Foundation

/// A keyword query as a visitor typed it, reduced to what every search engine understands the
/// same way: words, quoted phrases, words to leave out (`-word`), and the last word matched as a
/// prefix while it is still being typed.
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
        /// A word (or words joined by hyphens, as a phrase) typed after a minus sign: items
        /// holding it are left out.
        case excluded([String])

        /// Whether the term asks for items (words and phrases) rather than leaving them out.
        public var isPositive: Bool {
            if case .excluded = self { return false }
            return true
        }
    }

    public let terms: [Term]

    /// Characters of input read at most; the rest is ignored.
    public static let maximumInputLength = 500
    /// Terms kept at most; more make a query slower without making it more precise.
    public static let maximumTerms = 12

    /// Keywords a search form accepts at most; longer input is refused, not cut.
    public static let maximumKeywordLength = 200

    /// No word or phrase left to look for: empty input, only punctuation and very common words,
    /// or only words to leave out.
    public var isEmpty: Bool { !terms.contains(where: \.isPositive) }

    /// The query for `keywords`; nil without keywords or when nothing searchable is left (words
    /// to leave out alone are a query: everything but them).
    public init?(keywords: String?) {
        guard let keywords else { return nil }
        self.init(parsing: keywords)
        if terms.isEmpty { return nil }
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

    /// Every word the query looks for, phrases included, in order (not the words left out).
    public var words: [String] {
        terms.flatMap { term -> [String] in
            switch term {
            case .word(let word, _): [word]
            case .phrase(let words): words
            case .excluded: []
            }
        }
    }

    /// The words and phrases to leave out.
    public var exclusions: [[String]] {
        terms.compactMap { term in
            if case .excluded(let words) = term { return words }
            return nil
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
                // A minus sign right before the quote (-"opening hours") leaves the phrase out.
                let previous = chunkIndex > 0 ? chunks[chunkIndex - 1].scalars : []
                if previous.last == "-", previous.count == 1 || previous[previous.count - 2].properties.isWhitespace {
                    if !words.isEmpty { add(.excluded(Array(words.prefix(Self.maximumTerms)))) }
                    continue
                }
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
            // A minus sign at the start of a piece ("-tax", "budget -local") leaves it out.
            let pieces = chunkScalars.split(whereSeparator: { !Self.isWordScalar($0) && !Self.joiners.contains($0) })
            for (pieceIndex, piece) in pieces.enumerated() {
                let words = Self.words(in: Self.text(piece))
                let isLastTyped = chunkIndex == chunks.count - 1 && pieceIndex == pieces.count - 1 && endsInWord
                if piece.first == "-", piece.count > 1, Self.isWordScalar(piece[piece.index(after: piece.startIndex)]) {
                    let kept = words.filter { !StopWords.english.contains($0) || words.count > 1 }
                    if !kept.isEmpty { add(.excluded(Array(kept.prefix(Self.maximumTerms)))) }
                } else if words.count > 1 {
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
