import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// Holds the current catalog of a library (the case library's, the toolkits') of this app instance
/// and builds a new one when the content has changed.
///
/// Every write raises the database's content version (in the writer's transaction), and every
/// request compares it with the version the catalog was built at, so a case published through
/// any app instance is counted and found by every instance on its next request. A catalog also
/// expires when the next scheduled case becomes public. While one request rebuilds, the others
/// wait for the same build instead of starting their own.
actor CatalogStore<Facet: CatalogFacet> {
    private var current: CatalogEntry<Facet>?
    private var building: (version: Int64, task: Task<CatalogEntry<Facet>, any Error>)?
    /// The content type of the library's entries, and the field that gives each its year.
    let type: ContentType
    let yearField: String
    let yearOfNumber: @Sendable (Int64) -> Int

    init(type: ContentType, yearField: String, yearOfNumber: @escaping @Sendable (Int64) -> Int) {
        self.type = type
        self.yearField = yearField
        self.yearOfNumber = yearOfNumber
    }

    func catalog(_ sql: any SQLDatabase, state: ContentState, now: Int64) async throws -> CatalogEntry<Facet> {
        if let current, current.version == state.version, now < current.validUntil {
            return current
        }
        if let building, building.version == state.version {
            return try await building.task.value
        }
        let (type, yearField, yearOfNumber) = (type, yearField, yearOfNumber)
        let task = Task.detached {
            try await Self.load(sql, version: state.version, now: now, type: type, yearField: yearField, yearOfNumber: yearOfNumber)
        }
        building = (state.version, task)
        defer { if building?.version == state.version { building = nil } }
        let entry = try await task.value
        if (current?.version ?? .min) <= entry.version { current = entry }
        return entry
    }

    private struct TermRow: Decodable {
        let id: Int64
        let vocabulary: String
        let slug: String
        let name: String
        let position: Int
    }

    /// Reads the published entries with their years and term ids (one row per entry, the
    /// terms joined into one text), then the facets' terms. The version is read by the caller
    /// before these queries, so the catalog is at least as new as its label.
    private static func load(_ sql: any SQLDatabase, version: Int64, now: Int64, type: ContentType, yearField: String,
                             yearOfNumber: @Sendable (Int64) -> Int) async throws -> CatalogEntry<Facet> {
        let publicStatuses = WorkflowStatus.publicStatuses.map(\.rawValue)
        let termList = sql.engine.commaList(of: "term_id")
        let entryRows = try await sql.bulkRows("""
            SELECT i.id, i.slug, i.title, i.published_at, \
            (SELECT f.number_value FROM item_fields f WHERE f.name = \(bind: yearField) AND f.item_id = i.id) AS year, \
            (SELECT \(termList) FROM item_terms t WHERE t.item_id = i.id) AS terms \
            FROM items i \
            WHERE i.type = \(bind: type.rawValue) AND i.status IN (\(binds: publicStatuses)) \
            AND i.published_at IS NOT NULL
            """, columns: [("id", .integer), ("slug", .text), ("title", .text), ("published_at", .integer),
                           ("year", .integer), ("terms", .text)])
        var validUntil = Int64.max
        var entries: [FacetCatalog<Facet>.Entry] = []
        var assignments: [(entryID: Int64, termID: Int64)] = []
        entries.reserveCapacity(entryRows.count)
        assignments.reserveCapacity(entryRows.count * 10)
        for row in entryRows {
            guard let id = row[0].integer, let slug = row[1].text, let title = row[2].text,
                  let publishedAt = row[3].integer
            else { continue }
            if publishedAt > now {
                validUntil = min(validUntil, publishedAt)
                continue
            }
            entries.append(FacetCatalog<Facet>.Entry(id: id, slug: slug, title: title, publishedAt: publishedAt,
                                                     year: row[4].integer.map(yearOfNumber)))
            for termID in row[5].text?.split(separator: ",") ?? [] {
                if let termID = Int64(termID) { assignments.append((id, termID)) }
            }
        }

        let vocabularies = Facet.allCases.map(\.vocabulary.rawValue)
        let terms = try await sql.raw("""
            SELECT id, vocabulary, slug, name, position FROM terms WHERE vocabulary IN (\(binds: vocabularies)) AND hidden = \(bind: false)
            """).all(as: TermRow.self).compactMap { row -> FacetCatalog<Facet>.Term? in
            guard let facet = Facet(vocabulary: Vocabulary(row.vocabulary)) else { return nil }
            return FacetCatalog<Facet>.Term(id: row.id, facet: facet, slug: row.slug, name: row.name, position: row.position)
        }
        return CatalogEntry(catalog: FacetCatalog(entries: entries, terms: terms, assignments: assignments),
                                version: version, validUntil: validUntil)
    }
}

