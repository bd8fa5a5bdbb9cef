/// `LIKE` patterns that match typed text literally, on both databases.
enum SQLLike {
    static let escapeClause = "ESCAPE '\\'"

    /// A case-folded pattern for "contains `text`", with `%`, `_` and `\` escaped.
    static func containing(_ text: String) -> String {
        var escaped = ""
        for character in text.lowercased() {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
