/// The one CSV writer of every export (open data, submissions, subscribers): RFC 4180 records
/// ending in CR LF, fields quoted when they hold a comma, a quote, CR or LF, decided on the
/// text's Unicode scalars (so CR CR LF, one Swift `Character`, is still seen as two breaks).
///
/// A text cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`,
/// a tab or CR) is written with a leading apostrophe, which spreadsheets show as plain text.
public enum CSV {
    /// Scalars that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    /// Appends one field, quoted if needed and neutralised if it would start a formula.
    public static func appendField(_ text: String, to output: inout [UInt8]) {
        let utf8 = text.utf8
        let neutralise = utf8.first.map { formulaStarts.contains($0) } ?? false
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes { output.append(UInt8(ascii: "\"")) }
        if neutralise { output.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { output.append(byte) }
                output.append(byte)
            }
            output.append(UInt8(ascii: "\""))
        } else {
            output.append(contentsOf: utf8)
        }
    }

    /// Appends a whole record and its CR LF.
    public static func appendRecord(_ fields: [String], to output: inout [UInt8]) {
        for (position, field) in fields.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            appendField(field, to: &output)
        }
        output.append(0x0D)
        output.append(0x0A)
    }

    /// One record as text, with its CR LF.
    public static func record(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        appendRecord(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads CSV text back into records (RFC 4180: quoted fields may hold commas, quotes and
    /// line breaks). For checking what the writer produced and for imports.
    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var bytes = Array(text.utf8)[...]
        var atFieldStart = true
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field = []
            atFieldStart = true
        }
        while let byte = bytes.popFirst() {
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if bytes.first == UInt8(ascii: "\"") {
                        bytes.removeFirst()
                        field.append(byte)
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where atFieldStart:
                quoted = true
                atFieldStart = false
            case UInt8(ascii: ","):
                endField()
            case 0x0D where bytes.first == 0x0A:
                bytes.removeFirst()
                endField()
                records.append(record)
                record = []
            case 0x0A:
                endField()
                records.append(record)
                record = []
            default:
                field.append(byte)
                atFieldStart = false
            }
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}
