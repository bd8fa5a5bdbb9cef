import ObservatoryCore
import Testing

struct MarkdownBlockTests {
    @Test func joinsLinesIntoParagraphsSeparatedByBlankLines() {
        #expect(Markdown.html(from: "Hello\nworld\n\n\nSecond  one") == "<p>Hello\nworld</p>\n<p>Second  one</p>\n")
        #expect(Markdown.html(from: "") == "")
        #expect(Markdown.html(from: "Windows\r\nline\rendings") == "<p>Windows\nline\nendings</p>\n")
    }

    @Test func rendersHeadingsWithSlugIDs() {
        #expect(Markdown.html(from: "# Hello *World*!") == "<h1 id=\"hello-world\">Hello <em>World</em>!</h1>\n")
        #expect(Markdown.html(from: "###### Six ##") == "<h6 id=\"six\">Six</h6>\n")
        #expect(Markdown.html(from: "## C# \\#") == "<h2 id=\"c\">C# #</h2>\n")
        #expect(Markdown.html(from: "#NoSpace") == "<p>#NoSpace</p>\n")
        #expect(Markdown.html(from: "####### Seven") == "<p>####### Seven</p>\n")
        #expect(Markdown.html(from: "## São Paulo's [budget](/b)") == "<h2 id=\"sao-paulos-budget\">São Paulo&#39;s <a href=\"/b\">budget</a></h2>\n")
    }

