import Testing
@testable import ObservatoryCore

@Suite struct EnglishStemmerTests {
    @Test func britishAndAmericanSpellingsShareAStem() {
        let pairs = [
            ("behaviour", "behavior"), ("behavioural", "behavioral"), ("organisation", "organization"),
            ("organisations", "organizations"), ("organised", "organized"), ("programme", "program"),
            ("programmes", "programs"), ("analyse", "analyze"), ("catalogue", "catalog"), ("centre", "center"),
            ("defence", "defense"), ("licence", "license"), ("colourful", "colorful"), ("favourite", "favorite"),
            ("travelled", "traveled"), ("modelling", "modeling"), ("digitalisation", "digitalization"),
            ("neighbourhood", "neighborhood"), ("judgement", "judgment"),
        ]
        for (british, american) in pairs {
            #expect(EnglishStemmer.stem(british) == EnglishStemmer.stem(american), "\(british) / \(american)")
        }
    }

    @Test func inflectionsShareAStem() {
        for group in [["patient", "patients"], ["tax", "taxes"], ["nudge", "nudges", "nudging"],
                      ["hospital", "hospitals"], ["innovation", "innovations"], ["startup", "startups"],
                      ["legislation", "legislations"], ["connect", "connected", "connecting", "connection", "connections"]] {
            #expect(Set(group.map(EnglishStemmer.stem)).count == 1, "\(group)")
        }
        // Porter's own examples.
        #expect(EnglishStemmer.stem("caresses") == "caress")
        #expect(EnglishStemmer.stem("ponies") == "poni")
        #expect(EnglishStemmer.stem("relational") == "relat")
    }

    @Test func anyWordIsStemmedWithoutATrap() {
        // Words made of the letters and endings the rules look at, in every combination up to
        // five pieces ("hoped" once trapped: a suffix appended right after a stripped one).
        let pieces = ["a", "e", "i", "o", "u", "y", "b", "l", "s", "z", "t", "at", "bl", "iz", "ed", "ing", "ies", "sses",
                      "eed", "ational", "ize", "our", "ise", "logue", "ly", "ness", "ion", "ement"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let word = (0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let stem = EnglishStemmer.stem(word)
            #expect(!stem.isEmpty || word.isEmpty, "\(word)")
        }
        #expect(EnglishStemmer.stem("hoped") == "hope")
        #expect(EnglishStemmer.stem("filing") == "file")
    }

    @Test func wordsWhoseSpellingIsNotBritishKeepIt() {
        #expect(EnglishStemmer.stem("hours") != EnglishStemmer.stem("hors"))
        #expect(EnglishStemmer.stem("advertising") == EnglishStemmer.stem("advertise"))
        #expect(EnglishStemmer.stem("promise") != EnglishStemmer.stem("promize"))
        #expect(EnglishStemmer.stem("four") == "four")
        #expect(EnglishStemmer.stem("contour") == "contour")
        // Not English letters: kept as they are.
        #expect(EnglishStemmer.stem("ciudadanía") == "ciudadanía")
        #expect(EnglishStemmer.stem("北京") == "北京")
    }
}

@Suite struct SearchIndexTests {
    static let documents = [
        SearchIndexDocument(id: 1, type: .caseStudy, publishedAt: 100, title: "Hospital at home in Victoria", terms: ["Health"],
                            summary: "Patients recover at home instead of on a ward.",
                            body: "The programme shortened the average length of stay for patients by two days."),
        SearchIndexDocument(id: 2, type: .caseStudy, publishedAt: 200, title: "Letters that raise tax payments", terms: ["Taxation"],
                            summary: "Social norms in reminder letters to late payers.",
                            body: "The Behavioural Insights Team tested messages to collect unpaid taxes."),
        SearchIndexDocument(id: 3, type: .post, publishedAt: 300, title: "Time well spent", terms: [],
                            summary: "A blog post about waiting.", body: "People wait in queues at the hospital."),
        SearchIndexDocument(id: 4, type: .caseStudy, publishedAt: 400, title: "A virtual assistant answers citizens", terms: ["Digital"],
                            summary: "The agency's conversational agent answers questions at night.", body: "Public procurement of the software took a year."),
        SearchIndexDocument(id: 5, type: .caseStudy, publishedAt: 500, title: "Machine-consumable legislation", terms: ["Regulation"],
                            summary: "Drafting rules that software can run.", body: "Legislation published as code next to the text."),
        SearchIndexDocument(id: 6, type: .news, publishedAt: 600, title: "Tax office news", terms: [],
                            summary: "Opening hours.", body: "The tax office opens at nine. Tax tax tax tax tax."),
    ]
    static let index = SearchIndex(documents: documents)
    static let synonyms = SynonymTable(lines: [
        ["chatbot", "virtual agent", "virtual assistant", "conversational agent"],
        ["rules as code", "machine-consumable legislation"],
        ["behavioural insights", "nudge"],
    ])

