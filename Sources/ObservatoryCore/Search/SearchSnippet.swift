/// Text around the words a search matched, as the search engines return it: matched words sit
/// between two private-use characters, which indexed text never contains.
public enum SearchSnippet {
    public static let open: Character = "\u{E000}"
    public static let close: Character = "\u{E001}"

    /// `text` without the marker characters, ready to be indexed.
    public static func clean(_ text: String) -> String {
        // Both markers start with the byte 0xEE in UTF-8: most texts are passed back untouched
        // after one fast byte scan.
        guard text.utf8.contains(0xEE),
              text.unicodeScalars.contains(where: { $0 == "\u{E000}" || $0 == "\u{E001}" })
        else { return text }
        return String(text.filter { $0 != open && $0 != close })
    }

    /// Whether the engine marked any matched word in `snippet`.
    public static func hasMatch(_ snippet: String) -> Bool {
        snippet.contains(open)
    }

    /// The snippet as HTML: text escaped, each matched run in `<mark>`. Markers are paired up
    /// whatever the input, so the result is always balanced.
    public static func html(_ snippet: String) -> String {
        var html = ""
        var isOpen = false
        var run = ""
        func flush() {
            html += run.htmlEscaped
            run = ""
        }
        for character in snippet {
            switch character {
            case open where !isOpen:
                flush()
                html += "<mark>"
                isOpen = true
            case close where isOpen:
                flush()
                html += "</mark>"
                isOpen = false
            case open, close:
                continue
            default:
                run.append(character)
            }
        }
        flush()
        if isOpen { html += "</mark>" }
        return html
    }
}

extension SearchSnippet {
    /// The stretch of about `length` words of `text` that holds the most of the words whose stems
    /// are in `stems`, each such word between `open` and `close`; nil when no word matches.
    public static func make(from text: String, stems: Set<String>, length: Int = 24) -> String? {
        guard !stems.isEmpty, length > 0 else { return nil }
        struct Token {
            let range: Range<String.Index>
            let stem: String?
        }
        var tokens: [Token] = []
        var start: String.Index?
        var index = text.startIndex
        func endWord(at end: String.Index) {
            guard let begin = start else { return }
            start = nil
            let word = String(text[begin..<end])
            let stem = SearchTokenizer.words(in: word).first.map(EnglishStemmer.stem)
            tokens.append(Token(range: begin..<end, stem: stem.flatMap { stems.contains($0) ? $0 : nil }))
        }
        // Scalars, not characters: a page shows many snippets, and most text is ASCII.
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let isWord = scalar.isASCII
                ? (scalar.value >= 0x61 && scalar.value <= 0x7A) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                    || (scalar.value >= 0x30 && scalar.value <= 0x39)
                : SearchQuery.isWordScalar(scalar)
            if isWord {
                if start == nil { start = index }
            } else {
                endWord(at: index)
            }
            index = scalars.index(after: index)
        }
        endWord(at: text.endIndex)
        guard tokens.contains(where: { $0.stem != nil }) else { return nil }

        // The window with the most distinct matched stems, then the most matches.
        let width = min(length, tokens.count)
        var counts: [String: Int] = [:]
        var matches = 0
        for token in tokens[0..<width] {
            if let stem = token.stem { counts[stem, default: 0] += 1; matches += 1 }
        }
        var best = (start: 0, distinct: counts.count, matches: matches)
        if tokens.count > width {
            for first in 1...(tokens.count - width) {
                if let stem = tokens[first - 1].stem {
                    counts[stem, default: 1] -= 1
                    if counts[stem] == 0 { counts[stem] = nil }
                    matches -= 1
                }
                if let stem = tokens[first + width - 1].stem { counts[stem, default: 0] += 1; matches += 1 }
                if (counts.count, matches) > (best.distinct, best.matches) { best = (first, counts.count, matches) }
            }
        }
        // Start a few words before the first match, so it is read in context.
        let window = tokens[best.start..<(best.start + width)]
        let firstMatch = window.firstIndex { $0.stem != nil } ?? best.start
        let from = max(0, min(firstMatch - 4, tokens.count - width))
        let shown = tokens[from..<(from + width)]
        guard let first = shown.first, let last = shown.last else { return nil }
        var snippet = from > 0 ? "…" : ""
        var cursor = first.range.lowerBound
        for token in shown where token.stem != nil {
            snippet += text[cursor..<token.range.lowerBound]
            snippet.append(open)
            snippet += text[token.range]
            snippet.append(close)
            cursor = token.range.upperBound
        }
        if from + width < tokens.count {
            snippet += text[cursor..<last.range.upperBound]
            snippet += "…"
        } else {
            snippet += text[cursor...]
        }
        return snippet
    }
}
