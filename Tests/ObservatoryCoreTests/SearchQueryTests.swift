import Testing
@testable import ObservatoryCore

@Suite struct SearchQueryTests {
    @Test func wordsAreFoldedAndTheLastIsAPrefix() {
        #expect(SearchQuery(parsing: "Open DATA São").terms == [
            .word("open", prefix: false), .word("data", prefix: false), .word("sao", prefix: true),
        ])
        #expect(SearchQuery(parsing: "open data ").terms.last == .word("data", prefix: false))
        #expect(SearchQuery(parsing: "open data?").terms.last == .word("data", prefix: false))
    }

    @Test func quotesMakePhrases() {
        #expect(SearchQuery(parsing: "\"open data\" portal").terms == [
            .phrase(["open", "data"]), .word("portal", prefix: true),
        ])
        // A quoted single word is exact; an unbalanced quote reads as plain words.
        #expect(SearchQuery(parsing: "\"permit\"").terms == [.word("permit", prefix: false)])
        #expect(SearchQuery(parsing: "“open data” x").terms.first == .phrase(["open", "data"]))
        #expect(SearchQuery(parsing: "\"open data").terms == [.word("open", prefix: false), .word("data", prefix: true)])
        // Stop words stay inside phrases.
        #expect(SearchQuery(parsing: "\"state of the art\"").terms == [.phrase(["state", "of", "the", "art"])])
    }

    @Test func joinedWordsArePhrasesAndOtherPunctuationSeparates() {
        #expect(SearchQuery(parsing: "e-government").terms == [.phrase(["e", "government"])])
        #expect(SearchQuery(parsing: "citizen's").terms == [.phrase(["citizen", "s"])])
        #expect(SearchQuery(parsing: "title:permits").terms == [.word("title", prefix: false), .word("permits", prefix: true)])
        #expect(SearchQuery(parsing: "NEAR(a b)*").terms == [.word("near", prefix: false), .word("b", prefix: false)])
    }

    @Test func nothingSearchableIsEmpty() {
        for input in ["", "   ", "the of and", "\"\"", "*", "-", "()", "🙂", "'", "…", "AND OR NOT"] {
            #expect(SearchQuery(parsing: input).isEmpty, "\(input)")
        }
        #expect(!SearchQuery(parsing: "AND OR NOT budget").isEmpty)
    }

    @Test func longInputIsBounded() {
        let query = SearchQuery(parsing: (1...5_000).map { "word\($0)" }.joined(separator: " "))
        #expect(query.terms.count == SearchQuery.maximumTerms)
        #expect(SearchQuery(parsing: "budget budget BUDGET").terms == [.word("budget", prefix: false), .word("budget", prefix: true)])
        #expect(SearchQuery(parsing: String(repeating: "a", count: 1_000)).words == [String(repeating: "a", count: 64)])
    }

    @Test func snippetsBecomeBalancedEscapedHTML() {
        let open = SearchSnippet.open, close = SearchSnippet.close
        #expect(SearchSnippet.html("a <b> \(open)budget\(close) & co") == "a &lt;b&gt; <mark>budget</mark> &amp; co")
        #expect(SearchSnippet.html("\(close)x \(open)y") == "x <mark>y</mark>")
        #expect(SearchSnippet.html("\(open)\(open)z\(close)\(close)") == "<mark>z</mark>")
        #expect(SearchSnippet.clean("a\(open)b\(close)c") == "abc")
        #expect(!SearchSnippet.hasMatch("plain"))
    }
}