    func ids(_ typed: String, options: SearchOptions = SearchOptions()) -> [Int64] {
        Self.index.search(SearchQuery(parsing: typed), synonyms: Self.synonyms, options: options).documents
            .map { Self.index.ids[Int($0.document)] }
    }

    @Test func anItemNeedNotHoldEveryWordAndMoreWordsRankHigher() {
        let found = ids("shorten the time patients spend in hospital")
        #expect(found.first == 1, "\(found)")
        #expect(Set(found) == [1, 3])
        // The plain search of older systems finds nothing for the same question.
        #expect(ids("shorten the time patients spend in hospital", options: SearchOptions(matchAll: true)).isEmpty)
    }

    @Test func titlesOutweighBodies() {
        // "hospital" is in 1's title and in 3's body.
        #expect(ids("hospital").prefix(2) == [1, 3])
    }

    @Test func itemsMatchingEveryWordOutrankOnesRepeatingOne() {
        // 6 says "tax" six times; 2 holds both words.
        #expect(ids("unpaid tax").first == 2)
    }

    @Test func synonymsFindTheOtherExpressions() {
        #expect(ids("chatbot") == [4])
        #expect(ids("nudge letters to collect unpaid taxes").first == 2)
        #expect(ids("rules as code").first == 5)
        #expect(ids("behavioral insights") == [2])
        // Without the table, the word alone finds nothing.
        #expect(Self.index.search(SearchQuery(parsing: "chatbot")).documents.isEmpty)
    }

    @Test func aMisspeltWordIsCorrectedAndSaidSo() {
        // "procurment" shares the stem of "procurement": found without correction.
        #expect(ids("procurment") == [4])
        #expect(Self.index.search(SearchQuery(parsing: "procurment")).corrections.isEmpty)
        let matches = Self.index.search(SearchQuery(parsing: "procuremnt"))
        #expect(matches.documents.map { Self.index.ids[Int($0.document)] } == [4])
        #expect(matches.corrections.map(\.used) == ["procurement"])
        #expect(matches.corrections.map(\.typed) == ["procuremnt"])
        let asTyped = Self.index.search(SearchQuery(parsing: "procuremnt"), options: SearchOptions(correctSpelling: false))
        #expect(asTyped.documents.isEmpty)
        #expect(asTyped.unmatched == ["procuremnt"])
    }

    @Test func wordsNoItemHoldsAreNamed() {
        let matches = Self.index.search(SearchQuery(parsing: "hospital zeppelin"))
        #expect(matches.unmatched == ["zeppelin"])
        #expect(matches.documents.map { Self.index.ids[Int($0.document)] }.first == 1)
    }

    @Test func excludedWordsLeaveItemsOut() {
        #expect(ids("hospital -queues") == [1])
        #expect(ids("tax -\"opening hours\"") == [2])
        #expect(ids("-tax") == [5, 4, 3, 1])
    }

    @Test func theLastWordTypedIsCompleted() {
        #expect(ids("hosp").contains(1))
        #expect(ids("hosp ").isEmpty)
    }

    @Test func phrasesAreHandedBackForAWordForWordCheck() {
        let matches = Self.index.search(SearchQuery(parsing: "\"unpaid taxes\" letters"))
        #expect(matches.phrases == [["unpaid", "taxes"]])
        #expect(matches.documents.map { Self.index.ids[Int($0.document)] } == [2])
    }

    @Test func highlightedStemsIncludeSynonymsAndCorrections() {
        let matches = Self.index.search(SearchQuery(parsing: "chatbot procurment"), synonyms: Self.synonyms)
        #expect(matches.stems.isSuperset(of: ["virtual", "assist", "procur"]))
        let snippet = SearchSnippet.make(from: Self.documents[3].body, stems: matches.stems) ?? ""
        #expect(SearchSnippet.html(snippet).contains("<mark>procurement</mark>"))
    }

