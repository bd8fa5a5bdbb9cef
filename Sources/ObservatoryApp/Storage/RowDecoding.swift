import SQLKit

/// Rows decode into `Decodable` structs whose property names are the columns' names in camel
/// case, with `ID` for a trailing or inner `id`: `call_item_id` fills `callItemID`, `published_at`
/// fills `publishedAt`. Stores select the columns a struct needs and decode whole rows:
///
///     struct Row: Decodable { let id: Int64; let callItemID: Int64; let submittedAt: Int64? }
///     let rows = try await sql.select().columns(...).from("submissions").all(as: Row.self)
///
/// A query that reads one value (a count, an id) takes it with `first(decodingColumn:as:)`.
/// Columns holding JSON text or an enumeration's raw value are read as `String` into a private
/// row struct, which the store turns into its record.
extension SQLRowDecoder {
    static let columns = SQLRowDecoder(keyDecodingStrategy: .custom { path in
        SomeCodingKey(stringValue: SQLRowDecoder.columnName(of: path.last?.stringValue ?? ""))
    })

    /// `callItemID` → `call_item_id`, `publishedAt` → `published_at`, `html` → `html`.
    static func columnName(of property: String) -> String {
        var column = ""
        let characters = Array(property)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { column.append("_") }
            }
            column.append(contentsOf: character.lowercased())
        }
        return column
    }
}

extension SQLRow {
    /// The row as a `Decodable` struct named after its columns (see `SQLRowDecoder.columns`).
    func decode<Row: Decodable>(_ type: Row.Type) throws -> Row {
        try decode(model: Row.self, with: .columns)
    }
}

extension SQLQueryFetcher {
    /// Every row as a `Decodable` struct named after its columns.
    func all<Row: Decodable>(as type: Row.Type) async throws -> [Row] {
        try await all().map { try $0.decode(Row.self) }
    }

    /// The first row, if any, as a `Decodable` struct named after its columns.
    func first<Row: Decodable>(as type: Row.Type) async throws -> Row? {
        try await first().map { try $0.decode(Row.self) }
    }
}
