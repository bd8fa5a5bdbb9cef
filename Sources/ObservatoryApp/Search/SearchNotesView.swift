import ObservatoryCore

/// What a results page says about its keywords besides the results: the spelling it searched
/// instead (with a link to the words as typed), the words that matched nothing with close
/// words from the index, and the same search without the filters that emptied the page.
enum SearchNotesView {
    /// - Parameters:
    ///   - asTyped: the address of the same search without spelling correction.
    ///   - widened: the address and result count of the search without its filters, when the
    ///     filters left nothing.
    static func html(_ notes: SearchNotes, keywords: String, _ context: PageContext, asTyped: String,
                     widened: (href: String, count: Int)?) -> HTML {
        var parts: [HTML] = []
        if !notes.corrections.isEmpty {
            let corrected = Self.corrected(keywords, notes.corrections)
            parts.append("""
            <p class="notice" role="status">\(context("search.showingResultsFor", ["keywords": corrected]))
            <a href="\(asTyped)">\(context("search.searchAsTyped", ["keywords": keywords]))</a></p>
            """)
        }
        if !notes.unmatched.isEmpty {
            let words = notes.unmatched.map { "“\($0)”" }.joined(separator: ", ")
            var line: HTML = "\(context("search.unmatched", ["words": words]))"
            if !notes.suggestions.isEmpty {
                let links: [HTML] = notes.suggestions.map { word in
                    "<a href=\"\(SiteURL.search(keywords: word).path)\">\(word)</a>"
                }
                line = "\(line) \(context("search.closeWords")) \(links.joined(separator: ", "))"
            }
            parts.append("<p class=\"notice\">\(line)</p>")
        }
        if let widened {
            parts.append("""
            <p class="notice"><a href="\(widened.href)">\(context("search.withoutFilters", ["count": String(widened.count)]))</a></p>
            """)
        }
        return parts.joined(separator: "")
    }

    /// The notes of a faceted library's page; `path` gives the address of a query.
    static func library<Facet: CatalogFacet>(_ page: LibraryPage<Facet>, _ context: PageContext,
                                             path: (FacetQuery<Facet>) -> String) -> HTML {
        let query = page.result.query
        guard let keywords = query.keywords else { return "" }
        if query.keywordsIgnored {
            return "<p class=\"notice\">\(context("search.commonWordsOnly", ["keywords": keywords]))</p>"
        }
        var asTyped = query
        asTyped.searchOptions.correctSpelling = false
        asTyped.page = .first
        return html(page.notes, keywords: keywords, context, asTyped: path(asTyped),
                    widened: page.widened.map { (path($0.query), $0.count) })
    }

    /// The keywords with each corrected word replaced by the word searched instead.
    static func corrected(_ keywords: String, _ corrections: [(typed: String, used: String)]) -> String {
        let replacements = Dictionary(corrections.map { ($0.typed, $0.used) }, uniquingKeysWith: { first, _ in first })
        return keywords.split(separator: " ", omittingEmptySubsequences: false).map { token in
            let words = SearchTokenizer.words(in: String(token))
            guard words.count == 1, let used = replacements[words[0]] else { return String(token) }
            return used
        }.joined(separator: " ")
    }
}
