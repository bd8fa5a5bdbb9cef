/// A Markdown renderer that is safe by construction: every character of the source reaches the HTML
/// output escaped, raw HTML is shown as text, and link and image addresses must pass a scheme
/// allow-list (http, https, mailto or relative). The output only ever contains the tags the renderer
/// writes itself, always balanced.
///
/// Supported: ATX and setext headings (with unique `id`s), paragraphs, fenced code, block quotes,
/// bullet and ordered lists, thematic breaks; code spans, strong and emphasis, inline links and images,
/// autolinks, backslash escapes, character references and hard line breaks. Inline parsing follows
/// the CommonMark rules for emphasis and link precedence.
public enum Markdown: Sendable {
    /// An HTML fragment for `markdown`.
    /// - Parameter image: what is known of an image by its address (files of the media
    ///   library): its width and height are written on the `<img>`, so pages keep its space while
    ///   it loads, it loads lazily, and its smaller copies are offered with `srcset`.
    public static func html(from markdown: String, image: ((String) -> ResponsiveImage?)? = nil) -> String {
        var renderer = HTMLRenderer()
        renderer.image = image
        renderer.render(BlockParser.parse(markdown), tightParagraphs: false)
        return String(decoding: renderer.output, as: UTF8.self)
    }

    /// The readable text of `markdown`: no Markdown syntax, link URLs, images or HTML tags (the
    /// contents of `script` and `style` elements are dropped too), blocks on separate lines.
    /// Without `includingHeadings`, heading text is left out, as a summary reads only sentences.
    public static func plainText(from markdown: String, includingHeadings: Bool = true) -> String {
        var renderer = PlainTextRenderer(includesHeadings: includingHeadings)
        renderer.render(BlockParser.parse(markdown))
        return String(decoding: renderer.output, as: UTF8.self)
    }
}

// MARK: - Blocks

private enum Block {
    case heading(level: Int, text: [UInt8])
    case paragraph([UInt8])
    case code(language: String?, text: [UInt8])
    case quote([Block])
    case list(isOrdered: Bool, start: Int, isTight: Bool, items: [[Block]])
    case rule
}

private typealias Line = ArraySlice<UInt8>

private enum BlockParser {
    /// Quotes and lists nested deeper than this are read as paragraph text, which bounds recursion.
    static let maximumNesting = 8

    static func parse(_ markdown: String) -> [Block] {
        let lines = splitLines(markdown)
        return parseBlocks(lines[...], depth: 0).blocks
    }

    /// Splits on LF, CR LF and CR, replaces NUL with U+FFFD and expands tabs in indentation to 4-column stops.
    static func splitLines(_ markdown: String) -> [Line] {
        var bytes = Array(markdown.utf8)
        if bytes.contains(0) {
            bytes = bytes.flatMap { $0 == 0 ? [0xEF, 0xBF, 0xBD] : [$0] }
        }
        var lines: [Line] = []
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == .lineFeed || byte == .carriageReturn {
                lines.append(expandingIndentationTabs(bytes[lineStart..<index]))
                if byte == .carriageReturn, index + 1 < bytes.count, bytes[index + 1] == .lineFeed { index += 1 }
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < bytes.count { lines.append(expandingIndentationTabs(bytes[lineStart...])) }
        return lines
    }

    static func expandingIndentationTabs(_ line: Line) -> Line {
        let indentationEnd = line.firstIndex { $0 != .space && $0 != .tab } ?? line.endIndex
        guard line[..<indentationEnd].contains(.tab) else { return line }
        var expanded: [UInt8] = []
        for byte in line[..<indentationEnd] {
            if byte == .tab {
                expanded.append(contentsOf: repeatElement(.space, count: 4 - expanded.count % 4))
            } else {
                expanded.append(byte)
            }
        }
        expanded.append(contentsOf: line[indentationEnd...])
        return expanded[...]
    }

    /// The blocks of `lines`, and whether a blank line separates two of them (which makes a list loose).
    static func parseBlocks(_ lines: ArraySlice<Line>, depth: Int) -> (blocks: [Block], hasBlankBetweenBlocks: Bool) {
        var blocks: [Block] = []
        var blankPending = false
        var hasBlankBetweenBlocks = false
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            if isBlank(line) {
                blankPending = !blocks.isEmpty
                index += 1
                continue
            }
            if blankPending {
                hasBlankBetweenBlocks = true
                blankPending = false
            }
            let indent = indentation(of: line)
            let content = line.dropFirst(indent)
            if indent >= 4 {
                index = parseParagraph(lines, from: index, into: &blocks)
            } else if let fence = Fence(opening: content, indentation: indent) {
                index = parseFencedCode(fence, lines, from: index + 1, into: &blocks)
            } else if let heading = atxHeading(content) {
                blocks.append(heading)
                index += 1
            } else if isRule(content) {
                blocks.append(.rule)
                index += 1
            } else if depth < maximumNesting, content.first == .greaterThan {
                index = parseQuote(lines, from: index, depth: depth, into: &blocks)
            } else if depth < maximumNesting, let marker = ListMarker(line) {
                index = parseList(lines, from: index, marker: marker, depth: depth, into: &blocks)
            } else if let terminator = htmlBlockTerminator(content) {
                index = parseHTMLBlock(lines, from: index, terminator: terminator, into: &blocks)
            } else {
                index = parseParagraph(lines, from: index, into: &blocks)
            }
        }
        return (blocks, hasBlankBetweenBlocks)
    }

    static func parseFencedCode(
        _ fence: Fence, _ lines: ArraySlice<Line>, from start: Int, into blocks: inout [Block]
    ) -> Int {
        var text: [UInt8] = []
        var index = start
        while index < lines.endIndex {
            let line = lines[index]
            index += 1
            let indent = indentation(of: line)
            if fence.isClosed(by: line.dropFirst(indent)) { break }
            text.append(contentsOf: line.dropFirst(min(indent, fence.indentation)))
            text.append(.lineFeed)
        }
        blocks.append(.code(language: fence.language, text: text))
        return index
    }

    static func parseQuote(_ lines: ArraySlice<Line>, from start: Int, depth: Int, into blocks: inout [Block]) -> Int {
        var quoted: [Line] = []
        var index = start
        while index < lines.endIndex {
            let line = lines[index]
            let content = line.dropFirst(indentation(of: line))
            if content.first == .greaterThan, indentation(of: line) < 4 {
                let rest = content.dropFirst()
                quoted.append(rest.first == .space ? rest.dropFirst() : rest)
            } else if !isBlank(line), let previous = quoted.last, isLazyContinuation(line, after: previous) {
                quoted.append(content)
            } else {
                break
            }
            index += 1
        }
        blocks.append(.quote(parseBlocks(quoted[...], depth: depth + 1).blocks))
        return index
    }