    @Test func makesHeadingIDsUniqueWithinTheDocument() {
        let html = Markdown.html(from: "# Intro\n\n## Intro\n\nIntro\n---\n\n### Intro 2\n\n# 北京")
        #expect(html == """
            <h1 id="intro">Intro</h1>
            <h2 id="intro-2">Intro</h2>
            <h2 id="intro-3">Intro</h2>
            <h3 id="intro-2-2">Intro 2</h3>
            <h1 id="item">北京</h1>

            """)
    }

    @Test func rendersSetextHeadings() {
        #expect(Markdown.html(from: "Title\n=====\nSub\n---") == "<h1 id=\"title\">Title</h1>\n<h2 id=\"sub\">Sub</h2>\n")
    }

    @Test func rendersFencedCodeWithEscapedContent() {
        let markdown = "```swift\nlet html = \"<b>\" && x\n\n  indented\n```\nafter"
        #expect(Markdown.html(from: markdown) == """
            <pre><code class="language-swift">let html = &quot;&lt;b&gt;&quot; &amp;&amp; x

              indented
            </code></pre>
            <p>after</p>

            """)
        #expect(Markdown.html(from: "~~~\n**not bold** <i>\n~~~") == "<pre><code>**not bold** &lt;i&gt;\n</code></pre>\n")
        #expect(Markdown.html(from: "````\n```\nstill code") == "<pre><code>```\nstill code\n</code></pre>\n")
        #expect(Markdown.html(from: "```\"><script>x\ny\n```") == "<pre><code class=\"language-&quot;&gt;&lt;script&gt;x\">y\n</code></pre>\n")
    }

    @Test func rendersBlockQuotes() {
        #expect(Markdown.html(from: "> quoted\n> more\nlazy\n\ntext") == """
            <blockquote>
            <p>quoted
            more
            lazy</p>
            </blockquote>
            <p>text</p>

            """)
        #expect(Markdown.html(from: "> # Title\n>\n> > inner") == """
            <blockquote>
            <h1 id="title">Title</h1>
            <blockquote>
            <p>inner</p>
            </blockquote>
            </blockquote>

            """)
    }

    @Test func rendersTightListsWithoutParagraphs() {
        #expect(Markdown.html(from: "- one\n- two\n* three\n\n1. first\n2. second") == """
            <ul>
            <li>one</li>
            <li>two</li>
            </ul>
            <ul>
            <li>three</li>
            </ul>
            <ol>
            <li>first</li>
            <li>second</li>
            </ol>

            """)
        #expect(Markdown.html(from: "3) three\n4) four") == "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n")
    }

    @Test func rendersLooseListsWithParagraphs() {
        #expect(Markdown.html(from: "+ one\n\n+ two\n  continued") == """
            <ul>
            <li>
            <p>one</p>
            </li>
            <li>
            <p>two
            continued</p>
            </li>
            </ul>

            """)
    }

    @Test func rendersNestedLists() {
        #expect(Markdown.html(from: "- fruit\n  - apple\n  - pear\n- vegetables\n  1. leek\n\nafter") == """
            <ul>
            <li>fruit
            <ul>
            <li>apple</li>
            <li>pear</li>
            </ul>
            </li>
            <li>vegetables
            <ol>
            <li>leek</li>
            </ol>
            </li>
            </ul>
            <p>after</p>

            """)
    }

    @Test func doesNotStartListsInsideParagraphsOnNumbers() {
        #expect(Markdown.html(from: "Founded in\n1999. Since then") == "<p>Founded in\n1999. Since then</p>\n")
    }

    @Test(arguments: ["---", "***", "___", " - - -", "*  *  *"])
    func rendersHorizontalRules(rule: String) {
        #expect(Markdown.html(from: "above\n\n\(rule)\n\nbelow") == "<p>above</p>\n<hr>\n<p>below</p>\n")
    }

    @Test func limitsNestingDepth() {
        let html = Markdown.html(from: String(repeating: ">", count: 10_000) + " deep")
        #expect(html.hasPrefix("<blockquote>\n"))
        #expect(html.contains("&gt;&gt;&gt; deep"))
        #expect(htmlProblems(in: html).isEmpty)
    }
}

struct MarkdownInlineTests {
    @Test func rendersEmphasis() {
        #expect(Markdown.html(from: "*em* _em_ **strong** __strong__ ***both***") ==
            "<p><em>em</em> <em>em</em> <strong>strong</strong> <strong>strong</strong> <em><strong>both</strong></em></p>\n")
        #expect(Markdown.html(from: "**bold with *nested* em**") == "<p><strong>bold with <em>nested</em> em</strong></p>\n")
        #expect(Markdown.html(from: "in*word*emphasis") == "<p>in<em>word</em>emphasis</p>\n")
    }

    @Test func leavesUnderscoresInsideWordsAlone() {
        #expect(Markdown.html(from: "snake_case_name and __init__") == "<p>snake_case_name and <strong>init</strong></p>\n")
        #expect(Markdown.html(from: "2 * 3 * 4") == "<p>2 * 3 * 4</p>\n")
    }

    @Test func keepsUnbalancedMarkersAsText() {
        #expect(Markdown.html(from: "**bold") == "<p>**bold</p>\n")
        #expect(Markdown.html(from: "*a **b*") == "<p>*a *<em>b</em></p>\n")
        #expect(Markdown.html(from: "**a *b**") == "<p>*<em>a <em>b</em></em></p>\n")
        #expect(Markdown.html(from: "*a _b* c_") == "<p><em>a _b</em> c_</p>\n")
        #expect(Markdown.html(from: "***") == "<hr>\n")
        #expect(Markdown.html(from: "a ***") == "<p>a ***</p>\n")
        #expect(Markdown.html(from: "[link **text](/x) b**") == "<p><a href=\"/x\">link **text</a> b**</p>\n")
    }

    @Test func rendersCodeSpans() {
        #expect(Markdown.html(from: "Use `<div class=\"x\">` & `` a`b ``") ==
            "<p>Use <code>&lt;div class=&quot;x&quot;&gt;</code> &amp; <code>a`b</code></p>\n")
        #expect(Markdown.html(from: "`*not em*` *em*") == "<p><code>*not em*</code> <em>em</em></p>\n")
        #expect(Markdown.html(from: "``unclosed `code") == "<p>``unclosed `code</p>\n")
    }

    @Test func rendersLinks() {
        #expect(Markdown.html(from: "[Site](https://example.org/a?b=1&c=2)") ==
            "<p><a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"nofollow noopener\">Site</a></p>\n")
        #expect(Markdown.html(from: "[About](/about \"About us\")") == "<p><a href=\"/about\" title=\"About us\">About</a></p>\n")
        #expect(Markdown.html(from: "[Mail](mailto:info@example.org)") == "<p><a href=\"mailto:info@example.org\">Mail</a></p>\n")
        #expect(Markdown.html(from: "[*em* text](#top)") == "<p><a href=\"#top\"><em>em</em> text</a></p>\n")
        #expect(Markdown.html(from: "[a](<file name.pdf>)") == "<p><a href=\"file%20name.pdf\">a</a></p>\n")
        #expect(Markdown.html(from: "[a](https://en.wikipedia.org/wiki/Ada_(language))") ==
            "<p><a href=\"https://en.wikipedia.org/wiki/Ada_(language)\" rel=\"nofollow noopener\">a</a></p>\n")
        #expect(Markdown.html(from: "[not a link] (/x)") == "<p>[not a link] (/x)</p>\n")
        #expect(Markdown.html(from: "[outer [inner](/i)](/o)") == "<p>[outer <a href=\"/i\">inner</a>](/o)</p>\n")
    }

    @Test(arguments: ["/page", "#section", "./here", "../up", "page.html", "?q=1", ""])
    func allowsRelativeURLs(url: String) {
        #expect(Markdown.html(from: "[x](\(url))") == "<p><a href=\"\(url)\">x</a></p>\n")
    }

    @Test(arguments: ["http://example.org", "HTTPS://example.org", "//cdn.example.org/x"])
    func marksExternalLinksNofollow(url: String) {
        #expect(Markdown.html(from: "[x](\(url))") == "<p><a href=\"\(url)\" rel=\"nofollow noopener\">x</a></p>\n")
    }

    @Test func rendersImages() {
        #expect(Markdown.html(from: "![A *nice* \"view\"](/img/view.jpg \"Title\")") ==
            "<p><img src=\"/img/view.jpg\" alt=\"A nice &quot;view&quot;\" title=\"Title\"></p>\n")
        #expect(Markdown.html(from: "[![logo](/logo.png)](https://example.org)") ==
            "<p><a href=\"https://example.org\" rel=\"nofollow noopener\"><img src=\"/logo.png\" alt=\"logo\"></a></p>\n")
    }

    @Test func rendersAutolinks() {
        #expect(Markdown.html(from: "See <https://example.org/?a=1&b=2>.") ==
            "<p>See <a href=\"https://example.org/?a=1&amp;b=2\" rel=\"nofollow noopener\">https://example.org/?a=1&amp;b=2</a>.</p>\n")
        #expect(Markdown.html(from: "<info@example.org>") == "<p><a href=\"mailto:info@example.org\">info@example.org</a></p>\n")
        #expect(Markdown.html(from: "[a <https://x.org> b](/y)") == "<p><a href=\"/y\">a https://x.org b</a></p>\n")
    }

    @Test func appliesBackslashEscapesAndCharacterReferences() {
        #expect(Markdown.html(from: "\\*not em\\* \\[x\\](y) \\\\ \\a") == "<p>*not em* [x](y) \\ \\a</p>\n")
        #expect(Markdown.html(from: "AT&amp;T &copy; &#169; &#xA9; &unknown; & &lt;b&gt;") ==
            "<p>AT&amp;T © © © &amp;unknown; &amp; &lt;b&gt;</p>\n")
    }

    @Test func rendersHardLineBreaks() {
        #expect(Markdown.html(from: "one  \ntwo\\\nthree \nfour") == "<p>one<br>\ntwo<br>\nthree\nfour</p>\n")
    }
}

struct MarkdownSafetyTests {
    @Test func escapesRawHTML() {
        #expect(Markdown.html(from: "<script>alert('x')</script>") == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>\n")
        #expect(Markdown.html(from: "Hi <b onclick=\"x()\">there</b>") ==
            "<p>Hi &lt;b onclick=&quot;x()&quot;&gt;there&lt;/b&gt;</p>\n")
        #expect(Markdown.html(from: "<div>\n*a*\n</div>") == "<p>&lt;div&gt;\n<em>a</em>\n&lt;/div&gt;</p>\n")
    }

    @Test func neverOutputsAnImageTagFromRawHTML() {
        let html = Markdown.html(from: "<img src=x onerror=alert(1)>")
        #expect(html == "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n")
        #expect(!html.contains("<img"))
        #expect(htmlProblems(in: html).isEmpty)
    }

    @Test(arguments: [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "<  javascript:alert(1)>",
        "<java\tscript:alert(1)>",
        "java&#x09;script:alert(1)",
        "java&#9;script:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#0000106&#0000097vascript:alert(1)",
        "&#x6A&#x61&#x76&#x61script:alert(1)",
        "javascript&colon;alert(1)",
        "&NewLine;javascript:alert(1)",
        "java&Tab;script:alert(1)",
        "\\javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://example.org",
        "foo:bar",
    ])
    func dropsLinksWithDisallowedSchemes(url: String) {
        let html = Markdown.html(from: "[click *me*](\(url))")
        #expect(html == "<p>click <em>me</em></p>\n")
    }

    @Test func dropsAutolinksWithDisallowedSchemes() {
        #expect(Markdown.html(from: "<javascript:alert(1)>") == "<p>javascript:alert(1)</p>\n")
        #expect(Markdown.html(from: "<JAVASCRIPT:alert(1)>") == "<p>JAVASCRIPT:alert(1)</p>\n")
    }

    @Test func rendersImagesWithDisallowedSchemesAsAltText() {
        #expect(Markdown.html(from: "![a <b>chart</b>](data:image/svg+xml;base64,PHN2Zz4=)") == "<p>a chart</p>\n")
        #expect(Markdown.html(from: "![x](javascript:alert(1))") == "<p>x</p>\n")
    }

    @Test func escapesAttributeValues() {
        let html = Markdown.html(from: "[a](/x \"\\\" onmouseover=\\\"alert(1)\") ![\" onerror=\"alert(1)](/y.png)")
        #expect(html == "<p><a href=\"/x\" title=\"&quot; onmouseover=&quot;alert(1)\">a</a> "
            + "<img src=\"/y.png\" alt=\"&quot; onerror=&quot;alert(1)\"></p>\n")
        #expect(htmlProblems(in: html).isEmpty)
        #expect(Markdown.html(from: "[a](/x\"onclick=\"alert(1))") == "<p><a href=\"/x&quot;onclick=&quot;alert(1)\">a</a></p>\n")
    }

    @Test(arguments: [
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<a href=\"javascript:alert(1)\" onclick=alert(1)>x</a>",
        "[x](javascript:alert(1)) <iframe src=javascript:alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
        "![x\" onerror=\"alert(1)](x.png)",
        "<div style=\"background:url(javascript:alert(1))\">",
        "**<b onmouseover=alert(1)>**",
        "``` onload=x\ncode\n```",
        "# <h1 onclick=x>",
    ])
    func neverProducesEventHandlersOrUnexpectedTags(markdown: String) {
        let html = Markdown.html(from: markdown)
        #expect(htmlProblems(in: html).isEmpty, "\(html)")
    }

    @Test func producesWellFormedSafeHTMLForRandomInput() {
        let fragments = [
            "*", "**", "_", "__", "***", "[", "]", "(", ")", "![", "](", "<", ">", "`", "``", "```", "~~~", "\n", "\n\n",
            "# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "  ", "    ", "\\", "&", "&#x6A;", "&amp;", "&#0;", "&colon;",
            "javascript:", "java\tscript:", "data:", "http://x.org", "/rel", "mailto:a@b.c", "\"", "'", "<script>",
            "</script>", "<img src=x onerror=alert(1)>", "<!--", "-->", "<b>", "</b>", "on", "=", ":", "#", "---",
            "a", "word", " ", "é", "🇫🇷", "e\u{301}", "日本", "\u{0}", "\r\n", "\t", "<https://x.org>", "<a@b.co>",
        ]
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<1_500 {
            let count = Int(random.next() % 60)
            let markdown = (0..<count).map { _ in fragments[Int(random.next() % UInt64(fragments.count))] }.joined()
            let html = Markdown.html(from: markdown)
            let problems = htmlProblems(in: html)
            #expect(problems.isEmpty, "\(problems) for \(markdown.debugDescription) → \(html.debugDescription)")
            if !problems.isEmpty { return }
            _ = Markdown.plainText(from: markdown)
        }
    }

    @Test func handlesPathologicalInputWithoutDeepRecursion() {
        let inputs = [
            String(repeating: "*", count: 20_000) + "a" + String(repeating: "*", count: 20_000),
            String(repeating: "[", count: 20_000) + String(repeating: "](x)", count: 100),
            String(repeating: "*a ", count: 10_000) + String(repeating: "a* ", count: 10_000),
            String(repeating: "`", count: 5_000) + String(repeating: "` a ``", count: 2_000),
            String(repeating: "<!-- ", count: 10_000),
            String(repeating: "<a b=\"", count: 10_000),
            String(repeating: "- ", count: 5_000) + "x",
            String(repeating: "  - x\n", count: 5_000),
        ]
        for markdown in inputs {
            let html = Markdown.html(from: markdown)
            #expect(htmlProblems(in: html).isEmpty)
        }
    }
}

struct MarkdownPlainTextTests {
    @Test func removesMarkdownSyntax() {
        let markdown = """
            # The *Title*

            Some **bold** and [a link](https://example.org "t") with `code`,
            an ![image](/i.png) and <https://auto.link>.

            > Quoted text

            - one
            - two

            ```swift
            let x = 1
            ```

            ---
            AT&amp;T \\*stars\\*
            """
        #expect(Markdown.plainText(from: markdown) == """
            The Title
            Some bold and a link with code, an  and https://auto.link.
            Quoted text
            one
            two
            let x = 1
            AT&T *stars*
            """)
    }

    @Test func removesHTMLTagsAndScriptContent() {
        #expect(Markdown.plainText(from: "<b>bold</b> and <i class=\"x\">italic</i>") == "bold and italic")
        #expect(Markdown.plainText(from: "before<script>alert('<b>')</script>after") == "before after")
        #expect(Markdown.plainText(from: "a<br>b</p><p>c") == "a b  c")
        #expect(Markdown.plainText(from: "Text\n\n<script>\nvar a = 1;\n\nvar b = '*x*';\n</script>\n\nMore") == "Text\nMore")
        #expect(Markdown.plainText(from: "<style>p { color: red }</style>Visible<!-- hidden -->") == "Visible")
        #expect(Markdown.plainText(from: "Visible\n\n<!-- hidden\n\ncomment -->\n\nAfter") == "Visible\nAfter")
        #expect(Markdown.plainText(from: "<script>never closed\n\nstill script") == "")
        #expect(Markdown.plainText(from: "1 < 2 and 3 > 2") == "1 < 2 and 3 > 2")
    }
}

// MARK: - Helpers

/// Deterministic pseudo-random numbers for the generated-input test.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Problems in a rendered fragment: tags or attributes the renderer never writes, unbalanced tags,
/// unescaped text, or a link address outside the allow-list.
private func htmlProblems(in html: String) -> [String] {
    let voidTags: Set = ["br", "hr", "img"]
    let allowedAttributes: [String: Set<String>] = [
        "p": [], "em": [], "strong": [], "code": ["class"], "pre": [], "blockquote": [], "ul": [], "ol": ["start"],
        "li": [], "br": [], "hr": [], "h1": ["id"], "h2": ["id"], "h3": ["id"], "h4": ["id"], "h5": ["id"], "h6": ["id"],
        "a": ["href", "title", "rel"], "img": ["src", "alt", "title"],
    ]
    var problems: [String] = []
    var openTags: [String] = []
    var rest = Substring(html)
    while let tagStart = rest.firstIndex(of: "<") {
        problems += textProblems(in: rest[..<tagStart])
        guard let tagEnd = rest[tagStart...].firstIndex(of: ">") else {
            problems.append("unterminated tag")
            break
        }
        let tag = rest[rest.index(after: tagStart)..<tagEnd]
        rest = rest[rest.index(after: tagEnd)...]
        if tag.hasPrefix("/") {
            let name = String(tag.dropFirst())
            if openTags.popLast() != name { problems.append("unbalanced </\(name)>") }
            continue
        }
        let name = String(tag.prefix { $0.isLetter || $0.isNumber })
        guard let allowed = allowedAttributes[name] else {
            problems.append("unexpected tag <\(tag)>")
            continue
        }
        var attributes = tag.dropFirst(name.count)
        while !attributes.isEmpty {
            guard attributes.hasPrefix(" "), let equals = attributes.firstIndex(of: "=") else {
                problems.append("malformed attributes in <\(tag)>")
                break
            }
            let attribute = String(attributes[attributes.index(after: attributes.startIndex)..<equals])
            let valueStart = attributes.index(after: equals)
            guard attributes[valueStart...].hasPrefix("\""),
                  let valueEnd = attributes[attributes.index(after: valueStart)...].firstIndex(of: "\"")
            else {
                problems.append("unquoted value in <\(tag)>")
                break
            }
            let value = attributes[attributes.index(after: valueStart)..<valueEnd]
            if !allowed.contains(attribute) { problems.append("unexpected attribute \(attribute) in <\(tag)>") }
            problems += textProblems(in: value)
            if attribute == "href" || attribute == "src", !isAllowedURL(unescaping(value)) {
                problems.append("disallowed URL \(value)")
            }
            attributes = attributes[attributes.index(after: valueEnd)...]
        }
        if !voidTags.contains(name) { openTags.append(name) }
    }
    problems += textProblems(in: rest)
    if !openTags.isEmpty { problems.append("unclosed \(openTags)") }
    return problems
}

private func textProblems(in text: Substring) -> [String] {
    var problems: [String] = []
    if text.contains(">") || text.contains("\"") { problems.append("unescaped text \(text)") }
    var rest = text
    while let ampersand = rest.firstIndex(of: "&") {
        let reference = rest[ampersand...]
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(where: { reference.hasPrefix($0) }) {
            problems.append("unescaped & in \(text)")
        }
        rest = rest[rest.index(after: ampersand)...]
    }
    return problems
}

private func unescaping(_ value: Substring) -> String {
    String(value).replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
        .replacing("&#39;", with: "'").replacing("&amp;", with: "&")
}

/// The allow-list, restated independently of the renderer: no control characters or spaces, and a
/// scheme, if any, of http, https or mailto.
private func isAllowedURL(_ url: String) -> Bool {
    guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else { return false }
    guard let colon = url.firstIndex(of: ":") else { return true }
    let beforeColon = url[..<colon]
    if beforeColon.contains(where: { "/?#".contains($0) }) { return true }
    return ["http", "https", "mailto"].contains(beforeColon.lowercased())
}
