import ObservatoryCore
import Testing

struct ExcerptTests {
    @Test func returnsShortTextUnchangedWithoutEllipsis() {
        #expect(Excerpt.truncate(plainText: "Hello world") == "Hello world")
        #expect(Excerpt.make(fromMarkdown: "Hello **world**") == "Hello world")
        #expect(Excerpt.make(fromMarkdown: "") == "")
    }

    @Test func collapsesWhitespace() {
        #expect(Excerpt.truncate(plainText: "  Hello \n\n\t world\u{00A0}again  ") == "Hello world again")
    }

    @Test func keepsTextOfExactlyMaxLength() {
        #expect(Excerpt.truncate(plainText: "abcde fghi", maxLength: 10) == "abcde fghi")
        #expect(Excerpt.truncate(plainText: "Città São🇫🇷", maxLength: 10) == "Città São🇫🇷")
        #expect(Excerpt.make(fromMarkdown: "**aaaaa** *bbbb*", maxLength: 10) == "aaaaa bbbb")
    }

    @Test func cutsTextOfMaxLengthPlusOneAtAWordBoundary() {
        let excerpt = Excerpt.truncate(plainText: "abcde fghij", maxLength: 10)
        #expect(excerpt == "abcde…")
        #expect(excerpt.count <= 10)
    }

    @Test func usesTheWholeRoomWhenTheCutFallsOnASpace() {
        #expect(Excerpt.truncate(plainText: "abcd efgh ijkl", maxLength: 10) == "abcd efgh…")
    }

    @Test func dropsDanglingPunctuationBeforeTheEllipsis() {
        #expect(Excerpt.truncate(plainText: "Hello, world and more", maxLength: 8) == "Hello…")
        #expect(Excerpt.truncate(plainText: "First part; second part", maxLength: 14) == "First part…")
        #expect(Excerpt.truncate(plainText: "Note: something long", maxLength: 10) == "Note…")
        #expect(Excerpt.truncate(plainText: "Is it? Yes it is", maxLength: 10) == "Is it?…")
    }

    @Test func neverCutsInsideACharacter() {
        #expect(Excerpt.truncate(plainText: "Città di São Paulo é bella", maxLength: 15) == "Città di São…")
        #expect(Excerpt.truncate(plainText: "日本語のテキストです。とても長い文章。", maxLength: 5) == "日本語の…")
        #expect(Excerpt.truncate(plainText: "東京 大阪 名古屋 札幌", maxLength: 9) == "東京 大阪…")

        let flags = Excerpt.truncate(plainText: "🇫🇷🇩🇪🇮🇹🇪🇸🇬🇧", maxLength: 4)
        #expect(flags == "🇫🇷🇩🇪🇮🇹…")
        #expect(flags.unicodeScalars.count == 7)

        let combining = Excerpt.truncate(plainText: String(repeating: "e\u{0301}", count: 12), maxLength: 5)
        #expect(combining == String(repeating: "e\u{0301}", count: 4) + "…")
        #expect(combining.unicodeScalars.count == 9)

        let family = "👩‍👩‍👧‍👦"
        #expect(Excerpt.truncate(plainText: "ab " + String(repeating: family, count: 3), maxLength: 4) == "ab…")
        #expect(Excerpt.truncate(plainText: String(repeating: family, count: 4), maxLength: 3) == family + family + "…")
    }

    @Test func staysWithinMaxLengthForEveryLimit() {
        let text = "Prefeitura de São Paulo 🇧🇷 anuncia orçamento participativo: e\u{0301}tape 2, 東京 会議… fin."
        for maxLength in 1...text.count + 2 {
            let excerpt = Excerpt.truncate(plainText: text, maxLength: maxLength)
            #expect(excerpt.count <= maxLength)
            if text.count > maxLength {
                #expect(excerpt.hasSuffix("…"))
                #expect(text.hasPrefix(excerpt.dropLast()))
            } else {
                #expect(excerpt == text)
            }
        }
    }

    @Test func cutsASingleEnormousWord() {
        let word = String(repeating: "x", count: 10_000)
        let excerpt = Excerpt.truncate(plainText: word)
        #expect(excerpt == String(repeating: "x", count: Excerpt.defaultLength - 1) + "…")
        #expect(excerpt.count == Excerpt.defaultLength)
        #expect(Excerpt.truncate(plainText: "tiny " + word, maxLength: 20) == "tiny…")
    }

    @Test func handlesTinyLimits() {
        #expect(Excerpt.truncate(plainText: "Hello world", maxLength: 1) == "…")
        #expect(Excerpt.truncate(plainText: "Hello world", maxLength: 2) == "H…")
        #expect(Excerpt.truncate(plainText: "Hello world", maxLength: 0) == "")
        #expect(Excerpt.truncate(plainText: ",,,,,,,,", maxLength: 4) == ",,,…")
        #expect(Excerpt.truncate(plainText: ",,, abcdef", maxLength: 5) == ",,,…")
    }

    @Test func removesMarkdownAndHTMLFromTheBody() {
        let body = """
            # Participatory *budgeting*

            Residents **vote** on [projects](https://example.org/p) using `the app`.
            ![photo](/photo.jpg)

            <script>track()</script>
            <p class="lead">Over <b>10,000</b> votes&nbsp;cast &amp; counted.</p>

            - Parks
            - Schools
            """
        #expect(Excerpt.make(fromMarkdown: body) ==
            "Residents vote on projects using the app. Over 10,000 votes cast & counted. Parks Schools")
        #expect(Excerpt.make(fromMarkdown: body, maxLength: 40) == "Residents vote on projects using the…")
    }

    @Test func headingsStayOutUnlessTheyAreAllThereIs() {
        #expect(Excerpt.make(fromMarkdown: "Intro.\n\n## Why it mattered\n\nStaff knew.") == "Intro. Staff knew.")
        #expect(Excerpt.make(fromMarkdown: "Setext heading\n==\n\nText.") == "Text.")
        #expect(Excerpt.make(fromMarkdown: "# Agenda\n\n## To follow") == "Agenda To follow")
    }

    @Test func usesTheDefaultLength() {
        let body = String(repeating: "Lorem ipsum dolor sit amet. ", count: 40)
        let excerpt = Excerpt.make(fromMarkdown: body)
        // Character 500 falls inside the 18th "amet", so the cut comes after "sit".
        #expect(excerpt.count == 17 * 28 + 22)
        #expect(excerpt.hasSuffix("amet. Lorem ipsum dolor sit…"))
    }
}