    static func parseList(
        _ lines: ArraySlice<Line>, from start: Int, marker firstMarker: ListMarker, depth: Int, into blocks: inout [Block]
    ) -> Int {
        var items: [[Block]] = []
        var isLoose = false
        var marker = firstMarker
        var index = start
        while true {
            let firstLine = lines[index]
            var itemLines: [Line] = [firstLine.dropFirst(marker.contentIndentation)]
            var trailingBlankLines = 0
            index += 1
            while index < lines.endIndex {
                let line = lines[index]
                if isBlank(line) {
                    if marker.isEmpty && itemLines.count == 1 {
                        // An item can start with at most one blank line, so this one stays empty.
                        while index < lines.endIndex, isBlank(lines[index]) {
                            index += 1
                            trailingBlankLines += 1
                        }
                        break
                    }
                    itemLines.append(line[line.endIndex...])
                } else if indentation(of: line) >= marker.contentIndentation {
                    itemLines.append(line.dropFirst(marker.contentIndentation))
                } else if let previous = itemLines.last, isLazyContinuation(line, after: previous) {
                    itemLines.append(line.dropFirst(indentation(of: line)))
                } else {
                    break
                }
                index += 1
            }
            while itemLines.count > 1, let last = itemLines.last, isBlank(last) {
                itemLines.removeLast()
                trailingBlankLines += 1
            }
            let item = parseBlocks(itemLines[...], depth: depth + 1)
            items.append(item.blocks)
            isLoose = isLoose || item.hasBlankBetweenBlocks

            if index < lines.endIndex, !isRule(lines[index].dropFirst(indentation(of: lines[index]))),
               let next = ListMarker(lines[index]), next.continues(marker) {
                isLoose = isLoose || trailingBlankLines > 0
                marker = next
                continue
            }
            blocks.append(.list(isOrdered: firstMarker.isOrdered, start: firstMarker.start, isTight: !isLoose, items: items))
            return index - trailingBlankLines
        }
    }

    /// Collects an HTML block whose content may span blank lines (script, style, comment) so that the
    /// inline parser sees it whole and can drop it from plain text.
    static func parseHTMLBlock(
        _ lines: ArraySlice<Line>, from start: Int, terminator: String, into blocks: inout [Block]
    ) -> Int {
        var index = start
        while index < lines.endIndex {
            let found = lines[index].firstRange(ofIgnoringCase: terminator) != nil
            index += 1
            if found { break }
        }
        blocks.append(.paragraph(inlineText(of: lines[start..<index])))
        return index
    }

    static func parseParagraph(_ lines: ArraySlice<Line>, from start: Int, into blocks: inout [Block]) -> Int {
        var index = start + 1
        while index < lines.endIndex {
            let line = lines[index]
            if isBlank(line) { break }
            if let level = setextHeadingLevel(line) {
                blocks.append(.heading(level: level, text: inlineText(of: lines[start..<index])))
                return index + 1
            }
            if interruptsParagraph(line) { break }
            index += 1
        }
        blocks.append(.paragraph(inlineText(of: lines[start..<index])))
        return index
    }

    /// The lines joined by LF without their indentation. Trailing spaces stay on inner lines: two of
    /// them make a hard line break.
    static func inlineText(of lines: ArraySlice<Line>) -> [UInt8] {
        var text: [UInt8] = []
        for line in lines {
            if !text.isEmpty { text.append(.lineFeed) }
            text.append(contentsOf: line.drop { $0 == .space || $0 == .tab })
        }
        while let last = text.last, last == .space || last == .tab { text.removeLast() }
        return text
    }

    /// Whether `line`, not indented enough to belong to a quote or list item, still continues the
    /// paragraph that `previous` (the container's last line) ends with. Without a full parse the
    /// paragraph is recognised by `previous` not being a blank line or another kind of block.
    static func isLazyContinuation(_ line: Line, after previous: Line) -> Bool {
        guard !interruptsParagraph(line), ListMarker(line) == nil else { return false }
        // The innermost content of `previous`, inside any quote and list markers it opens with.
        var content = previous.dropFirst(indentation(of: previous))
        while true {
            if content.first == .greaterThan {
                content = content.dropFirst()
            } else if let marker = ListMarker(content), !isRule(content) {
                content = content.dropFirst(marker.contentIndentation)
            } else {
                break
            }
            content = content.dropFirst(indentation(of: content))
        }
        return !isBlank(content) && atxHeading(content) == nil && !isRule(content)
            && Fence(opening: content, indentation: 0) == nil
    }

    /// Whether `line` starts a block that ends a paragraph. Lines indented four or more spaces never
    /// do (in CommonMark they would be indented code, which is read as paragraph text here).
    static func interruptsParagraph(_ line: Line) -> Bool {
        let indent = indentation(of: line)
        guard indent < 4 else { return false }
        let content = line.dropFirst(indent)
        switch content.first {
        case nil: return false
        case .hash: return atxHeading(content) != nil
        case .backtick, .tilde: return Fence(opening: content, indentation: 0) != nil
        case .greaterThan: return true
        case .lessThan: return htmlBlockTerminator(content) != nil
        default:
            if isRule(content) { return true }
            guard let marker = ListMarker(line) else { return false }
            return !marker.isEmpty && (!marker.isOrdered || marker.start == 1)
        }
    }

    static func atxHeading(_ content: Line) -> Block? {
        let level = content.prefix { $0 == .hash }.count
        guard (1...6).contains(level) else { return nil }
        let rest = content.dropFirst(level)
        guard rest.isEmpty || rest.first == .space || rest.first == .tab else { return nil }
        var text = trimmed(rest)
        let closingHashes = text.reversed().prefix { $0 == .hash }.count
        if closingHashes > 0 {
            let beforeClosing = text.dropLast(closingHashes)
            if beforeClosing.isEmpty || beforeClosing.last == .space || beforeClosing.last == .tab {
                text = trimmed(beforeClosing)
            }
        }
        return .heading(level: level, text: Array(text))
    }

    static func setextHeadingLevel(_ line: Line) -> Int? {
        guard indentation(of: line) < 4 else { return nil }
        let content = trimmed(line)
        guard let first = content.first, first == .equals || first == .dash, content.allSatisfy({ $0 == first }) else {
            return nil
        }
        return first == .equals ? 1 : 2
    }

    static func isRule(_ content: Line) -> Bool {
        guard let marker = content.first, marker == .dash || marker == .asterisk || marker == .underscore else { return false }
        var count = 0
        for byte in content {
            if byte == marker {
                count += 1
            } else if byte != .space && byte != .tab {
                return false
            }
        }
        return count >= 3
    }

    /// For lines opening a script, style or similar element, or a comment: the text that ends it.
    static func htmlBlockTerminator(_ content: Line) -> String? {
        guard content.first == .lessThan else { return nil }
        if content.starts(with: "<!--".utf8) { return "-->" }
        let name = content.dropFirst().prefix { $0.isASCIILetter }
        guard let element = String(decoding: name, as: UTF8.self).lowercasedASCII(), rawTextElements.contains(element) else {
            return nil
        }
        let after = content.dropFirst(1 + name.count).first
        guard after == nil || after == .space || after == .tab || after == .greaterThan else { return nil }
        return "</" + element
    }

    struct Fence {
        let marker: UInt8
        let length: Int
        let indentation: Int
        let language: String?

