import ObservatoryCore
import SQLKit
import Vapor

/// One page of a faceted library's answer: the catalog's result and the texts shown with it.
struct LibraryPage<Facet: CatalogFacet>: Sendable {
    let result: FacetSearchResult<Facet>
    /// The catalog the result was computed from (terms of each entry, year bounds).
    let catalog: FacetCatalog<Facet>
    /// Each listed entry's summary, by item id.
    let summaries: [Int64: String]
    /// With keywords, the text around the matched words, by item id.
    let snippets: [Int64: String]

    var entries: [FacetCatalog<Facet>.Entry] { result.entries }
}

/// The one search pipeline of every faceted library (the case library, the toolkit navigator):
/// the catalog of this instance for the current content version, keywords through the
/// full-text index (their matches kept with the catalog), filters, counts and order in memory,
/// then the summaries and snippets of the page's entries.
struct LibrarySearch<Facet: CatalogFacet> {
    let store: CatalogStore<Facet>
    let sql: any SQLDatabase

    /// Answers `query`. `counts` rank the entries for an order by count (times saved…).
    /// A selected value that is no term of its facet is a 400 with the localised reason.
    func page(_ query: FacetQuery<Facet>, state: ContentState, context: PageContext,
              counts: [Int64: Int] = [:]) async throws -> LibraryPage<Facet> {
        let entry = try await store.catalog(sql, state: state, now: context.now)
        var matches: FacetCatalog<Facet>.KeywordMatches?
        if let searchQuery = query.searchQuery {
            matches = try await entry.keywordMatches(searchQuery) { try await self.keywordScores($0) }
        }
        let result: FacetSearchResult<Facet>
        do throws(FacetQueryError<Facet>) {
            result = try entry.catalog.search(query, keywords: matches, counts: counts)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        let ids = result.entries.map(\.id)
        let summaries = try await self.summaries(of: ids)
        let snippets = if let searchQuery = query.searchQuery, !ids.isEmpty {
            try await sql.engine.fullText.snippets(searchQuery, itemIDs: ids, on: sql)
        } else {
            [Int64: String]()
        }
        return LibraryPage(result: result, catalog: entry.catalog, summaries: summaries, snippets: snippets)
    }

    /// The full-text score of every item the query matches (higher is better). Items of other
    /// types and drafts are among them: the catalog knows which ids are its published entries
    /// and drops the rest, which is much cheaper than reading each matched item's row to check.
    private func keywordScores(_ query: SearchQuery) async throws -> [Int64: Double] {
        let rows = try await sql.bulkRows("SELECT m.item_id, m.score FROM \(sql.engine.fullText.matches(query)) m",
                                          columns: [("item_id", .integer), ("score", .real)])
        var scores: [Int64: Double] = [:]
        scores.reserveCapacity(rows.count)
        for row in rows {
            if let id = row[0].integer, let score = row[1].real { scores[id] = score }
        }
        return scores
    }

    private struct SummaryRow: Decodable {
        let id: Int64
        let summary: String
    }

    private func summaries(of ids: [Int64]) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("id", "summary").from("items").where("id", .in, ids).all(as: SummaryRow.self)
        return Dictionary(rows.map { ($0.id, $0.summary) }, uniquingKeysWith: { first, _ in first })
    }
}