/// One catalog with what belongs to it alone: the content version it was built at, how long
/// it stays valid, and the keyword matches found against it (faceted browsing asks the same
/// keywords again with other filters). A new catalog starts with no matches, so none can
/// outlive the content they were found in.
final class CatalogEntry<Facet: CatalogFacet>: Sendable {
    let catalog: FacetCatalog<Facet>
    let version: Int64
    /// Seconds since 1970 at which a scheduled case becomes public; `.max` when none waits.
    let validUntil: Int64
    private struct Key: Hashable {
        let query: SearchQuery
        let options: SearchOptions
    }

    private let keywordMatches = NIOLockedValueBox<[Key: FacetCatalog<Facet>.KeywordMatches]>([:])
    static var keywordMatchesCapacity: Int { 64 }

    init(catalog: FacetCatalog<Facet>, version: Int64, validUntil: Int64) {
        self.catalog = catalog
        self.version = version
        self.validUntil = validUntil
    }

    /// The matches of `query`, from memory or from `scores` (the search index's scores by item
    /// id), kept for the catalog's entries only.
    func keywordMatches(
        _ query: SearchQuery, options: SearchOptions, scores: () -> [Int64: Double]
    ) -> FacetCatalog<Facet>.KeywordMatches {
        let key = Key(query: query, options: options)
        if let known = keywordMatches.withLockedValue({ $0[key] }) { return known }
        let matches = catalog.keywordMatches(scores())
        keywordMatches.withLockedValue { cache in
            if cache.count >= Self.keywordMatchesCapacity {
                for key in cache.keys.prefix(Self.keywordMatchesCapacity / 4) { cache[key] = nil }
            }
            cache[key] = matches
        }
        return matches
    }
}

typealias CaseCatalogStore = CatalogStore<CaseFacet>
typealias CaseCatalogEntry = CatalogEntry<CaseFacet>
typealias ToolkitCatalogStore = CatalogStore<ToolkitFacet>

extension CatalogStore where Facet == CaseFacet {
    /// The case library: published case studies by launch year.
    init() { self.init(type: .caseStudy, yearField: "year_launched", yearOfNumber: { Int($0) }) }
}

extension CatalogStore where Facet == ToolkitFacet {
    /// The toolkit navigator: published toolkits by the year they were last updated.
    init() { self.init(type: .toolkit, yearField: "last_updated", yearOfNumber: { CalendarDate(daysSince1970: Int($0)).year }) }
}

extension Application {
    private struct CaseCatalogStoreKey: StorageKey {
        typealias Value = CaseCatalogStore
    }

    private struct ToolkitCatalogStoreKey: StorageKey {
        typealias Value = ToolkitCatalogStore
    }

    /// Set once by `configure`.
    var toolkitCatalogStore: ToolkitCatalogStore {
        get { storage[ToolkitCatalogStoreKey.self] ?? ToolkitCatalogStore() }
        set { storage[ToolkitCatalogStoreKey.self] = newValue }
    }

    /// Set once by `configure` before the server starts (storage is not safe to fill from
    /// concurrent requests).
    var caseCatalogStore: CaseCatalogStore {
        get { storage[CaseCatalogStoreKey.self] ?? CaseCatalogStore() }
        set { storage[CaseCatalogStoreKey.self] = newValue }
    }
}