        init?(opening content: Line, indentation: Int) {
            guard let marker = content.first, marker == .backtick || marker == .tilde else { return nil }
            let length = content.prefix { $0 == marker }.count
            guard length >= 3 else { return nil }
            let info = trimmed(content.dropFirst(length))
            if marker == .backtick && info.contains(.backtick) { return nil }
            let language = info.prefix { $0 != .space && $0 != .tab }
            self.marker = marker
            self.length = length
            self.indentation = indentation
            self.language = language.isEmpty ? nil : resolvingEscapes(language)
        }

        func isClosed(by content: Line) -> Bool {
            let run = content.prefix { $0 == marker }.count
            return run >= length && isBlank(content.dropFirst(run))
        }
    }

    struct ListMarker {
        let isOrdered: Bool
        /// The bullet character, or the `.` or `)` after the number.
        let delimiter: UInt8
        let start: Int
        /// Where item content begins; continuation lines indented this far belong to the item.
        let contentIndentation: Int
        let isEmpty: Bool

        init?(_ line: Line) {
            var position = line.startIndex + indentation(of: line)
            guard position < line.endIndex else { return nil }
            let first = line[position]
            if first == .dash || first == .asterisk || first == .plus {
                isOrdered = false
                delimiter = first
                start = 1
                position += 1
            } else if first.isASCIIDigit {
                var number = 0
                let digitsStart = position
                while position < line.endIndex, line[position].isASCIIDigit, position - digitsStart < 9 {
                    number = number * 10 + Int(line[position] - .zero)
                    position += 1
                }
                guard position < line.endIndex, line[position] == .period || line[position] == .closeParenthesis else {
                    return nil
                }
                isOrdered = true
                delimiter = line[position]
                start = number
                position += 1
            } else {
                return nil
            }
            let markerWidth = position - line.startIndex
            let spaces = line[position...].prefix { $0 == .space || $0 == .tab }.count
            if position + spaces == line.endIndex {
                isEmpty = true
                contentIndentation = markerWidth + 1
            } else {
                guard spaces > 0 else { return nil }
                isEmpty = false
                // Content indented five or more spaces keeps all but one of them.
                contentIndentation = markerWidth + (spaces > 4 ? 1 : spaces)
            }
        }

        func continues(_ previous: ListMarker) -> Bool {
            isOrdered == previous.isOrdered && delimiter == previous.delimiter
        }
    }

    static func indentation(of line: Line) -> Int {
        line.prefix { $0 == .space }.count
    }

    static func isBlank(_ line: Line) -> Bool {
        line.allSatisfy { $0 == .space || $0 == .tab }
    }

    static func trimmed(_ line: Line) -> Line {
        let isSpace = { (byte: UInt8) in byte == .space || byte == .tab }
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else {
            return line[line.endIndex...]
        }
        return line[first...last]
    }
}

/// Elements whose content is not text: their whole content is treated as part of the tag.
private let rawTextElements: Set<String> = ["script", "style", "noscript", "iframe", "template"]

/// Tags that separate words when HTML is stripped from plain text (`a<br>b` is "a b", `a<b>b</b>` is "ab").
private let wordSeparatingElements: Set<String> = rawTextElements.union([
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
])

// MARK: - Inlines

/// The inline content of one block as a tree of nodes kept in an array; node 0 is the root.
private struct Inlines {
    enum Kind {
        case root
        case text(Range<Int>)
        case scalar(Unicode.Scalar)
        case code(Range<Int>)
        case softBreak
        case hardBreak
        case rawHTML(Range<Int>, separatesWords: Bool)
        case emphasis
        case strong
        case link(SafeURL?, title: String?)
        case image(SafeURL?, title: String?)
    }

    struct Node {
        var kind: Kind
        var next = -1
        var previous = -1
        var firstChild = -1
        var lastChild = -1
    }

    let text: [UInt8]
    let nodes: [Node]

    init(parsing text: [UInt8]) {
        var parser = InlineParser(text: text)
        parser.parse()
        self.text = text
        self.nodes = parser.nodes
    }

    func appendHTML(to output: inout [UInt8], image: ((String) -> ResponsiveImage?)? = nil) {
        // Whether each link being visited wrote an anchor: a link inside a link (an autolink in link
        // text) renders as its text, as nested anchors are invalid HTML.
        var anchors: [Bool] = []
        walk(from: nodes[0].firstChild) { index, isEntering in
            switch nodes[index].kind {
            case .root:
                return true
            case .text(let range):
                HTMLEscaping.append(text[range], to: &output)
            case .scalar(let scalar):
                UTF8.encode(scalar) { HTMLEscaping.append(CollectionOfOne($0), to: &output) }
            case .code(let range):
                output.append(contentsOf: "<code>".utf8)
                HTMLEscaping.append(text[range].lazy.map { $0 == .lineFeed ? .space : $0 }, to: &output)
                output.append(contentsOf: "</code>".utf8)
            case .softBreak:
                output.append(.lineFeed)
            case .hardBreak:
                output.append(contentsOf: "<br>\n".utf8)
            case .rawHTML(let range, _):
                HTMLEscaping.append(text[range], to: &output)
            case .emphasis:
                output.append(contentsOf: (isEntering ? "<em>" : "</em>").utf8)
                return true
            case .strong:
                output.append(contentsOf: (isEntering ? "<strong>" : "</strong>").utf8)
                return true
            case .link(let url, let title):
                if isEntering {
                    let writesAnchor = url != nil && !anchors.contains(true)
                    anchors.append(writesAnchor)
                    if writesAnchor, let url {
                        output.append(contentsOf: "<a href=\"".utf8)
                        HTMLEscaping.append(url.value.utf8, to: &output)
                        output.append(.quote)
                        appendTitle(title, to: &output)
                        if url.isExternal { output.append(contentsOf: " rel=\"nofollow noopener\"".utf8) }
                        output.append(.greaterThan)
                    }
                } else if anchors.removeLast() {
                    output.append(contentsOf: "</a>".utf8)
                }
                return true
            case .image(let url, let title):
                var alt: [UInt8] = []
                appendPlainText(to: &alt, from: nodes[index].firstChild)
                if let url {
                    output.append(contentsOf: "<img src=\"".utf8)
                    HTMLEscaping.append(url.value.utf8, to: &output)
                    output.append(contentsOf: "\" alt=\"".utf8)
                    HTMLEscaping.append(alt, to: &output)
                    output.append(.quote)
                    appendTitle(title, to: &output)
                    if let known = image?(url.value) {
                        output.append(contentsOf: " width=\"\(known.width)\" height=\"\(known.height)\" loading=\"lazy\" decoding=\"async\"".utf8)
                        if let srcset = known.srcset {
                            output.append(contentsOf: " srcset=\"".utf8)
                            HTMLEscaping.append(srcset.utf8, to: &output)
                            output.append(contentsOf: "\" sizes=\"".utf8)
                            HTMLEscaping.append(ImageRenditions.bodySizes.utf8, to: &output)
                            output.append(.quote)
                        }
                    }
                    output.append(.greaterThan)
                } else {
                    HTMLEscaping.append(alt, to: &output)
                }
            }
            return false
        }
    }

