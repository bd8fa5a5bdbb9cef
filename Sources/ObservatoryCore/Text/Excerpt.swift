/// Short plain-text summaries of content bodies, for listings and meta descriptions.
public enum Excerpt: Sendable {
    public static let defaultLength = 500

    /// The readable text of a Markdown body (see `Markdown.plainText(from:)`) without its headings,
    /// which would run into the sentences around them, shortened with `truncate(plainText:maxLength:)`.
    /// A body made only of headings keeps them.
    public static func make(fromMarkdown body: String, maxLength: Int = defaultLength) -> String {
        let sentences = Markdown.plainText(from: body, includingHeadings: false)
        let text = sentences.isEmpty ? Markdown.plainText(from: body) : sentences
        return truncate(plainText: text, maxLength: maxLength)
    }

    /// `plainText` with white space collapsed to single spaces and trimmed. When longer than `maxLength`
    /// characters (grapheme clusters), it is cut at the last word boundary that leaves room for a
    /// trailing "…", without dangling punctuation such as `,;:` before it; a single word longer than
    /// the limit is cut between characters.
    public static func truncate(plainText: String, maxLength: Int = defaultLength) -> String {
        let text = collapsingWhitespace(plainText)
        guard maxLength > 0 else { return "" }
        guard let limit = text.index(text.startIndex, offsetBy: maxLength, limitedBy: text.endIndex),
              limit != text.endIndex
        else { return text }

        // Room for maxLength - 1 characters, then the ellipsis.
        let headEnd = text.index(before: limit)
        let head = text[..<headEnd]
        var cut = head
        if text[headEnd] != " ", let lastSpace = head.lastIndex(of: " ") {
            cut = head[..<lastSpace]
        }
        var trimmed = cut.dropLast(while: { $0 == " " || danglingPunctuation.contains($0) })
        if trimmed.isEmpty {
            // Text made only of punctuation keeps it rather than becoming a bare ellipsis.
            trimmed = head.dropLast(while: { $0 == " " })
        }
        return String(trimmed) + "…"
    }

    /// Characters that read badly right before an ellipsis.
    private static let danglingPunctuation: Set<Character> = [
        ",", ";", ":", ".", "-", "–", "—", "(", "[", "{", "\"", "'", "“", "‘", "«", "/",
    ]

    private static func collapsingWhitespace(_ text: String) -> String {
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(text.utf8.count)
        var spacePending = false
        for scalar in text.unicodeScalars {
            // The Unicode property lookup is slow, so ASCII is checked directly.
            let isWhitespace = scalar.isASCII
                ? scalar == " " || (0x09...0x0D).contains(scalar.value)
                : scalar.properties.isWhitespace
            if isWhitespace {
                spacePending = !collapsed.isEmpty
            } else {
                if spacePending {
                    collapsed.append(UInt8(ascii: " "))
                    spacePending = false
                }
                UTF8.encode(scalar) { collapsed.append($0) }
            }
        }
        return String(decoding: collapsed, as: UTF8.self)
    }
}

private extension Substring {
    /// The substring without its trailing characters that satisfy `shouldDrop`.
    func dropLast(while shouldDrop: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard shouldDrop(self[previous]) else { break }
            end = previous
        }
        return self[..<end]
    }
}
