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

    /// A row: one value per column, in column order.
    public struct Row: Sendable, Equatable {
        public var values: [Value]

        public init() { values = Array(repeating: .null, count: CaseExport.columns.count) }

        public init(_ named: [String: Value]) {
            self.init()
            for (name, value) in named { self[name] = value }
        }

        public subscript(name: String) -> Value {
            get { CaseExport.index[name].map { values[$0] } ?? .null }
            set { if let position = CaseExport.index[name] { values[position] = newValue } }
        }

        /// Adds a value to a list column.
        public mutating func append(_ value: String, to position: Int) {
            if case .list(var list) = values[position] {
                // Let go of the stored list first, so appending does not copy it.
                values[position] = .null
                list.append(value)
                values[position] = .list(list)
            } else {
                values[position] = .list([value])
            }
        }
    }

    /// Each column's position in a row.
    public static let index: [String: Int] = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.element.name, $0.offset) })

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
        var bytes: [UInt8] = []
        appendCSV(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one CSV record (with its CRLF) to `output`.
    public static func appendCSV(_ row: Row, to output: inout [UInt8]) {
        for (position, value) in row.values.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            switch value {
            case .text(let text): CSV.appendField(text, to: &output)
            case .integer(let number): output.append(contentsOf: String(number).utf8)
            case .list(let values): CSV.appendField(values.joined(separator: listSeparator), to: &output)
            case .null: break
            }
        }
        output.append(13)
        output.append(10)
    }


    // MARK: JSON

    /// One case as a JSON object, keys in column order, empty columns as null.
    public static func jsonObject(_ row: Row) -> String {
        var bytes: [UInt8] = []
        appendJSON(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let jsonKeys: [[UInt8]] = columns.enumerated().map { position, column in
        Array(((position == 0 ? "{\"" : ",\"") + column.name + "\":").utf8)
    }

    /// Appends one case as a JSON object to `output`.
    public static func appendJSON(_ row: Row, to output: inout [UInt8]) {
        for (position, value) in row.values.enumerated() {
            output.append(contentsOf: jsonKeys[position])
            switch value {
            case .text(let text): appendJSONString(text, to: &output)
            case .integer(let number): output.append(contentsOf: String(number).utf8)
            case .list(let values):
                output.append(UInt8(ascii: "["))
                for (index, value) in values.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    appendJSONString(value, to: &output)
                }
                output.append(UInt8(ascii: "]"))
            case .null: output.append(contentsOf: "null".utf8)
            }
        }
        output.append(UInt8(ascii: "}"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string, escaping quotes, backslashes, control characters and U+2028/U+2029
    /// (which some JavaScript parsers take for line ends); everything else as UTF-8, copied in
    /// runs between the characters that need escaping.
    static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            let count = bytes.count
            var runStart = 0
            var index = 0
            while index < count {
                let byte = bytes[index]
                let isSeparator = byte == 0xE2 && index + 2 < count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || isSeparator else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): output.append(contentsOf: [92, 92])
                case 10: output.append(contentsOf: [92, UInt8(ascii: "n")])
                case 13: output.append(contentsOf: [92, UInt8(ascii: "r")])
                case 9: output.append(contentsOf: [92, UInt8(ascii: "t")])
                case 0xE2:
                    output.append(contentsOf: [92, UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"),
                                               bytes[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")])
                    index += 2
                default:
                    output.append(contentsOf: [92, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                }
                index += 1
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

import Foundation
