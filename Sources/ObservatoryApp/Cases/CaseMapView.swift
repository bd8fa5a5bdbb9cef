import Foundation
import ObservatoryCore

/// Result counts per country drawn on the server as an SVG: a circle at each country's
/// capital whose area grows with the count, over a longitude/latitude grid, beside a table of
/// the same counts. No map service, no script; every country links to the filtered list.
enum CaseMapView {
    static let width = 720.0
    static let height = 360.0

    static func render(_ result: CaseSearchResult, _ context: PageContext) -> HTML {
        let counts = result.mappedCounts
        guard !counts.isEmpty else { return "<p class=\"notice\">\(context("cases.empty"))</p>" }
        let largest = Double(counts.map(\.count).max() ?? 1)
        var listQuery = result.query
        listQuery.view = .list
        var grid: [HTML] = []
        for longitude in stride(from: -150, through: 150, by: 30) {
            let x = format(project(latitude: 0, longitude: Double(longitude)).x)
            grid.append("<line x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(format(height))\"/>")
        }
        for latitude in stride(from: -60, through: 60, by: 30) {
            let y = format(project(latitude: Double(latitude), longitude: 0).y)
            grid.append("<line x1=\"0\" y1=\"\(y)\" x2=\"\(format(width))\" y2=\"\(y)\"/>")
        }
        // Largest first, so smaller circles stay on top and clickable.
        let markers: [HTML] = counts.compactMap { value in
            guard let country = Countries.withSlug(value.term.slug) ?? Countries.named(value.term.name) else { return nil }
            let point = project(latitude: country.latitude, longitude: country.longitude)
            let radius = 3 + 15 * (Double(value.count) / largest).squareRoot()
            let label = context("cases.map.countryCount", ["country": value.term.name, "count": String(value.count)])
            return """
            <a href="\(SiteURL.cases(listQuery.only(.country, value.term.slug)).path)" aria-label="\(label)">\
            <circle cx="\(format(point.x))" cy="\(format(point.y))" r="\(format(radius))"><title>\(label)</title></circle></a>
            """
        }
        let rows: [HTML] = counts.map { value in
            """
            <tr><th scope="row"><a href="\(SiteURL.cases(listQuery.only(.country, value.term.slug)).path)">\(value.term.name)</a></th>\
            <td>\(value.count)</td></tr>
            """
        }
        let unplaced = counts.count - markers.count
        let unplacedNote: HTML = unplaced > 0 ? "<p class=\"note\">\(context("cases.map.unplaced", ["count": String(unplaced)]))</p>" : ""
        return """
        <div class="case-map">
        <figure>
        <svg viewBox="0 0 \(format(width)) \(format(height))" role="img" aria-labelledby="map-caption" class="map">
        <rect class="map-sea" width="\(format(width))" height="\(format(height))"/>
        <g class="map-grid">\(grid)</g>
        <g class="map-markers">\(markers)</g>
        </svg>
        <figcaption id="map-caption">\(context("cases.map.caption"))</figcaption>
        </figure>
        \(unplacedNote)
        <table class="map-table">
        <caption>\(context("cases.map.tableCaption"))</caption>
        <thead><tr><th scope="col">\(context("facet.country"))</th><th scope="col">\(context("cases.map.count"))</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        </div>
        """
    }

    /// Equirectangular projection onto the drawing.
    static func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        ((longitude + 180) / 360 * width, (90 - latitude) / 180 * height)
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