    @Test func suggestionsAreCloseWordsOfTheIndex() {
        #expect(Self.index.suggestions(for: "hospitl").first == "hospital")
        #expect(Self.index.suggestions(for: "xyzzyq").isEmpty)
        #expect(SearchIndex.editDistance(Array("procurment".unicodeScalars), Array("procurement".unicodeScalars), limit: 2) == 1)
        #expect(SearchIndex.editDistance(Array("ab".unicodeScalars), Array("ba".unicodeScalars), limit: 2) == 1)
        #expect(SearchIndex.editDistance(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars), limit: 2) == nil)
    }

    @Test func hostileQueriesNeverTrap() {
        let long = String(repeating: "a", count: 10_000)
        for typed in [long, "\"\"\"", "-", "--x", "- - -", "-\"a b\"", "\u{0}\u{1}", String(repeating: "word ", count: 200), "🙂🙂", "x*y:z"] {
            _ = Self.index.search(SearchQuery(parsing: typed), synonyms: Self.synonyms)
        }
        let empty = SearchIndex(documents: [])
        #expect(empty.search(SearchQuery(parsing: "anything")).documents.isEmpty)
    }
}

@Suite struct SearchSnippetTests {
    @Test func theWindowWithTheMostMatchedWordsIsShown() {
        let text = (Array(repeating: "filler", count: 60) + ["unpaid", "taxes", "were", "collected"] + Array(repeating: "filler", count: 60))
            .joined(separator: " ")
        let snippet = SearchSnippet.make(from: text, stems: [EnglishStemmer.stem("tax"), EnglishStemmer.stem("unpaid")], length: 10) ?? ""
        #expect(SearchSnippet.html(snippet).contains("<mark>unpaid</mark> <mark>taxes</mark>"))
        #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
        #expect(SearchSnippet.make(from: text, stems: ["zzz"]) == nil)
    }

    @Test func britishSpellingIsHighlightedForAnAmericanQuery() {
        let snippet = SearchSnippet.make(from: "The Behavioural Insights Team.", stems: [EnglishStemmer.stem("behavioral")]) ?? ""
        #expect(SearchSnippet.html(snippet) == "The <mark>Behavioural</mark> Insights Team.")
    }
}

@Suite struct ExcludedWordsTests {
    @Test func aMinusSignLeavesAWordOut() {
        #expect(SearchQuery(parsing: "budget -local").terms == [.word("budget", prefix: false), .excluded(["local"])])
        #expect(SearchQuery(parsing: "budget -e-government").terms.last == .excluded(["e", "government"]))
        // A hyphen inside a word joins; a lone minus is punctuation.
        #expect(SearchQuery(parsing: "e-government").terms == [.phrase(["e", "government"])])
        #expect(SearchQuery(parsing: "budget - local").terms == [.word("budget", prefix: false), .word("local", prefix: true)])
        // Only words to leave out is a query for everything else.
        #expect(SearchQuery(keywords: "-tax")?.terms == [.excluded(["tax"])])
        #expect(SearchQuery(keywords: "-tax")?.isEmpty == true)
        #expect(SearchQuery(parsing: "tax -the").terms == [.word("tax", prefix: false)])
    }
}

@Suite struct RelatedItemsTests {
    @Test func itemsSharingTellingWordsAreRelated() {
        let documents = [
            SearchIndexDocument(id: 1, type: .caseStudy, publishedAt: 1, title: "Participatory budgeting in Porto Alegre", terms: ["Brazil", "Participation"],
                                summary: "", body: "Residents decide how part of the city budget is spent in neighbourhood assemblies."),
            SearchIndexDocument(id: 2, type: .caseStudy, publishedAt: 2, title: "Lisbon participatory budget", terms: ["Portugal", "Participation"],
                                summary: "", body: "Residents propose and vote on projects for the city budget."),
            SearchIndexDocument(id: 3, type: .caseStudy, publishedAt: 3, title: "Drone delivery of blood", terms: ["Rwanda", "Health"],
                                summary: "", body: "Drones carry blood to rural clinics in the city and beyond."),
            SearchIndexDocument(id: 4, type: .post, publishedAt: 4, title: "Participatory budgeting explained", terms: ["Participation"],
                                summary: "", body: "A blog post on budgets."),
        ]
        let index = SearchIndex(documents: documents)
        let first = documents[0]
        let related = index.related(title: first.title, terms: first.terms, text: first.body, excluding: 1, limit: 5) {
            index.types[Int($0)] == .caseStudy
        }
        #expect(related.first == 2)
        #expect(!related.contains(1))
        #expect(!related.contains(4))
    }
}