    private func appendTitle(_ title: String?, to output: inout [UInt8]) {
        guard let title else { return }
        output.append(contentsOf: " title=\"".utf8)
        HTMLEscaping.append(title.utf8, to: &output)
        output.append(.quote)
    }

    func appendPlainText(to output: inout [UInt8]) {
        appendPlainText(to: &output, from: nodes[0].firstChild)
    }

    private func appendPlainText(to output: inout [UInt8], from first: Int) {
        walk(from: first) { index, isEntering in
            guard isEntering else { return false }
            switch nodes[index].kind {
            case .root, .emphasis, .strong, .link:
                return true
            case .text(let range):
                output.append(contentsOf: text[range])
            case .scalar(let scalar):
                UTF8.encode(scalar) { output.append($0) }
            case .code(let range):
                output.append(contentsOf: text[range].lazy.map { $0 == .lineFeed ? .space : $0 })
            case .softBreak:
                output.append(.space)
            case .hardBreak:
                output.append(.lineFeed)
            case .rawHTML(_, let separatesWords):
                if separatesWords { output.append(.space) }
            case .image:
                break
            }
            return false
        }
    }

    /// Visits `first`, its siblings and their descendants depth first, without recursion: hostile input
    /// can nest emphasis thousands of levels deep. `visit` is called on entering each node and returns
    /// whether to descend; nodes it descended into are visited again on leaving.
    private func walk(from first: Int, _ visit: (_ index: Int, _ isEntering: Bool) -> Bool) {
        var open: [Int] = []
        var current = first
        while true {
            if current < 0 {
                guard let parent = open.popLast() else { return }
                _ = visit(parent, false)
                current = nodes[parent].next
            } else if visit(current, true) {
                open.append(current)
                current = nodes[current].firstChild
            } else {
                current = nodes[current].next
            }
        }
    }
}

/// Builds the inline tree in one left-to-right pass, with the CommonMark delimiter-stack algorithm
/// for emphasis and links. Unmatched markers simply stay text, so the tree always renders balanced.
private struct InlineParser {
    struct Delimiter {
        let node: Int
        let character: UInt8
        var count: Int
        let originalCount: Int
        let canOpen: Bool
        let canClose: Bool
        var previous: Int
        var next: Int
    }

    struct Bracket {
        let node: Int
        let isImage: Bool
        /// The delimiter on top of the stack when the bracket was seen.
        let delimiterBottom: Int
    }

    let text: [UInt8]
    var nodes = [Inlines.Node(kind: .root)]
    var delimiters: [Delimiter] = []
    var firstDelimiter = -1
    var lastDelimiter = -1
    var brackets: [Bracket] = []
    /// Links cannot contain links: once one closes, the `[` openers below it can no longer make links.
    var linkOpenersDisabledBelow = 0
    /// Lengths of backtick runs known to have no closing run further on.
    var unclosedBacktickRuns: Set<Int> = []
    /// For text searched for and not found: the earliest position the search started from. Remembering
    /// it keeps hostile input (many `<!--` without `-->`) linear.
    var failedSearches: [String: Int] = [:]

    init(text: [UInt8]) {
        self.text = text
    }

    mutating func parse() {
        let count = text.count
        var position = 0
        var textStart = 0
        while position < count {
            let byte = text[position]
            switch byte {
            case .lineFeed:
                var textEnd = position
                while textEnd > textStart, text[textEnd - 1] == .space { textEnd -= 1 }
                appendText(textStart..<textEnd)
                append(position - textEnd >= 2 ? .hardBreak : .softBreak)
                position = skipSpaces(from: position + 1)
                textStart = position
            case .backslash where position + 1 < count && text[position + 1] == .lineFeed:
                appendText(textStart..<position)
                append(.hardBreak)
                position = skipSpaces(from: position + 2)
                textStart = position
            case .backslash where position + 1 < count && text[position + 1].isASCIIPunctuation:
                appendText(textStart..<position)
                appendText(position + 1..<position + 2)
                position += 2
                textStart = position
            case .backtick:
                let runEnd = endOfRun(from: position)
                let length = runEnd - position
                if let closer = closingBacktickRun(from: runEnd, length: length) {
                    appendText(textStart..<position)
                    append(.code(codeSpanContent(runEnd..<closer)))
                    position = closer + length
                    textStart = position
                } else {
                    position = runEnd
                }
            case .asterisk, .underscore:
                let runEnd = endOfRun(from: position)
                appendText(textStart..<position)
                pushDelimiter(position..<runEnd)
                position = runEnd
                textStart = position
            case .exclamationMark where position + 1 < count && text[position + 1] == .openBracket, .openBracket:
                let isImage = byte == .exclamationMark
                let openerEnd = position + (isImage ? 2 : 1)
                appendText(textStart..<position)
                let node = append(.text(position..<openerEnd))
                brackets.append(Bracket(node: node, isImage: isImage, delimiterBottom: lastDelimiter))
                position = openerEnd
                textStart = position
            case .closeBracket:
                appendText(textStart..<position)
                if let end = closeBracket(at: position) {
                    position = end
                    textStart = end
                } else {
                    textStart = position
                    position += 1
                }
            case .lessThan:
                if let autolink = scanAutolink(at: position) {
                    appendText(textStart..<position)
                    let link = append(.link(autolink.url, title: nil))
                    let label = nodes.count
                    nodes.append(Inlines.Node(kind: .text(autolink.label)))
                    nodes[link].firstChild = label
                    nodes[link].lastChild = label
                    position = autolink.end
                    textStart = position
                } else if let html = scanRawHTML(at: position) {
                    appendText(textStart..<position)
                    append(.rawHTML(position..<html.end, separatesWords: html.separatesWords))
                    position = html.end
                    textStart = position
                } else {
                    position += 1
                }
            case .ampersand:
                if let reference = CharacterReference.decode(text[...], at: position) {
                    appendText(textStart..<position)
                    append(.scalar(reference.scalar))
                    position = reference.end
                    textStart = position
                } else {
                    position += 1
                }
            default:
                position += 1
            }
        }
        appendText(textStart..<count)
        processEmphasis(above: -1)
    }

    // MARK: Tree

    /// Appends a node as the last child of the root and returns its index.
    @discardableResult
    mutating func append(_ kind: Inlines.Kind) -> Int {
        let index = nodes.count
        let last = nodes[0].lastChild
        nodes.append(Inlines.Node(kind: kind, previous: last))
        if last >= 0 { nodes[last].next = index } else { nodes[0].firstChild = index }
        nodes[0].lastChild = index
        return index
    }

    mutating func appendText(_ range: Range<Int>) {
        if !range.isEmpty { append(.text(range)) }
    }

    /// Moves the siblings strictly between `opener` and `closer` into a new emphasis node between them.
    mutating func wrapEmphasis(from opener: Int, to closer: Int, isStrong: Bool) {
        let wrapper = nodes.count
        nodes.append(Inlines.Node(kind: isStrong ? .strong : .emphasis, next: closer, previous: opener))
        let first = nodes[opener].next
        if first != closer {
            let last = nodes[closer].previous
            nodes[wrapper].firstChild = first
            nodes[wrapper].lastChild = last
            nodes[first].previous = -1
            nodes[last].next = -1
        }
        nodes[opener].next = wrapper
        nodes[closer].previous = wrapper
    }

