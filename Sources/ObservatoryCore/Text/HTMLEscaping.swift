public extension String {
    /// The string with `&`, `<`, `>`, `"` and `'` replaced by character references, safe to place
    /// in HTML text and in quoted attribute values.
    var htmlEscaped: String {
        var string = self
        let escaped: [UInt8]? = string.withUTF8 { bytes in
            guard bytes.contains(where: HTMLEscaping.needsEscaping) else { return nil }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 32)
            HTMLEscaping.append(bytes, to: &escaped)
            return escaped
        }
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? self
    }
}

/// Byte-level escaping shared by `htmlEscaped` and the Markdown renderer, which builds its output as UTF-8.
enum HTMLEscaping {
    static func needsEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }

    /// Appends `bytes` (UTF-8) to `output`, escaping the five HTML-significant characters. Every one of
    /// them is ASCII, so multi-byte sequences pass through untouched; runs between them are copied whole.
    static func append<Bytes: Collection<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
        var runStart = bytes.startIndex
        var index = runStart
        while index != bytes.endIndex {
            let reference: String
            switch bytes[index] {
            case UInt8(ascii: "&"): reference = "&amp;"
            case UInt8(ascii: "<"): reference = "&lt;"
            case UInt8(ascii: ">"): reference = "&gt;"
            case UInt8(ascii: "\""): reference = "&quot;"
            case UInt8(ascii: "'"): reference = "&#39;"
            default:
                bytes.formIndex(after: &index)
                continue
            }
            output.append(contentsOf: bytes[runStart..<index])
            output.append(contentsOf: reference.utf8)
            bytes.formIndex(after: &index)
            runStart = index
        }
        output.append(contentsOf: bytes[runStart...])
    }
}
