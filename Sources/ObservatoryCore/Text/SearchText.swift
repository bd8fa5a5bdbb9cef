import Foundation

/// The normal form in which text is stored for matching and in which queries are compared to
/// it: lower case, accents removed, white space collapsed, so "Sao Paulo" finds "São Paulo".
public enum SearchText {
    public static func normalize(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
