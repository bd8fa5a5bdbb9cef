import ObservatoryCore

/// The `/innovations` page: the filter panel with a count beside every value, the active
/// filters as removable chips, the counter, then the list (with "compare") or the map.
enum CaseLibraryView {
    static func page(_ result: CaseSearchResult, texts: CaseTexts, _ context: PageContext) -> HTML {
        let query = result.query
        var notice: HTML = ""
        if query.keywordsIgnored, let keywords = query.keywords {
            notice = "<p class=\"notice\">\(context("search.commonWordsOnly", ["keywords": keywords]))</p>"
        }
        return """
        <h1>\(context(ContentType.caseStudy.pluralKey))</h1>
        <p class="lead">\(context("cases.intro"))</p>
        <p class="skip-filters"><a href="#results">\(context("cases.skipToResults", ["count": String(result.total)]))</a></p>
        <div class="library">
        \(filterPanel(result, texts.catalog, context))
        <div class="library-results" id="results" tabindex="-1">
        \(chips(result, texts.catalog, context))
        \(notice)
        <div class="result-bar">
        <p class="result-count" role="status">\(context("cases.count", ["count": String(result.total)]))</p>
        \(viewSwitch(query, context))
        </div>
        \(query.view == .map ? CaseMapView.render(result, context) : list(result, texts, context))
        </div>
        </div>
        """
    }

    // MARK: - Filter panel

    private static func filterPanel(_ result: CaseSearchResult, _ catalog: CaseCatalog, _ context: PageContext) -> HTML {
        let query = result.query
        let facets: [HTML] = CaseFacet.allCases.map { facet(facet: $0, result: result, context) }
        let sorts: [HTML] = CaseFacet.sorts.filter { $0 != .relevance || query.searchQuery != nil }.map { sort in
            let selected: HTML = query.effectiveSort == sort ? " selected" : ""
            return "<option value=\"\(sort.rawValue)\"\(selected)>\(context(sort.labelKey))</option>"
        }
        let sizes: [HTML] = CaseQuery.perPageChoices.map { size in
            let selected: HTML = query.perPage == size ? " selected" : ""
            return "<option value=\"\(size)\"\(selected)>\(size)</option>"
        }
        let bounds = catalog.yearBounds ?? CaseQuery.years
        let view: HTML = query.view == .list ? "" : "<input type=\"hidden\" name=\"view\" value=\"\(query.view.rawValue)\">"
        return """
        <form class="filters facet-panel" method="get" action="\(SiteURL.cases(CaseQuery()).path)" role="search" aria-label="\(context("cases.filtersLabel"))">
        <div class="field">
        <label for="q">\(context("search.keywords"))</label>
        <input type="search" id="q" name="q" value="\(query.keywords ?? "")" maxlength="\(SearchQuery.maximumKeywordLength)">
        </div>
        \(facets)
        <fieldset class="facet years">
        <legend>\(context("cases.yearLaunched"))</legend>
        <div class="year-range">
        <div class="field"><label for="from">\(context("cases.yearFrom"))</label>
        <input type="number" id="from" name="from" inputmode="numeric" min="\(bounds.lowerBound)" max="\(bounds.upperBound)" value="\(query.yearFrom.map(String.init) ?? "")"></div>
        <div class="field"><label for="to">\(context("cases.yearTo"))</label>
        <input type="number" id="to" name="to" inputmode="numeric" min="\(bounds.lowerBound)" max="\(bounds.upperBound)" value="\(query.yearTo.map(String.init) ?? "")"></div>
        </div>
        </fieldset>
        <div class="field">
        <label for="sort">\(context("search.sort"))</label>
        <select id="sort" name="sort">\(sorts)</select>
        </div>
        <div class="field">
        <label for="per_page">\(context("cases.perPage"))</label>
        <select id="per_page" name="per_page">\(sizes)</select>
        </div>
        \(view)
        <div class="actions"><button type="submit">\(context("search.apply"))</button></div>
        </form>
        """
    }

    private static func facet(facet: CaseFacet, result: CaseSearchResult, _ context: PageContext) -> HTML {
        let values = result.listedValues(facet)
        guard !values.isEmpty else { return "" }
        let options: [HTML] = values.map { value in
            let id = "\(facet.rawValue)-\(value.term.slug)"
            let checked: HTML = value.selected ? " checked" : ""
            return """
            <li><input type="checkbox" id="\(id)" name="\(facet.rawValue)" value="\(value.term.slug)"\(checked)>
            <label for="\(id)">\(value.term.name) <span class="count">(\(value.count))</span></label></li>
            """
        }
        // Long lists fold away unless one of their values is chosen.
        let open: HTML = values.count <= 8 || values.contains(where: \.selected) ? " open" : ""
        return """
        <details class="facet"\(open)>
        <summary>\(context(facet.labelKey))</summary>
        <fieldset>
        <legend class="visually-hidden">\(context(facet.labelKey))</legend>
        <ul class="facet-values">\(options)</ul>
        </fieldset>
        </details>
        """
    }

