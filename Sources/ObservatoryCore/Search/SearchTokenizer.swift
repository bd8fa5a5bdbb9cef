/// Splits text into the words the search index and queries share: runs of letters and digits,
/// lower case, without accents, at most 64 characters (as `SearchQuery` reads keywords).
public enum SearchTokenizer {
    /// Calls `body` with each word of `text`, in order.
    ///
    /// ASCII text, most of what is indexed, is read byte by byte; a run holding other
    /// characters goes through the Unicode path (`SearchQuery.words(in:)`), which folds accents
    /// and splits at any punctuation.
    public static func forEachWord(in text: String, _ body: (String) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(32)
        var hasNonASCII = false
        func flush() {
            defer {
                word.removeAll(keepingCapacity: true)
                hasNonASCII = false
            }
            guard !word.isEmpty else { return }
            if hasNonASCII {
                for piece in SearchQuery.words(in: String(decoding: word, as: UTF8.self)) { body(piece) }
            } else {
                body(String(decoding: word.prefix(64), as: UTF8.self))
            }
        }
        for byte in text.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39: word.append(byte)
            case 0x41...0x5A: word.append(byte | 0x20)
            case 0x80...: word.append(byte); hasNonASCII = true
            default: flush()
            }
        }
        flush()
    }

    /// The words of `text`, in order.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { words.append($0) }
        return words
    }
}
