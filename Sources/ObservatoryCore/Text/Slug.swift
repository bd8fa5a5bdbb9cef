/// URL-safe identifiers derived from titles: lower-case ASCII letters, digits and single dashes.
public enum Slug: Sendable {
    /// Returned when a text has nothing transliterable, e.g. only Chinese characters or emoji.
    public static let fallback = "item"
    /// The longest slug `isValid(_:)` accepts.
    public static let maximumLength = 200

    /// A slug of `text`: Latin letters lose their diacritics, special letters (ß, æ, ø, ł, þ…), Greek and
    /// Cyrillic are transliterated, apostrophes vanish ("People's" → "peoples") and every other run of
    /// non-alphanumerics becomes a single `-`. Longer results are cut at a dash where possible.
    public static func make(from text: String, maxLength: Int = 80) -> String {
        let maxLength = max(maxLength, 1)
        var slug: [UInt8] = []
        // Dashes are only written before the next letter, so a slug never ends with one.
        var separatorPending = false

        func appendLetters<Letters: Sequence<UInt8>>(_ letters: Letters) {
            for letter in letters {
                if separatorPending {
                    if !slug.isEmpty { slug.append(dash) }
                    separatorPending = false
                }
                slug.append(letter)
            }
        }

        func append(_ scalar: Unicode.Scalar) {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    appendLetters(CollectionOfOne(byte))
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    appendLetters(CollectionOfOne(byte + 32))
                case UInt8(ascii: "'"):
                    break
                default:
                    separatorPending = true
                }
            } else if let transliteration = transliterations[scalar] {
                appendLetters(transliteration.utf8)
            } else if isSilent(scalar) {
                return
            } else if let base = latinBaseLetters(of: scalar) {
                appendLetters(base.utf8)
            } else {
                separatorPending = true
            }
        }

        for scalar in text.unicodeScalars {
            if !scalar.isASCII && scalar.properties.changesWhenLowercased {
                scalar.properties.lowercaseMapping.unicodeScalars.forEach(append)
            } else {
                append(scalar)
            }
            // One letter past the limit is enough to know whether the cut falls on a word boundary.
            if slug.count > maxLength { break }
        }

        if slug.count > maxLength {
            if slug[maxLength] == dash {
                slug.removeSubrange(maxLength...)
            } else if let lastDash = slug[..<maxLength].lastIndex(of: dash) {
                slug.removeSubrange(lastDash...)
            } else {
                slug.removeSubrange(maxLength...)
            }
        }
        return slug.isEmpty ? fallback : String(decoding: slug, as: UTF8.self)
    }

    /// Whether `slug` is non-empty, at most `maximumLength` characters of `[a-z0-9-]`, and has no
    /// leading, trailing or doubled dash.
    public static func isValid(_ slug: String) -> Bool {
        let bytes = slug.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength, bytes.first != dash, bytes.last != dash else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case dash where previous != dash: break
            default: return false
            }
            previous = byte
        }
        return true
    }

    /// `base` if it is not taken, otherwise the first of `base-2`, `base-3`… that is not.
    public static func uniqued(_ base: String, taken: (String) -> Bool) -> String {
        guard taken(base) else { return base }
        var number = 2
        while taken("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }

    private static let dash = UInt8(ascii: "-")

    /// Scalars dropped without a separator: apostrophes, combining marks (decomposed accents) and
    /// invisible format characters such as soft hyphens.
    private static func isSilent(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\u{2019}" || scalar == "\u{02BC}" { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// The ASCII letters of an accented Latin letter. Unicode names each one "LATIN SMALL LETTER O WITH
    /// STROKE", "… E WITH CIRCUMFLEX AND DOT BELOW" and so on, so reading the base letter from the name
    /// covers every diacritic, including those with no canonical decomposition (ø, ł, đ), without a table.
    private static func latinBaseLetters(of scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x00C0...0x024F, 0x1E00...0x1EFF: break
        default: return nil
        }
        guard let name = scalar.properties.name else { return nil }
        let letter: Substring
        if name.hasPrefix(smallLetterPrefix) {
            letter = name.dropFirst(smallLetterPrefix.count).prefix { $0 != " " }
        } else if name.hasPrefix(capitalLetterPrefix) {
            letter = name.dropFirst(capitalLetterPrefix.count).prefix { $0 != " " }
        } else {
            return nil
        }
        // Longer words are names of their own ("ETH", "SHARP S", "SCHWA"), not base letters.
        let isUppercaseASCII = { (byte: UInt8) in (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
        guard (1...2).contains(letter.utf8.count), letter.utf8.allSatisfy(isUppercaseASCII) else { return nil }
        return letter.lowercased()
    }

    private static let smallLetterPrefix = "LATIN SMALL LETTER "
    private static let capitalLetterPrefix = "LATIN CAPITAL LETTER "

    /// Lower-case letters whose name gives no base letter (Latin special letters), Greek and Cyrillic
    /// (simplified common romanisations). An empty string drops the letter without a separator.
    private static let transliterations: [Unicode.Scalar: String] = [
        "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ı": "i", "ĳ": "ij", "ŋ": "ng", "ſ": "s", "ə": "e",
        // Greek
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
        "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
        "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
        "ά": "a", "έ": "e", "ή": "i", "ί": "i", "ό": "o", "ύ": "y", "ώ": "o", "ϊ": "i", "ϋ": "y",
        "ΐ": "i", "ΰ": "y",
        // Cyrillic
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ј": "j", "ђ": "dj", "ћ": "c", "џ": "dz",
        "љ": "lj", "њ": "nj", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    ]
}