    // MARK: - Active filters

    private static func chips(_ result: CaseSearchResult, _ catalog: CaseCatalog, _ context: PageContext) -> HTML {
        let query = result.query
        guard query.isFiltered else { return "" }
        var chips: [HTML] = []
        func chip(_ label: String, removing: CaseQuery) {
            var target = removing
            target.page = 1
            chips.append("""
            <li><a class="chip" href="\(SiteURL.cases(target).path)"><span class="visually-hidden">\(context("cases.removeFilter"))</span> \(label) <span aria-hidden="true">×</span></a></li>
            """)
        }
        if let keywords = query.keywords {
            var without = query
            without.keywords = nil
            without.sort = query.sort == .relevance ? nil : query.sort
            chip(context("cases.chip.keywords", ["keywords": keywords]), removing: without)
        }
        for facet in CaseFacet.allCases {
            for slug in query.selected(facet) {
                let name = catalog.term(facet, slug: slug)?.name ?? slug
                chip(context("cases.chip.value", ["facet": context(facet.labelKey), "value": name]), removing: query.toggling(facet, slug))
            }
        }
        if query.yearFrom != nil || query.yearTo != nil {
            var without = query
            without.yearFrom = nil
            without.yearTo = nil
            let label: String
            switch (query.yearFrom, query.yearTo) {
            case let (from?, to?): label = context("cases.chip.years", ["from": String(from), "to": String(to)])
            case let (from?, nil): label = context("cases.chip.yearsFrom", ["from": String(from)])
            case let (nil, to?): label = context("cases.chip.yearsTo", ["to": String(to)])
            default: label = ""
            }
            chip(label, removing: without)
        }
        var cleared = CaseQuery()
        cleared.perPage = query.perPage
        cleared.view = query.view
        return """
        <section class="active-filters" aria-labelledby="active-filters-heading">
        <h2 id="active-filters-heading" class="visually-hidden">\(context("cases.activeFilters"))</h2>
        <ul class="chips">\(chips)<li><a class="clear" href="\(SiteURL.cases(cleared).path)">\(context("search.clear"))</a></li></ul>
        </section>
        """
    }

    private static func viewSwitch(_ query: CaseQuery, _ context: PageContext) -> HTML {
        let links: [HTML] = CaseView.allCases.map { view in
            var target = query
            target.view = view
            target.page = 1
            let current: HTML = query.view == view ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(SiteURL.cases(target).path)\"\(current)>\(context(L10nKey("cases.view.\(view.rawValue)")))</a></li>"
        }
        return "<nav class=\"view-switch\" aria-label=\"\(context("cases.viewLabel"))\"><ul>\(links)</ul></nav>"
    }

    // MARK: - Results

    private static func list(_ result: CaseSearchResult, _ texts: CaseTexts, _ context: PageContext) -> HTML {
        let query = result.query
        let url = { (page: Int) -> String in
            var target = query
            target.page = page
            return SiteURL.cases(target).path
        }
        if result.isPastEnd {
            return Layout.pastEndNotice(page: query.page, pages: result.pageCount, context, url: url)
        }
        if result.cases.isEmpty {
            return "<p class=\"notice\">\(context("cases.empty"))</p>"
        }
        let cards: [HTML] = result.cases.map { card($0, texts, context) }
        return """
        <form class="compare-form" method="get" action="\(SiteURL.compare([]).path)">
        <ul class="cards case-cards">\(cards)</ul>
        <div class="actions"><button type="submit">\(context("compare.submit", ["max": String(CompareView.maximum)]))</button></div>
        </form>
        \(Layout.pager(current: query.page, count: result.pageCount, context, url: url))
        """
    }

    private static func card(_ item: CaseCatalog.Case, _ texts: CaseTexts, _ context: PageContext) -> HTML {
        let catalog = texts.catalog
        var facts: [String] = catalog.terms(of: item, in: .country).map(\.name)
        facts += catalog.terms(of: item, in: .level).map(\.name)
        facts += catalog.terms(of: item, in: .organisation).map(\.name)
        if let year = item.yearLaunched { facts.append(context("cases.launched", ["year": String(year)])) }
        let badges: [HTML] = catalog.terms(of: item, in: .recognition).map { "<span class=\"badge\">\($0.name)</span>" }
        let excerpt = Layout.excerpt(snippet: texts.snippets[item.id], summary: texts.summaries[item.id] ?? "")
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
