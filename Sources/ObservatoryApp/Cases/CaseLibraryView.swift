import ObservatoryCore

/// The `/innovations` page: the filter panel with a count beside every value, the active
/// filters as removable chips, the counter, then the list (with "compare") or the map.
enum CaseLibraryView {
    static func page(_ page: LibraryPage<CaseFacet>, _ context: PageContext) -> HTML {
        let result = page.result
        let query = result.query
        let notice = SearchNotesView.library(page, context) { SiteURL.cases($0).path }
        return """
        <h1>\(context(ContentType.caseStudy.pluralKey))</h1>
        <p class="lead">\(context("cases.intro"))</p>
        <p class="skip-filters"><a href="#results">\(context("library.skipToResults", ["count": String(result.total)]))</a></p>
        <div class="library">
        \(filterPanel(result, page.catalog, context))
        <div class="library-results" id="results" tabindex="-1">
        \(chips(result, page.catalog, context))
        \(notice)
        <div class="result-bar">
        <p class="result-count" role="status">\(context("cases.count", ["count": String(result.total)]))</p>
        \(viewSwitch(query, context))
        </div>
        \(query.view == .map ? CaseMapView.render(result, context) : list(page, context))
        </div>
        </div>
        """
    }

    // MARK: - Filter panel

    private static func filterPanel(_ result: CaseSearchResult, _ catalog: CaseCatalog, _ context: PageContext) -> HTML {
        FacetPanel.panel(result, catalog, context, action: SiteURL.cases(CaseQuery()).path, label: "cases.filtersLabel",
                         yearLegend: "cases.yearLaunched")
    }

    // MARK: - Active filters

    private static func chips(_ result: CaseSearchResult, _ catalog: CaseCatalog, _ context: PageContext) -> HTML {
        FacetPanel.chips(result, catalog, context) { SiteURL.cases($0).path }
    }

    private static func viewSwitch(_ query: CaseQuery, _ context: PageContext) -> HTML {
        let links: [HTML] = LibraryView.allCases.map { view in
            var target = query
            target.view = view
            target.page = 1
            let current: HTML = query.view == view ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(SiteURL.cases(target).path)\"\(current)>\(context(L10nKey("cases.view.\(view.rawValue)")))</a></li>"
        }
        return "<nav class=\"view-switch\" aria-label=\"\(context("cases.viewLabel"))\"><ul>\(links)</ul></nav>"
    }

    // MARK: - Results

    private static func list(_ page: LibraryPage<CaseFacet>, _ context: PageContext) -> HTML {
        let result = page.result
        let query = result.query
        let url = { (page: Int) -> String in
            var target = query
            target.page = PageNumber(clamping: page)
            return SiteURL.cases(target).path
        }
        if result.isPastEnd {
            return Layout.pastEndNotice(page: query.page, pages: result.pageCount, context, url: url)
        }
        if result.entries.isEmpty {
            return "<p class=\"notice\">\(context("cases.empty"))</p>"
        }
        let cards: [HTML] = result.entries.map { card($0, page, context) }
        return """
        <form class="compare-form" method="get" action="\(SiteURL.compare([]).path)">
        <ul class="cards case-cards">\(cards)</ul>
        <div class="actions"><button type="submit">\(context("compare.submit", ["max": String(CompareView.maximum)]))</button></div>
        </form>
        \(Layout.pager(current: query.page, count: result.pageCount, context, url: url))
        """
    }

    private static func card(_ item: CaseCatalog.Entry, _ page: LibraryPage<CaseFacet>, _ context: PageContext) -> HTML {
        let catalog = page.catalog
        var facts: [String] = catalog.terms(of: item, in: .country).map(\.name)
        facts += catalog.terms(of: item, in: .level).map(\.name)
        facts += catalog.terms(of: item, in: .organisation).map(\.name)
        if let year = item.year { facts.append(context("cases.launched", ["year": String(year)])) }
        let badges: [HTML] = catalog.terms(of: item, in: .recognition).map { "<span class=\"badge\">\($0.name)</span>" }
        let excerpt = Layout.excerpt(snippet: page.snippets[item.id], summary: page.summaries[item.id] ?? "")
        let id = "compare-\(item.slug)"
        return """
        <li class="card">
        <p class="card-meta">\(facts.joined(separator: " · ")) \(badges)</p>
        <h2 class="card-title"><a href="\(SiteURL.item(.caseStudy, slug: item.slug).path)">\(item.title)</a></h2>
        \(excerpt)
        <p class="compare-choice"><input type="checkbox" id="\(id)" name="c" value="\(item.slug)">
        <label for="\(id)">\(context("compare.choose"))<span class="visually-hidden">: \(item.title)</span></label></p>
        </li>
        """
    }
}
