/// Reduces an English word to the stem the search index keys it by, so that "behaviour",
/// "behavioural", "behavior" and "behaviors" are one term, and so are "organisation",
/// "organizations" and "organised".
///
/// Two steps: British spellings are first written the American way (-our → -or, -ise/-isation
/// → -ize/-ization, -yse → -yze, -logue → -log, a table of single words such as "programme",
/// "centre" and "defence"), then M. F. Porter's suffix-stripping algorithm (1980) removes
/// inflections and derivational suffixes. Words that are not plain ASCII letters keep their
/// spelling: the stemmer knows English only.
public enum EnglishStemmer {
    /// The stem of `word`, which must be lower case without accents (as `SearchText` makes it).
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.count > 2, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        SpellingVariants.americanize(&bytes)
        guard bytes.count > 2 else { return String(decoding: bytes, as: UTF8.self) }
        var porter = Porter(bytes)
        porter.run()
        return String(decoding: porter.b[0...porter.k], as: UTF8.self)
    }
}

/// British spellings rewritten the American way before stemming.
enum SpellingVariants {
    private static let words: [String: String] = [
        "programme": "program", "programmes": "programs", "programmed": "programed",
        "centre": "center", "centres": "centers", "centred": "centered", "centring": "centering",
        "metre": "meter", "metres": "meters", "kilometre": "kilometer", "kilometres": "kilometers",
        "litre": "liter", "litres": "liters", "theatre": "theater", "theatres": "theaters",
        "fibre": "fiber", "fibres": "fibers", "calibre": "caliber", "manoeuvre": "maneuver",
        "defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
        "licence": "license", "licences": "licenses", "pretence": "pretense",
        "practise": "practice", "practised": "practiced", "practises": "practices", "practising": "practicing",
        "ageing": "aging", "grey": "gray", "tyre": "tire", "tyres": "tires", "aluminium": "aluminum",
        "enrolment": "enrollment", "enrolments": "enrollments", "fulfil": "fulfill", "fulfils": "fulfills",
        "skilful": "skillful", "wilful": "willful", "judgement": "judgment", "judgements": "judgments",
        "acknowledgement": "acknowledgment", "sceptic": "skeptic", "sceptical": "skeptical",
        "mould": "mold", "paediatric": "pediatric", "paediatrics": "pediatrics",
        "orthopaedic": "orthopedic", "anaemia": "anemia", "haemorrhage": "hemorrhage",
        "oestrogen": "estrogen", "foetus": "fetus", "encyclopaedia": "encyclopedia",
        "cheque": "check", "cheques": "checks", "draught": "draft", "plough": "plow",
        "storey": "story", "storeys": "stories", "kerb": "curb", "artefact": "artifact", "artefacts": "artifacts",
    ]

    /// Verbs and nouns whose -ise is no British spelling ("promise", "exercise", "advertise").
    private static let iseWords: Set<String> = [
        "advise", "advertise", "appraise", "apprise", "arise", "bruise", "chastise", "circumcise", "comprise",
        "compromise", "concise", "cruise", "demise", "despise", "devise", "disguise", "enterprise", "excise",
        "exercise", "expertise", "franchise", "guise", "improvise", "incise", "merchandise", "noise", "paradise",
        "poise", "praise", "precise", "premise", "prise", "promise", "raise", "reprise", "revise", "rise",
        "sunrise", "supervise", "surmise", "surprise", "televise", "treatise", "wise", "otherwise", "likewise",
        "clockwise", "tortoise", "porpoise", "valise", "mortise", "chemise", "cerise", "braise", "fundraise",
        "upraise", "uprise", "exorcise", "imprecise", "streetwise",
    ]

    /// Words where -our is no British spelling.
    private static let ourWords: Set<String> = [
        "flour", "scour", "devour", "contour", "detour", "amour", "velour", "paramour", "troubadour", "glamour",
        "outpour", "downpour",
    ]

    private static let ourEndings: [String] = ["", "s", "al", "ally", "ed", "ing", "ite", "ites", "able", "ably",
                                               "er", "ers", "ful", "less", "hood", "hoods", "ism"]
    private static let iseEndings: [String] = ["e", "es", "ed", "ing", "er", "ers"]