    // MARK: Emphasis

    mutating func pushDelimiter(_ run: Range<Int>) {
        let node = append(.text(run))
        let before = scalar(endingAt: run.lowerBound)
        let after = scalar(at: run.upperBound)
        let beforeIsSpace = before?.isMarkdownWhitespace ?? true
        let afterIsSpace = after?.isMarkdownWhitespace ?? true
        let beforeIsPunctuation = before?.isMarkdownPunctuation ?? false
        let afterIsPunctuation = after?.isMarkdownPunctuation ?? false
        let leftFlanking = !afterIsSpace && (!afterIsPunctuation || beforeIsSpace || beforeIsPunctuation)
        let rightFlanking = !beforeIsSpace && (!beforeIsPunctuation || afterIsSpace || afterIsPunctuation)
        let character = text[run.lowerBound]
        let canOpen: Bool
        let canClose: Bool
        if character == .asterisk {
            canOpen = leftFlanking
            canClose = rightFlanking
        } else {
            // Underscores inside words (snake_case) are not emphasis.
            canOpen = leftFlanking && (!rightFlanking || beforeIsPunctuation)
            canClose = rightFlanking && (!leftFlanking || afterIsPunctuation)
        }
        guard canOpen || canClose else { return }
        let index = delimiters.count
        delimiters.append(Delimiter(
            node: node, character: character, count: run.count, originalCount: run.count,
            canOpen: canOpen, canClose: canClose, previous: lastDelimiter, next: -1
        ))
        if lastDelimiter >= 0 { delimiters[lastDelimiter].next = index } else { firstDelimiter = index }
        lastDelimiter = index
    }

    /// Matches closers with openers above `bottom` (a delimiter index, or -1 for the whole stack),
    /// then removes every delimiter above `bottom`: those left unmatched are plain text.
    mutating func processEmphasis(above bottom: Int) {
        // The lowest opener worth trying, per closer character, "can also open" and length modulo 3.
        var openersBottom = [Int](repeating: bottom, count: 12)
        var current = bottom >= 0 ? delimiters[bottom].next : firstDelimiter
        while current >= 0 {
            let closer = delimiters[current]
            guard closer.canClose else {
                current = closer.next
                continue
            }
            let key = (closer.character == .asterisk ? 0 : 6) + (closer.canOpen ? 3 : 0) + closer.originalCount % 3
            var candidate = closer.previous
            var opener = -1
            while candidate >= 0, candidate != bottom, candidate != openersBottom[key] {
                let delimiter = delimiters[candidate]
                if delimiter.character == closer.character, delimiter.canOpen {
                    // The "rule of 3" keeps `*foo**bar*` from pairing the wrong runs.
                    let eitherCanBoth = delimiter.canClose || closer.canOpen
                    let sum = delimiter.originalCount + closer.originalCount
                    let bothMultiplesOf3 = delimiter.originalCount % 3 == 0 && closer.originalCount % 3 == 0
                    if !(eitherCanBoth && sum % 3 == 0 && !bothMultiplesOf3) {
                        opener = candidate
                        break
                    }
                }
                candidate = delimiter.previous
            }
            guard opener >= 0 else {
                openersBottom[key] = closer.previous
                if !closer.canOpen { removeDelimiter(current) }
                current = closer.next
                continue
            }
            let used = delimiters[opener].count >= 2 && closer.count >= 2 ? 2 : 1
            delimiters[opener].count -= used
            delimiters[current].count -= used
            let openerNode = delimiters[opener].node
            if case .text(let range) = nodes[openerNode].kind {
                nodes[openerNode].kind = .text(range.lowerBound..<range.lowerBound + delimiters[opener].count)
            }
            if case .text(let range) = nodes[closer.node].kind {
                nodes[closer.node].kind = .text(range.upperBound - delimiters[current].count..<range.upperBound)
            }
            wrapEmphasis(from: openerNode, to: closer.node, isStrong: used == 2)
            // Delimiters between the pair are left as text.
            delimiters[opener].next = current
            delimiters[current].previous = opener
            if delimiters[opener].count == 0 { removeDelimiter(opener) }
            if delimiters[current].count == 0 {
                let next = delimiters[current].next
                removeDelimiter(current)
                current = next
            }
        }
        if bottom >= 0 { delimiters[bottom].next = -1 } else { firstDelimiter = -1 }
        lastDelimiter = bottom
    }

    mutating func removeDelimiter(_ index: Int) {
        let delimiter = delimiters[index]
        if delimiter.previous >= 0 {
            delimiters[delimiter.previous].next = delimiter.next
        } else {
            firstDelimiter = delimiter.next
        }
        if delimiter.next >= 0 {
            delimiters[delimiter.next].previous = delimiter.previous
        } else {
            lastDelimiter = delimiter.previous
        }
    }

    // MARK: Links

    /// Handles `]`: when it closes a bracket and is followed by `(destination "title")`, turns the
    /// bracket and everything after it into a link or image and returns the position after `)`.
    mutating func closeBracket(at position: Int) -> Int? {
        guard let bracket = brackets.last else { return nil }
        if !bracket.isImage && brackets.count - 1 < linkOpenersDisabledBelow {
            popBracket()
            return nil
        }
        guard let tail = linkTail(at: position + 1) else {
            popBracket()
            return nil
        }
        processEmphasis(above: bracket.delimiterBottom)
        let url = SafeURL(tail.destination)
        nodes[bracket.node].kind = bracket.isImage ? .image(url, title: tail.title) : .link(url, title: tail.title)
        let firstChild = nodes[bracket.node].next
        if firstChild >= 0 {
            nodes[bracket.node].firstChild = firstChild
            nodes[bracket.node].lastChild = nodes[0].lastChild
            nodes[firstChild].previous = -1
            nodes[bracket.node].next = -1
            nodes[0].lastChild = bracket.node
        }
        popBracket()
        if !bracket.isImage { linkOpenersDisabledBelow = brackets.count }
        return tail.end
    }

    mutating func popBracket() {
        brackets.removeLast()
        linkOpenersDisabledBelow = min(linkOpenersDisabledBelow, brackets.count)
    }

