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