    static func americanize(_ bytes: inout [UInt8]) {
        let word = String(decoding: bytes, as: UTF8.self)
        if let american = words[word] {
            bytes = Array(american.utf8)
            return
        }
        // -isation(s), -isational → -ization…
        if let range = firstRange(of: Array("isation".utf8), in: bytes), range.lowerBound >= 3 {
            bytes[range.lowerBound + 1] = UInt8(ascii: "z")
            return
        }
        // -ise, -ised, -ising, -iser(s) → -ize…, unless the -ise word is spelt so everywhere.
        for ending in iseEndings {
            let suffix = Array(("is" + ending).utf8)
            guard bytes.count >= suffix.count + 3, bytes.suffix(suffix.count).elementsEqual(suffix) else { continue }
            let base = bytes.prefix(bytes.count - suffix.count)
            let iseForm = String(decoding: base, as: UTF8.self) + "ise"
            guard !iseWords.contains(iseForm), base.contains(where: isVowel) else { return }
            bytes[bytes.count - suffix.count + 1] = UInt8(ascii: "z")
            return
        }
        // analyse, paralyse, catalyse → -yze.
        for ending in ["e", "ed", "ing", "er", "ers"] {
            let suffix = Array(("lys" + ending).utf8)
            guard bytes.count >= suffix.count + 2, bytes.suffix(suffix.count).elementsEqual(suffix) else { continue }
            bytes[bytes.count - suffix.count + 2] = UInt8(ascii: "z")
            return
        }
        // catalogue, dialogue, analogue → -log.
        for suffix in ["logue", "logues"] {
            let ending = Array(suffix.utf8)
            guard bytes.count > ending.count, bytes.suffix(ending.count).elementsEqual(ending) else { continue }
            bytes.removeSubrange((bytes.count - ending.count + 3)..<(bytes.count - ending.count + 5))
            return
        }
        // behaviour, colourful, favourite, neighbourhood → -or.
        guard !ourWords.contains(word) else { return }
        for ending in ourEndings {
            let suffix = Array(("our" + ending).utf8)
            guard bytes.count >= suffix.count + 2, bytes.suffix(suffix.count).elementsEqual(suffix) else { continue }
            let stemEnd = bytes.count - suffix.count
            guard !ourWords.contains(String(decoding: bytes.prefix(stemEnd + 3), as: UTF8.self)) else { return }
            bytes.remove(at: stemEnd + 1)
            return
        }
    }

    private static func isVowel(_ byte: UInt8) -> Bool {
        byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75 || byte == 0x79
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
        }
        return nil
    }
}

/// Porter's algorithm over the lower-case ASCII letters `b[0...k]`.
private struct Porter {
    var b: [UInt8]
    var k: Int
    var j = 0

    init(_ bytes: [UInt8]) {
        b = bytes
        k = bytes.count - 1
    }

    private func isConsonant(_ i: Int) -> Bool {
        switch b[i] {
        case 0x61, 0x65, 0x69, 0x6F, 0x75: return false
        case 0x79: return i == 0 ? true : !isConsonant(i - 1)
        default: return true
        }
    }

    /// The number of vowel-consonant sequences in `b[0...j]`.
    private func measure() -> Int {
        var n = 0
        var i = 0
        while true {
            if i > j { return n }
            if !isConsonant(i) { break }
            i += 1
        }
        i += 1
        while true {
            while true {
                if i > j { return n }
                if isConsonant(i) { break }
                i += 1
            }
            i += 1
            n += 1
            while true {
                if i > j { return n }
                if !isConsonant(i) { break }
                i += 1
            }
            i += 1
        }
    }

    private func vowelInStem() -> Bool {
        guard j >= 0 else { return false }
        for i in 0...j where !isConsonant(i) { return true }
        return false
    }

    private func doubleConsonant(_ i: Int) -> Bool {
        i >= 1 && b[i] == b[i - 1] && isConsonant(i)
    }

    /// consonant-vowel-consonant ending at `i`, the last not w, x or y.
    private func cvc(_ i: Int) -> Bool {
        guard i >= 2, isConsonant(i), !isConsonant(i - 1), isConsonant(i - 2) else { return false }
        return b[i] != 0x77 && b[i] != 0x78 && b[i] != 0x79
    }

    private mutating func ends(_ s: StaticString) -> Bool {
        let length = s.utf8CodeUnitCount
        guard length <= k + 1 else { return false }
        let start = k - length + 1
        let matches = s.withUTF8Buffer { suffix in
            for offset in 0..<length where b[start + offset] != suffix[offset] { return false }
            return true
        }
        if matches { j = k - length }
        return matches
    }

