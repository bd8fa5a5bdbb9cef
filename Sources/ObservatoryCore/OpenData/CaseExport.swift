/// The open-data form of the case study library: one row per published case, every
/// structured field a column, written as CSV (RFC 4180), JSON or NDJSON.
public enum CaseExport {
    public enum ColumnType: String, Sendable {
        case integer
        case text
        /// RFC 3339, UTC.
        case dateTime = "date-time"
        case url
        /// Several values: an array in JSON, joined with "; " in CSV.
        case list
    }

    public struct Column: Sendable {
        public let name: String
        public let type: ColumnType
        /// The vocabulary the values come from, for choices.
        public let vocabulary: Vocabulary?

        public var descriptionKey: L10nKey { L10nKey("export.column.\(name)") }
    }

    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        case list([String])
        case null
    }

    /// A row: values by column name; absent columns are empty.
    public typealias Row = [String: Value]

    public static let listSeparator = "; "

    private static func column(_ name: String, _ type: ColumnType, _ vocabulary: Vocabulary? = nil) -> Column {
        Column(name: name, type: type, vocabulary: vocabulary)
    }

    /// Every column, in file order. Structured fields follow the case-study schema.
    public static let columns: [Column] = [
        column("id", .integer), column("slug", .text), column("url", .url), column("title", .text), column("summary", .text),
        column("published_at", .dateTime), column("updated_at", .dateTime), column("language", .text),
        column("country", .list, .country), column("country_code", .text),
        column("organisation_name", .text), column("organisation_type", .list, .organisationType),
        column("level_of_government", .list, .levelOfGovernment), column("level_of_government_other", .text),
        column("primary_sectors", .list, .primarySector), column("innovation_tags", .list, .innovationTag),
        column("innovation_status", .list, .innovationStatus), column("innovation_facets", .list, .innovationFacet),
        column("recognition", .list, .recognition), column("year_launched", .integer), column("website", .url),
        column("short_explanation", .text), column("overview", .text), column("what_makes_it_innovative", .text),
        column("status_description", .text), column("collaborations", .text), column("users_beneficiaries", .text),
        column("results", .text), column("challenges", .text), column("conditions_for_success", .text), column("replication", .text),
        column("lessons_learned", .text), column("anything_else", .text), column("related_url", .url), column("video_urls", .list),
        column("sectors", .list, .sector), column("tags", .list, .tag),
    ]

    /// Field names stored as taxonomy terms, by the vocabulary they are stored under.
    public static let termColumns: [Vocabulary: String] = Dictionary(uniqueKeysWithValues: columns.compactMap { column in
        column.vocabulary.map { ($0, column.name) }
    })

    // MARK: CSV

    public static var csvHeader: String { columns.map(\.name).joined(separator: ",") + "\r\n" }

    public static func csvLine(_ row: Row) -> String {
        var line = ""
        line.reserveCapacity(1_024)
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(",") }
            switch row[column.name] ?? .null {
            case .text(let text): line.append(csvField(text))
            case .integer(let number): line.append(String(number))
            case .list(let values): line.append(csvField(values.joined(separator: listSeparator)))
            case .null: break
            }
        }
        line.append("\r\n")
        return line
    }

    static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON

    /// One case as a JSON object, keys in column order, empty columns as null.
    public static func jsonObject(_ row: Row) -> String {
        var object = "{"
        object.reserveCapacity(2_048)
        for (index, column) in columns.enumerated() {
            if index > 0 { object.append(",") }
            object.append("\"")
            object.append(column.name)
            object.append("\":")
            switch row[column.name] ?? .null {
            case .text(let text): appendJSONString(text, to: &object)
            case .integer(let number): object.append(String(number))
            case .list(let values):
                object.append("[")
                for (position, value) in values.enumerated() {
                    if position > 0 { object.append(",") }
                    appendJSONString(value, to: &object)
                }
                object.append("]")
            case .null: object.append("null")
            }
        }
        object.append("}")
        return object
    }

    static func appendJSONString(_ text: String, to output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{2028}": output.append("\\u2028")
            case "\u{2029}": output.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }
}

import Foundation
