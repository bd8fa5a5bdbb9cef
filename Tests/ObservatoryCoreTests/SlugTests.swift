import ObservatoryCore
import Testing

struct SlugTests {
    @Test(arguments: [
        ("Município de São Paulo", "municipio-de-sao-paulo"),
        ("Københavns Kommune", "kobenhavns-kommune"),
        ("Mestna občina Maribor", "mestna-obcina-maribor"),
        ("Ærøskøbing Kommune", "aeroskobing-kommune"),
        ("Århus", "arhus"),
        ("ØRESUND", "oresund"),
        ("Straße", "strasse"),
        ("GROẞE STRASSE", "grosse-strasse"),
        ("Œuvre", "oeuvre"),
        ("Đakovo Đ", "dakovo-d"),
        ("Łódź", "lodz"),
        ("Þórshöfn", "thorshofn"),
        ("Ísafjörður", "isafjordur"),
        ("ÐÆØÅ", "daeoa"),
        ("Diyarbakır", "diyarbakir"),
        ("İstanbul", "istanbul"),
        ("Bucureşti, Sectorul 1", "bucuresti-sectorul-1"),
        ("Hà Nội", "ha-noi"),
        ("Café\u{0301} Noir", "cafe-noir"),
        ("Cafe\u{0301}s", "cafes"),
    ])
    func stripsDiacriticsAndTransliteratesLatinLetters(text: String, slug: String) {
        #expect(Slug.make(from: text) == slug)
    }

    @Test(arguments: [
        ("Αθήνα", "athina"),
        ("Θεσσαλονίκη", "thessaloniki"),
        ("Δήμος Αθηναίων", "dimos-athinaion"),
        ("Москва", "moskva"),
        ("Санкт-Петербург", "sankt-peterburg"),
        ("Жуковский район", "zhukovskiy-rayon"),
        ("Подъезд", "podezd"),
        ("Їжак Ґанок", "yizhak-ganok"),
        ("Београд", "beograd"),
    ])
    func transliteratesGreekAndCyrillic(text: String, slug: String) {
        #expect(Slug.make(from: text) == slug)
    }

    @Test func dropsApostrophesWithoutASeparator() {
        #expect(Slug.make(from: "People's Budget") == "peoples-budget")
        #expect(Slug.make(from: "People’s Budget") == "peoples-budget")
        #expect(Slug.make(from: "L'Hospitalet de Llobregat") == "lhospitalet-de-llobregat")
    }

    @Test func collapsesOtherRunsOfNonAlphanumericsIntoOneDash() {
        #expect(Slug.make(from: "  --Hello,   World!--  ") == "hello-world")
        #expect(Slug.make(from: "snake_case.file/path") == "snake-case-file-path")
        #expect(Slug.make(from: "C++ & Rust: 2024 Edition") == "c-rust-2024-edition")
        #expect(Slug.make(from: "北京 Beijing 🎉 2024") == "beijing-2024")
        #expect(Slug.make(from: "Bundes\u{00AD}land") == "bundesland")
    }

    @Test(arguments: ["", "   ", "北京市", "🎉🇫🇷", "!!! ---", "'’"])
    func fallsBackToItemWhenNothingIsLeft(text: String) {
        #expect(Slug.make(from: text) == "item")
    }

    @Test func cutsAtADashWhenLongerThanMaxLength() {
        // "alpha-beta-gamma": the dashes are at offsets 5 and 10.
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 16) == "alpha-beta-gamma")
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 15) == "alpha-beta")
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 11) == "alpha-beta")
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 10) == "alpha-beta")
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 9) == "alpha")
        #expect(Slug.make(from: "Alpha beta gamma", maxLength: 3) == "alp")
        #expect(Slug.make(from: "Supercalifragilistic", maxLength: 5) == "super")
    }

    @Test func neverExceedsMaxLengthNorEndsInADash() {
        let title = "Município de São Paulo — Participatory Budgeting (2024 edition), part 2"
        for maxLength in 1...80 {
            let slug = Slug.make(from: title, maxLength: maxLength)
            #expect(slug.count <= maxLength)
            #expect(Slug.isValid(slug), "\(slug) at \(maxLength)")
        }
        let long = Slug.make(from: String(repeating: "word ", count: 100))
        #expect(long.count <= 80)
        #expect(long.hasSuffix("word"))
    }

    @Test(arguments: ["a", "item", "sao-paulo", "2024-report-3", String(repeating: "a", count: 200)])
    func acceptsValidSlugs(slug: String) {
        #expect(Slug.isValid(slug))
    }

    @Test(arguments: ["", "-a", "a-", "a--b", "A", "a b", "a_b", "são", "a/b", String(repeating: "a", count: 201)])
    func rejectsInvalidSlugs(slug: String) {
        #expect(!Slug.isValid(slug))
    }

    @Test func uniquedAppendsTheFirstFreeNumber() {
        #expect(Slug.uniqued("intro") { _ in false } == "intro")
        #expect(Slug.uniqued("intro") { $0 == "intro" } == "intro-2")
        let taken: Set = ["intro", "intro-2", "intro-3"]
        #expect(Slug.uniqued("intro", taken: taken.contains) == "intro-4")
        #expect(Slug.uniqued("report", taken: taken.contains) == "report")
    }
}
