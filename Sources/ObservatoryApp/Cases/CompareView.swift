import ObservatoryCore

/// Up to three case studies side by side: one column per case, one row per structured field.
enum CompareView {
    static let maximum = 3

    /// The rows of the comparison, in questionnaire order.
    private enum Row {
        case text(String)
        case number(String)
        case terms(String, Vocabulary)
        case country
    }

    private static let rows: [Row] = [
        .text("organisation_name"), .terms("organisation_type", .organisationType), .country,
        .terms("level_of_government", .levelOfGovernment), .terms("primary_sectors", .primarySector),
        .terms("innovation_tags", .innovationTag), .terms("innovation_status", .innovationStatus),
        .number("year_launched"), .terms("recognition", .recognition), .terms("innovation_facets", .innovationFacet),
        .text("short_explanation"), .text("what_makes_it_innovative"), .text("status_description"),
        .text("users_beneficiaries"), .text("results"), .text("challenges"), .text("conditions_for_success"),
        .text("replication"), .text("lessons_learned"),
    ]

    static func page(_ details: [ItemDetail], _ context: PageContext) -> HTML {
        let back: HTML = "<p class=\"breadcrumb\"><a href=\"\(SiteURL.cases(CaseQuery()).path)\">\(context(ContentType.caseStudy.pluralKey))</a></p>"
        guard !details.isEmpty else {
            return """
            \(back)
            <h1>\(context("compare.title"))</h1>
            <p class="notice">\(context("compare.howTo", ["max": String(maximum)]))</p>
            """
        }
        let headings: [HTML] = details.map { detail in
            let others = details.filter { $0.item.id != detail.item.id }.map(\.item.slug)
            return """
            <th scope="col"><a href="\(SiteURL.item(.caseStudy, slug: detail.item.slug).path)">\(detail.item.title)</a>
            <a class="remove" href="\(SiteURL.compare(others).path)">\(context("compare.remove"))<span class="visually-hidden">: \(detail.item.title)</span></a></th>
            """
        }
        let body: [HTML] = rows.map { row in
            let (name, cells): (String, [HTML]) = switch row {
            case .text(let name): (name, details.map { cell($0.text(name).map { "\($0)" }) })
            case .number(let name): (name, details.map { cell($0.number(name).map { "\(Int($0))" }) })
            case .terms(let name, let vocabulary): (name, details.map { cell(list($0.terms(in: vocabulary))) })
            case .country: ("country", details.map { cell(list($0.terms(in: .country))) })
            }
            let label = name == "country" ? context("facet.country") : context(L10nKey("field.\(name)"))
            return "<tr><th scope=\"row\">\(label)</th>\(cells)</tr>"
        }
        return """
        \(back)
        <h1>\(context("compare.title"))</h1>
        <div class="table-scroll" role="region" aria-labelledby="compare-caption" tabindex="0">
        <table class="compare">
        <caption id="compare-caption">\(context("compare.caption", ["count": String(details.count)]))</caption>
        <thead><tr><td></td>\(headings)</tr></thead>
        <tbody>\(body)</tbody>
        </table>
        </div>
        """
    }

    private static func list(_ terms: [TermRef]) -> HTML? {
        guard !terms.isEmpty else { return nil }
        return terms.count == 1 ? "\(terms[0].name)" : "<ul>\(terms.map { "<li>\($0.name)</li>" as HTML })</ul>"
    }

    private static func cell(_ content: HTML?) -> HTML {
        "<td>\(content ?? "<span class=\"missing\">–</span>")</td>"
    }
}