    private mutating func setTo(_ s: StaticString) {
        let length = s.utf8CodeUnitCount
        // `j + 1` may be `k + 1` (a suffix appended after a stripped one): a half-open range.
        s.withUTF8Buffer { replacement in
            b.replaceSubrange((j + 1)..<(k + 1), with: replacement)
        }
        k = j + length
        if b.count > k + 1 { b.removeSubrange((k + 1)...) }
    }

    private mutating func replace(_ s: StaticString) {
        if measure() > 0 { setTo(s) }
    }

    mutating func run() {
        guard k > 1 else { return }
        step1ab()
        if k > 0 {
            step1c()
            step2()
            step3()
            step4()
            step5()
        }
    }

    private mutating func step1ab() {
        if b[k] == 0x73 {
            if ends("sses") { k -= 2 }
            else if ends("ies") { setTo("i") }
            else if b[k - 1] != 0x73 { k -= 1 }
        }
        if ends("eed") {
            if measure() > 0 { k -= 1 }
        } else if (ends("ed") || ends("ing")) && vowelInStem() {
            k = j
            if ends("at") { setTo("ate") }
            else if ends("bl") { setTo("ble") }
            else if ends("iz") { setTo("ize") }
            else if doubleConsonant(k) {
                k -= 1
                let ch = b[k]
                if ch == 0x6C || ch == 0x73 || ch == 0x7A { k += 1 }
            } else if measure() == 1 && cvc(k) {
                setTo("e")
            }
        }
        trim()
    }

    private mutating func step1c() {
        if ends("y") && vowelInStem() { b[k] = 0x69 }
    }

    private mutating func step2() {
        guard k >= 1 else { return }
        switch b[k - 1] {
        case 0x61:
            if ends("ational") { replace("ate") } else if ends("tional") { replace("tion") }
        case 0x63:
            if ends("enci") { replace("ence") } else if ends("anci") { replace("ance") }
        case 0x65:
            if ends("izer") { replace("ize") }
        case 0x6C:
            if ends("bli") { replace("ble") }
            else if ends("alli") { replace("al") }
            else if ends("entli") { replace("ent") }
            else if ends("eli") { replace("e") }
            else if ends("ousli") { replace("ous") }
        case 0x6F:
            if ends("ization") { replace("ize") }
            else if ends("ation") { replace("ate") }
            else if ends("ator") { replace("ate") }
        case 0x73:
            if ends("alism") { replace("al") }
            else if ends("iveness") { replace("ive") }
            else if ends("fulness") { replace("ful") }
            else if ends("ousness") { replace("ous") }
        case 0x74:
            if ends("aliti") { replace("al") }
            else if ends("iviti") { replace("ive") }
            else if ends("biliti") { replace("ble") }
        case 0x67:
            if ends("logi") { replace("log") }
        default: break
        }
        trim()
    }

    private mutating func step3() {
        switch b[k] {
        case 0x65:
            if ends("icate") { replace("ic") } else if ends("ative") { replace("") } else if ends("alize") { replace("al") }
        case 0x69:
            if ends("iciti") { replace("ic") }
        case 0x6C:
            if ends("ical") { replace("ic") } else if ends("ful") { replace("") }
        case 0x73:
            if ends("ness") { replace("") }
        default: break
        }
        trim()
    }

    private mutating func step4() {
        guard k >= 1 else { return }
        var found = false
        switch b[k - 1] {
        case 0x61: found = ends("al")
        case 0x63: found = ends("ance") || ends("ence")
        case 0x65: found = ends("er")
        case 0x69: found = ends("ic")
        case 0x6C: found = ends("able") || ends("ible")
        case 0x6E: found = ends("ant") || ends("ement") || ends("ment") || ends("ent")
        case 0x6F:
            if ends("ion") && j >= 0 && (b[j] == 0x73 || b[j] == 0x74) { found = true } else { found = ends("ou") }
        case 0x73: found = ends("ism")
        case 0x74: found = ends("ate") || ends("iti")
        case 0x75: found = ends("ous")
        case 0x76: found = ends("ive")
        case 0x7A: found = ends("ize")
        default: break
        }
        if found && measure() > 1 { k = j }
        trim()
    }

    private mutating func step5() {
        j = k
        if b[k] == 0x65 {
            let m = measure()
            if m > 1 || (m == 1 && !cvc(k - 1)) { k -= 1 }
        }
        if b[k] == 0x6C && doubleConsonant(k) && measure() > 1 { k -= 1 }
        trim()
    }

    private mutating func trim() {
        if b.count > k + 1 { b.removeSubrange((k + 1)...) }
    }
}
