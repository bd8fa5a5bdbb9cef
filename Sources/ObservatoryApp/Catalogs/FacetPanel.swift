import ObservatoryCore

/// The filter panel and active filters of a faceted library, for any facets.
enum FacetPanel {
    static func panel<Facet: CatalogFacet>(_ result: FacetSearchResult<Facet>, _ catalog: FacetCatalog<Facet>, _ context: PageContext,
                                           action: String, label: L10nKey, yearLegend: L10nKey? = nil) -> HTML {
        let query = result.query
        let facets: [HTML] = Facet.allCases.map { facet(facet: $0, result: result, context) }
        let sorts: [HTML] = Facet.Sort.allCases.filter { $0 != .relevance || query.searchQuery != nil }.map { sort in
            "<option value=\"\(sort.rawValue)\"\(query.effectiveSort == sort ? " selected" : "" as HTML)>\(context(sort.labelKey))</option>"
        }
        let sizes: [HTML] = FacetQuery<Facet>.perPageChoices.map { size in
            "<option value=\"\(size)\"\(query.perPage == size ? " selected" : "" as HTML)>\(size)</option>"
        }
        let bounds = catalog.yearBounds ?? FacetQuery<Facet>.years
        let years: HTML = if Facet.filtersByYear, let yearLegend { """
            <fieldset class="facet years">
            <legend>\(context(yearLegend))</legend>
            <div class="year-range">
            <div class="field"><label for="from">\(context("library.yearFrom"))</label>
            <input type="number" id="from" name="from" inputmode="numeric" min="\(bounds.lowerBound)" max="\(bounds.upperBound)" value="\(query.yearFrom.map(String.init) ?? "")"></div>
            <div class="field"><label for="to">\(context("library.yearTo"))</label>
            <input type="number" id="to" name="to" inputmode="numeric" min="\(bounds.lowerBound)" max="\(bounds.upperBound)" value="\(query.yearTo.map(String.init) ?? "")"></div>
            </div>
            </fieldset>
            """ } else { "" }
        let view: HTML = query.view == .list ? "" : "<input type=\"hidden\" name=\"view\" value=\"\(query.view.rawValue)\">"
        return """
        <form class="filters facet-panel" method="get" action="\(action)" role="search" aria-label="\(context(label))">
        <div class="field">
        <label for="q">\(context("search.keywords"))</label>
        <input type="search" id="q" name="q" value="\(query.keywords ?? "")" maxlength="\(SearchQuery.maximumKeywordLength)">
        </div>
        \(facets)
        \(years)
        <div class="field">
        <label for="sort">\(context("search.sort"))</label>
        <select id="sort" name="sort">\(sorts)</select>
        </div>
        <div class="field">
        <label for="per_page">\(context("library.perPage"))</label>
        <select id="per_page" name="per_page">\(sizes)</select>
        </div>
        \(view)
        <div class="actions"><button type="submit">\(context("search.apply"))</button></div>
        </form>
        """
    }

    static func facet<Facet: CatalogFacet>(facet: Facet, result: FacetSearchResult<Facet>, _ context: PageContext) -> HTML {
        let values = result.listedValues(facet)
        guard !values.isEmpty else { return "" }
        let options: [HTML] = values.map { value in
            let id = "\(facet.rawValue)-\(value.term.slug)"
            return """
            <li><input type="checkbox" id="\(id)" name="\(facet.rawValue)" value="\(value.term.slug)"\(value.selected ? " checked" : "" as HTML)>
            <label for="\(id)">\(value.term.name) <span class="count">(\(value.count))</span></label></li>
            """
        }
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

    static func chips<Facet: CatalogFacet>(_ result: FacetSearchResult<Facet>, _ catalog: FacetCatalog<Facet>, _ context: PageContext,
                                           path: (FacetQuery<Facet>) -> String) -> HTML {
        let query = result.query
        guard query.isFiltered else { return "" }
        var chips: [HTML] = []
        func chip(_ label: String, removing: FacetQuery<Facet>) {
            var target = removing
            target.page = 1
            chips.append("""
            <li><a class="chip" href="\(path(target))"><span class="visually-hidden">\(context("library.removeFilter"))</span> \(label) <span aria-hidden="true">×</span></a></li>
            """)
        }
        if let keywords = query.keywords {
            var without = query
            without.keywords = nil
            without.sort = query.sort == .relevance ? nil : query.sort
            chip(context("library.chip.keywords", ["keywords": keywords]), removing: without)
        }
        for facet in Facet.allCases {
            for slug in query.selected(facet) {
                let name = catalog.term(facet, slug: slug)?.name ?? slug
                chip(context("library.chip.value", ["facet": context(facet.labelKey), "value": name]), removing: query.toggling(facet, slug))
            }
        }
        if query.yearFrom != nil || query.yearTo != nil {
            var without = query
            without.yearFrom = nil
            without.yearTo = nil
            let label: String
            switch (query.yearFrom, query.yearTo) {
            case let (from?, to?): label = context("library.chip.years", ["from": String(from), "to": String(to)])
            case let (from?, nil): label = context("library.chip.yearsFrom", ["from": String(from)])
            case let (nil, to?): label = context("library.chip.yearsTo", ["to": String(to)])
            default: label = ""
            }
            chip(label, removing: without)
        }
        var cleared = FacetQuery<Facet>()
        cleared.perPage = query.perPage
        cleared.view = query.view
        return """
        <section class="active-filters" aria-labelledby="active-filters-heading">
        <h2 id="active-filters-heading" class="visually-hidden">\(context("library.activeFilters"))</h2>
        <ul class="chips">\(chips)<li><a class="clear" href="\(path(cleared))">\(context("search.clear"))</a></li></ul>
        </section>
        """
    }
}