    /// Parses `(destination)` or `(destination "title")` (also `'title'` or `(title)`) at `start`.
    func linkTail(at start: Int) -> (destination: String, title: String?, end: Int)? {
        let count = text.count
        guard start < count, text[start] == .openParenthesis else { return nil }
        var position = skipWhitespace(from: start + 1)
        let destination: Range<Int>
        if position < count, text[position] == .lessThan {
            let destinationStart = position + 1
            position = destinationStart
            while position < count, text[position] != .greaterThan {
                if text[position] == .lineFeed || text[position] == .lessThan { return nil }
                position += text[position] == .backslash ? 2 : 1
            }
            guard position < count else { return nil }
            destination = destinationStart..<position
            position += 1
        } else {
            let destinationStart = position
            var depth = 0
            while position < count, text[position] > .space, text[position] != .delete {
                let byte = text[position]
                if byte == .backslash, position + 1 < count, text[position + 1].isASCIIPunctuation {
                    position += 2
                    continue
                }
                if byte == .openParenthesis {
                    depth += 1
                    if depth > 32 { return nil }
                } else if byte == .closeParenthesis {
                    if depth == 0 { break }
                    depth -= 1
                }
                position += 1
            }
            guard depth == 0 else { return nil }
            destination = destinationStart..<position
        }
        let destinationEnd = position
        position = skipWhitespace(from: position)
        var title: String?
        if position > destinationEnd, position < count, let closing = Self.titleClosing(for: text[position]) {
            let titleStart = position + 1
            position = titleStart
            while position < count, text[position] != closing {
                if closing == .closeParenthesis && text[position] == .openParenthesis { return nil }
                position += text[position] == .backslash ? 2 : 1
            }
            guard position < count else { return nil }
            title = resolvingEscapes(text[titleStart..<position])
            position = skipWhitespace(from: position + 1)
        }
        guard position < count, text[position] == .closeParenthesis else { return nil }
        return (resolvingEscapes(text[destination]), title, position + 1)
    }

    static func titleClosing(for opening: UInt8) -> UInt8? {
        switch opening {
        case .quote, .apostrophe: opening
        case .openParenthesis: .closeParenthesis
        default: nil
        }
    }

    /// `<scheme:…>` or `<user@example.org>`.
    func scanAutolink(at start: Int) -> (url: SafeURL?, label: Range<Int>, end: Int)? {
        let count = text.count
        let contentStart = start + 1
        var position = contentStart
        while position < count, text[position].isASCIIAlphanumeric || text[position] == .plus
            || text[position] == .period || text[position] == .dash {
            position += 1
        }
        let schemeLength = position - contentStart
        if (2...32).contains(schemeLength), text[contentStart].isASCIILetter, position < count, text[position] == .colon {
            while position < count, text[position] > .space, text[position] != .lessThan, text[position] != .greaterThan,
                  text[position] != .delete {
                position += 1
            }
            guard position < count, text[position] == .greaterThan else { return nil }
            let label = contentStart..<position
            return (SafeURL(String(decoding: text[label], as: UTF8.self)), label, position + 1)
        }
        position = contentStart
        while position < count, text[position].isEmailLocalCharacter { position += 1 }
        guard position > contentStart, position < count, text[position] == .at else { return nil }
        let domainStart = position + 1
        position = domainStart
        while position < count, text[position].isASCIIAlphanumeric || text[position] == .dash || text[position] == .period {
            position += 1
        }
        guard position > domainStart, position < count, text[position] == .greaterThan,
              text[domainStart].isASCIIAlphanumeric, text[position - 1].isASCIIAlphanumeric
        else { return nil }
        let label = contentStart..<position
        return (SafeURL("mailto:" + String(decoding: text[label], as: UTF8.self)), label, position + 1)
    }

    // MARK: Raw HTML

    /// A tag, comment, declaration, processing instruction or CDATA section at `start`, following the
    /// CommonMark grammar, so that it is shown (or stripped) as one piece. A script or style element
    /// extends to its closing tag, or to the end of the block when it has none.
    mutating func scanRawHTML(at start: Int) -> (end: Int, separatesWords: Bool)? {
        let count = text.count
        guard start + 1 < count else { return nil }
        switch text[start + 1] {
        case .exclamationMark:
            if hasPrefix("<!--", at: start) {
                return find("-->", from: start + 2).map { ($0 + 3, false) }
            }
            if hasPrefix("<![CDATA[", at: start) {
                return find("]]>", from: start + 9).map { ($0 + 3, false) }
            }
            guard start + 2 < count, text[start + 2].isASCIILetter else { return nil }
            return find(">", from: start + 2).map { ($0 + 1, false) }
        case .questionMark:
            return find("?>", from: start + 2).map { ($0 + 2, false) }
        case .slash:
            let nameEnd = endOfTagName(from: start + 2)
            guard nameEnd > start + 2 else { return nil }
            let end = skipWhitespace(from: nameEnd)
            guard end < count, text[end] == .greaterThan else { return nil }
            return (end + 1, wordSeparatingElements.contains(tagName(start + 2..<nameEnd)))
        case let byte where byte.isASCIILetter:
            let nameEnd = endOfTagName(from: start + 1)
            var position = nameEnd
            while true {
                let afterSpace = skipWhitespace(from: position)
                guard afterSpace < count else { return nil }
                if text[afterSpace] == .greaterThan {
                    position = afterSpace + 1
                    break
                }
                if text[afterSpace] == .slash, afterSpace + 1 < count, text[afterSpace + 1] == .greaterThan {
                    position = afterSpace + 2
                    break
                }
                guard afterSpace > position, let attributeEnd = endOfAttribute(from: afterSpace) else { return nil }
                position = attributeEnd
            }
            let name = tagName(start + 1..<nameEnd)
            if rawTextElements.contains(name) {
                if let closing = firstRange(ofIgnoringCase: "</" + name, from: position),
                   let closingEnd = find(">", from: closing.upperBound) {
                    position = closingEnd + 1
                } else {
                    position = count
                }
            }
            return (position, wordSeparatingElements.contains(name))
        default:
            return nil
        }
    }

    func endOfTagName(from start: Int) -> Int {
        guard start < text.count, text[start].isASCIILetter else { return start }
        var position = start + 1
        while position < text.count, text[position].isASCIIAlphanumeric || text[position] == .dash { position += 1 }
        return position
    }

