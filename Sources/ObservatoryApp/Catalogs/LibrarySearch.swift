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
    /// With keywords: corrected words and words that matched nothing.
    var notes = SearchNotes()
    /// When keywords and filters together found nothing: the query without the filters, and
    /// how many entries it finds.
    var widened: (query: FacetQuery<Facet>, count: Int)?

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
              counts: [Int64: Int] = [:], options: SearchOptions = SearchOptions(),
              search: SearchIndexStore) async throws -> LibraryPage<Facet> {
        let entry = try await store.catalog(sql, state: state, now: context.now)
        var matches: FacetCatalog<Facet>.KeywordMatches?
        var found: SearchMatches?
        var index: SearchIndexEntry?
        if let searchQuery = query.searchQuery {
            let searchEntry = try await search.entry(sql, state: state, now: context.now)
            let keywordMatches = try await searchEntry.matches(searchQuery, options: options, sql: sql)
            // The catalog keeps the scores of its own entries and drops every other type.
            matches = entry.keywordMatches(searchQuery, options: options) {
                var scores: [Int64: Double] = [:]
                scores.reserveCapacity(keywordMatches.documents.count)
                for match in keywordMatches.documents { scores[searchEntry.index.ids[Int(match.document)]] = Double(match.score) }
                return scores
            }
            (found, index) = (keywordMatches, searchEntry)
        }
        let result: FacetSearchResult<Facet>
        do throws(FacetQueryError<Facet>) {
            result = try entry.catalog.search(query, keywords: matches, counts: counts)
        } catch {
            throw Abort(.badRequest, reason: error.message(context.localizer))
        }
        let ids = result.entries.map(\.id)
        let summaries = try await self.summaries(of: ids)
        var snippets: [Int64: String] = [:]
        var notes = SearchNotes()
        if let found, let index {
            snippets = try await index.snippets(found, itemIDs: ids, sql: sql)
            notes = SearchNotes(found, index: index.index)
        }
        var widened: (query: FacetQuery<Facet>, count: Int)?
        if result.total == 0, matches != nil, !query.selections.isEmpty || query.yearFrom != nil || query.yearTo != nil {
            var wide = query
            (wide.selections, wide.yearFrom, wide.yearTo, wide.page) = ([:], nil, nil, .first)
            if let count = try? entry.catalog.search(wide, keywords: matches, counts: counts).total, count > 0 {
                widened = (wide, count)
            }
        }
        return LibraryPage(result: result, catalog: entry.catalog, summaries: summaries, snippets: snippets, notes: notes,
                           widened: widened)
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