    func tagName(_ range: Range<Int>) -> String {
        String(decoding: text[range].lazy.map { $0.isASCIILetter ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// An attribute (`name`, `name=value`, `name='value'` or `name="value"`) starting at `start`.
    mutating func endOfAttribute(from start: Int) -> Int? {
        let count = text.count
        guard text[start].isASCIILetter || text[start] == .underscore || text[start] == .colon else { return nil }
        var position = start + 1
        while position < count, text[position].isASCIIAlphanumeric || text[position] == .underscore
            || text[position] == .period || text[position] == .colon || text[position] == .dash {
            position += 1
        }
        let nameEnd = position
        position = skipWhitespace(from: position)
        guard position < count, text[position] == .equals else { return nameEnd }
        position = skipWhitespace(from: position + 1)
        guard position < count else { return nil }
        switch text[position] {
        case .quote:
            return find("\"", from: position + 1).map { $0 + 1 }
        case .apostrophe:
            return find("'", from: position + 1).map { $0 + 1 }
        default:
            let valueStart = position
            while position < count {
                switch text[position] {
                case .space, .tab, .lineFeed, .quote, .apostrophe, .equals, .lessThan, .greaterThan, .backtick: break
                default:
                    position += 1
                    continue
                }
                break
            }
            return position > valueStart ? position : nil
        }
    }

    // MARK: Scanning

    func endOfRun(from start: Int) -> Int {
        var position = start + 1
        while position < text.count, text[position] == text[start] { position += 1 }
        return position
    }

    func skipSpaces(from start: Int) -> Int {
        var position = start
        while position < text.count, text[position] == .space || text[position] == .tab { position += 1 }
        return position
    }

    func skipWhitespace(from start: Int) -> Int {
        var position = start
        while position < text.count, text[position] == .space || text[position] == .tab || text[position] == .lineFeed {
            position += 1
        }
        return position
    }

    func hasPrefix(_ prefix: String, at start: Int) -> Bool {
        text[start...].starts(with: prefix.utf8)
    }

    mutating func find(_ needle: String, from start: Int) -> Int? {
        if let failedFrom = failedSearches[needle], start >= failedFrom { return nil }
        if let range = text[start...].firstRange(of: needle.utf8) { return range.lowerBound }
        failedSearches[needle] = min(start, failedSearches[needle] ?? start)
        return nil
    }

    func firstRange(ofIgnoringCase needle: String, from start: Int) -> Range<Int>? {
        text[start...].firstRange(ofIgnoringCase: needle)
    }

    mutating func closingBacktickRun(from start: Int, length: Int) -> Int? {
        guard !unclosedBacktickRuns.contains(length) else { return nil }
        var position = start
        while position < text.count {
            if text[position] == .backtick {
                let runStart = position
                position = endOfRun(from: position)
                if position - runStart == length { return runStart }
            } else {
                position += 1
            }
        }
        unclosedBacktickRuns.insert(length)
        return nil
    }

    /// A code span's content loses one space (or line break) on each side when it has one on both.
    func codeSpanContent(_ range: Range<Int>) -> Range<Int> {
        let isSpace = { (byte: UInt8) in byte == .space || byte == .lineFeed }
        guard range.count >= 2, isSpace(text[range.lowerBound]), isSpace(text[range.upperBound - 1]),
              !text[range].allSatisfy(isSpace)
        else { return range }
        return range.lowerBound + 1..<range.upperBound - 1
    }

    func scalar(at position: Int) -> Unicode.Scalar? {
        guard position < text.count else { return nil }
        var iterator = text[position...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    func scalar(endingAt position: Int) -> Unicode.Scalar? {
        guard position > 0 else { return nil }
        var start = position - 1
        while start > 0, position - start < 4, text[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start)
    }
}

// MARK: - Links

/// `text` with backslash escapes and character references resolved, as a browser would read them;
/// link addresses are checked in this form.
private func resolvingEscapes(_ text: ArraySlice<UInt8>) -> String {
    var resolved: [UInt8] = []
    var position = text.startIndex
    while position < text.endIndex {
        let byte = text[position]
        if byte == .backslash, position + 1 < text.endIndex, text[position + 1].isASCIIPunctuation {
            resolved.append(text[position + 1])
            position += 2
        } else if byte == .ampersand, let reference = CharacterReference.decode(text, at: position) {
            UTF8.encode(reference.scalar) { resolved.append($0) }
            position = reference.end
        } else {
            resolved.append(byte)
            position += 1
        }
    }
    return String(decoding: resolved, as: UTF8.self)
}

/// A link or image address that passed the allow-list, in the exact form that will be written into
/// the attribute (escaped), so what is checked is what the browser gets.
private struct SafeURL {
    let value: String
    /// http(s) and protocol-relative addresses, which get `rel="nofollow noopener"`.
    let isExternal: Bool

    private static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// Browsers ignore surrounding whitespace and control characters and drop tabs and newlines
    /// anywhere (`java\tscript:` is `javascript:`), so those are removed before the scheme is read;
    /// inner spaces are percent-encoded.
    init?(_ address: String) {
        let bytes = address.utf8
        let isIgnorable = { (byte: UInt8) in byte <= .space || byte == .delete }
        guard let first = bytes.firstIndex(where: { !isIgnorable($0) }),
              let last = bytes.lastIndex(where: { !isIgnorable($0) })
        else {
            self.value = ""
            self.isExternal = false
            return
        }
        var cleaned: [UInt8] = []
        for byte in bytes[first...last] {
            if byte == .space {
                cleaned.append(contentsOf: "%20".utf8)
            } else if !isIgnorable(byte) {
                cleaned.append(byte)
            }
        }
        // A colon before any `/`, `?` or `#` ends a scheme; anything else is a relative address.
        let schemeEnd = cleaned.firstIndex { $0 == .colon || $0 == .slash || $0 == .questionMark || $0 == .hash }
        if let schemeEnd, cleaned[schemeEnd] == .colon {
            guard let scheme = String(decoding: cleaned[..<schemeEnd], as: UTF8.self).lowercasedASCII(),
                  Self.allowedSchemes.contains(scheme)
            else { return nil }
            self.isExternal = scheme != "mailto"
        } else {
            let isSlash = { (byte: UInt8) in byte == .slash || byte == .backslash }
            self.isExternal = cleaned.count >= 2 && isSlash(cleaned[0]) && isSlash(cleaned[1])
        }
        self.value = String(decoding: cleaned, as: UTF8.self)
    }
}

/// Character references (`&amp;`, `&#106;`, `&#x6A;`): numeric ones in full, named ones from a
/// short table of those common in text plus those used to disguise URLs (`&colon;`, `&Tab;`…).
/// Unknown names stay literal text.
private enum CharacterReference {
    static func decode(_ bytes: ArraySlice<UInt8>, at start: Int) -> (scalar: Unicode.Scalar, end: Int)? {
        let limit = bytes.endIndex
        var position = start + 1
        guard position < limit else { return nil }
        if bytes[position] == .hash {
            position += 1
            let isHex = position < limit && bytes[position] | 0x20 == UInt8(ascii: "x")
            if isHex { position += 1 }
            let digitsStart = position
            var value: UInt32 = 0
            while position < limit, let digit = bytes[position].digitValue(hex: isHex) {
                value = min(value * (isHex ? 16 : 10) + digit, 0x110000)
                position += 1
            }
            guard position > digitsStart else { return nil }
            // Browsers accept numeric references without the semicolon, and so must the URL check.
            if position < limit, bytes[position] == .semicolon { position += 1 }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (scalar ?? "\u{FFFD}", position)
        }
        let nameStart = position
        while position < limit, position - nameStart < 32, bytes[position].isASCIIAlphanumeric { position += 1 }
        guard position > nameStart, position < limit, bytes[position] == .semicolon,
              let scalar = named[String(decoding: bytes[nameStart..<position], as: UTF8.self)]
        else { return nil }
        return (scalar, position + 1)
    }

    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "shy": "\u{AD}",
        "Tab": "\t", "NewLine": "\n", "colon": ":", "sol": "/", "bsol": "\\", "lpar": "(", "rpar": ")",
        "period": ".", "comma": ",", "semi": ";", "excl": "!", "quest": "?", "num": "#", "percnt": "%",
        "equals": "=", "plus": "+", "lowbar": "_", "ast": "*", "grave": "`", "lsqb": "[", "rsqb": "]",
        "copy": "©", "reg": "®", "trade": "™", "deg": "°", "middot": "·", "bull": "•", "hellip": "…",
        "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”",
        "bdquo": "„", "laquo": "«", "raquo": "»", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "sect": "§", "para": "¶", "times": "×", "divide": "÷", "plusmn": "±", "frac12": "½", "frac14": "¼",
        "frac34": "¾", "aacute": "á", "eacute": "é", "iacute": "í", "oacute": "ó", "uacute": "ú",
        "agrave": "à", "egrave": "è", "ccedil": "ç", "atilde": "ã", "otilde": "õ", "ntilde": "ñ",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "szlig": "ß", "ecirc": "ê", "ocirc": "ô",
    ]
}

// MARK: - Rendering

private struct HTMLRenderer {
    var output: [UInt8] = []
    var image: ((String) -> ResponsiveImage?)?
    private var usedIDs: Set<String> = []

    /// Paragraphs of tight list items are written without `<p>`.
    mutating func render(_ blocks: [Block], tightParagraphs: Bool) {
        for (index, block) in blocks.enumerated() {
            switch block {
            case .heading(let level, let text):
                let inlines = Inlines(parsing: text)
                var plainText: [UInt8] = []
                inlines.appendPlainText(to: &plainText)
                let id = Slug.uniqued(Slug.make(from: String(decoding: plainText, as: UTF8.self))) { usedIDs.contains($0) }
                usedIDs.insert(id)
                write("<h\(level) id=\"\(id.htmlEscaped)\">")
                inlines.appendHTML(to: &output, image: image)
                write("</h\(level)>\n")
            case .paragraph(let text):
                if tightParagraphs {
                    Inlines(parsing: text).appendHTML(to: &output, image: image)
                    if index < blocks.count - 1 { output.append(.lineFeed) }
                } else {
                    write("<p>")
                    Inlines(parsing: text).appendHTML(to: &output, image: image)
                    write("</p>\n")
                }
            case .code(let language, let text):
                write("<pre><code")
                if let language { write(" class=\"language-\(language.htmlEscaped)\"") }
                write(">")
                HTMLEscaping.append(text, to: &output)
                write("</code></pre>\n")
            case .quote(let children):
                write("<blockquote>\n")
                render(children, tightParagraphs: false)
                write("</blockquote>\n")
            case .list(let isOrdered, let start, let isTight, let items):
                write(!isOrdered ? "<ul>\n" : start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n")
                for item in items {
                    write("<li>")
                    if let first = item.first, !isTight || !first.isParagraph { output.append(.lineFeed) }
                    render(item, tightParagraphs: isTight)
                    write("</li>\n")
                }
                write(isOrdered ? "</ol>\n" : "</ul>\n")
            case .rule:
                write("<hr>\n")
            }
        }
    }

    private mutating func write(_ markup: String) {
        output.append(contentsOf: markup.utf8)
    }
}

private struct PlainTextRenderer {
    let includesHeadings: Bool
    var output: [UInt8] = []

    mutating func render(_ blocks: [Block]) {
        for block in blocks {
            switch block {
            case .heading where !includesHeadings:
                continue
            case .heading(_, let text), .paragraph(let text):
                var blockText: [UInt8] = []
                Inlines(parsing: text).appendPlainText(to: &blockText)
                appendBlock(blockText)
            case .code(_, let text):
                appendBlock(text)
            case .quote(let children):
                render(children)
            case .list(_, _, _, let items):
                for item in items { render(item) }
            case .rule:
                break
            }
        }
    }

    /// Appends a block's text on a line of its own, unless it is only white space (an HTML comment).
    private mutating func appendBlock(_ text: [UInt8]) {
        let isWhitespace = { (byte: UInt8) in byte == .space || byte == .lineFeed }
        guard let first = text.firstIndex(where: { !isWhitespace($0) }),
              let last = text.lastIndex(where: { !isWhitespace($0) })
        else { return }
        if !output.isEmpty { output.append(.lineFeed) }
        output.append(contentsOf: text[first...last])
    }
}

private extension Block {
    var isParagraph: Bool {
        if case .paragraph = self { true } else { false }
    }
}

// MARK: - Bytes

private extension Collection<UInt8> {
    /// The range of the first occurrence of the ASCII `needle`, ignoring the case of letters.
    func firstRange(ofIgnoringCase needle: String) -> Range<Index>? {
        let needle = Array(needle.utf8)
        guard let first = needle.first else { return nil }
        var start = startIndex
        while start != endIndex {
            if self[start].asciiLowercased == first {
                var position = start
                var matched = 0
                while matched < needle.count, position != endIndex, self[position].asciiLowercased == needle[matched] {
                    formIndex(after: &position)
                    matched += 1
                }
                if matched == needle.count { return start..<position }
            }
            formIndex(after: &start)
        }
        return nil
    }
}

private extension String {
    /// The string in lower case if it is ASCII-only, for comparing schemes and tag names.
    func lowercasedASCII() -> String? {
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: utf8.map(\.asciiLowercased), as: UTF8.self)
    }
}

private extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let exclamationMark = UInt8(ascii: "!")
    static let quote = UInt8(ascii: "\"")
    static let hash = UInt8(ascii: "#")
    static let ampersand = UInt8(ascii: "&")
    static let apostrophe = UInt8(ascii: "'")
    static let openParenthesis = UInt8(ascii: "(")
    static let closeParenthesis = UInt8(ascii: ")")
    static let asterisk = UInt8(ascii: "*")
    static let plus = UInt8(ascii: "+")
    static let dash = UInt8(ascii: "-")
    static let period = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let zero = UInt8(ascii: "0")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let lessThan = UInt8(ascii: "<")
    static let equals = UInt8(ascii: "=")
    static let greaterThan = UInt8(ascii: ">")
    static let questionMark = UInt8(ascii: "?")
    static let at = UInt8(ascii: "@")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let underscore = UInt8(ascii: "_")
    static let backtick = UInt8(ascii: "`")
    static let tilde = UInt8(ascii: "~")
    static let delete: UInt8 = 0x7F

    var isASCIILetter: Bool { (0x61...0x7A).contains(self | 0x20) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    var isASCIIAlphanumeric: Bool { isASCIILetter || isASCIIDigit }
    var asciiLowercased: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }

    var isASCIIPunctuation: Bool {
        (0x21...0x2F).contains(self) || (0x3A...0x40).contains(self) || (0x5B...0x60).contains(self)
            || (0x7B...0x7E).contains(self)
    }

    var isEmailLocalCharacter: Bool {
        isASCIIAlphanumeric || (isASCIIPunctuation && !"\"(),:;<>@[\\]".utf8.contains(self))
    }

    func digitValue(hex: Bool) -> UInt32? {
        if isASCIIDigit { return UInt32(self - .zero) }
        guard hex else { return nil }
        let lower = self | 0x20
        return (0x61...0x66).contains(lower) ? UInt32(lower - 0x61 + 10) : nil
    }
}

private extension Unicode.Scalar {
    var isMarkdownWhitespace: Bool {
        isASCII ? self == " " || (0x09...0x0D).contains(value) : properties.isWhitespace
    }

    /// ASCII punctuation and Unicode punctuation and symbols, as CommonMark's flanking rules use them.
    var isMarkdownPunctuation: Bool {
        if isASCII { return UInt8(value).isASCIIPunctuation }
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
