import ObservatoryCore
import SQLKit
import Vapor

/// Holds the current `CaseCatalog` of this app instance and builds a new one when the content
/// has changed.
///
/// Every write raises the database's content version (in the writer's transaction), and every
/// request compares it with the version the catalog was built at, so a case published through
/// any app instance is counted and found by every instance on its next request. A catalog also
/// expires when the next scheduled case becomes public. While one request rebuilds, the others
/// wait for the same build instead of starting their own.
actor CaseCatalogStore {
    private struct Snapshot {
        let catalog: CaseCatalog
        let version: Int64
        /// Seconds since 1970 at which a scheduled case becomes public; `.max` when none waits.
        let validUntil: Int64
    }

    private var current: Snapshot?
    private var building: (version: Int64, task: Task<Snapshot, any Error>)?

    func catalog(_ sql: any SQLDatabase, state: ContentState, now: Int64) async throws -> CaseCatalog {
        if let current, current.version == state.version, now < current.validUntil {
            return current.catalog
        }
        if let building, building.version == state.version {
            return try await building.task.value.catalog
        }
        let task = Task.detached { try await Self.load(sql, version: state.version, now: now) }
        building = (state.version, task)
        defer { if building?.version == state.version { building = nil } }
        let snapshot = try await task.value
        if (current?.version ?? .min) <= snapshot.version { current = snapshot }
        return snapshot.catalog
    }

    /// Reads the published cases, their launch years and facet terms. The version is read by
    /// the caller before these queries, so the catalog is at least as new as its label.
    private static func load(_ sql: any SQLDatabase, version: Int64, now: Int64) async throws -> Snapshot {
        let publicStatuses = WorkflowStatus.publicStatuses.map(\.rawValue)
        let caseType = ContentType.caseStudy.rawValue
        let caseRows = try await sql.raw("""
            SELECT id, slug, title, published_at FROM items \
            WHERE type = \(bind: caseType) AND status IN (\(binds: publicStatuses)) AND published_at IS NOT NULL
            """).all()
        var validUntil = Int64.max
        var published: [(id: Int64, slug: String, title: String, publishedAt: Int64)] = []
        published.reserveCapacity(caseRows.count)
        for row in caseRows {
            let publishedAt = try row.decode(column: "published_at", as: Int64.self)
            if publishedAt > now {
                validUntil = min(validUntil, publishedAt)
                continue
            }
            published.append((try row.decode(column: "id", as: Int64.self), try row.decode(column: "slug", as: String.self),
                              try row.decode(column: "title", as: String.self), publishedAt))
        }

        // Years and terms are read by case id, through indexes that hold every column read.
        let caseIDs = published.map(\.id)
        var years: [Int64: Int] = [:]
        var assignments: [(caseID: Int64, termID: Int64)] = []
        assignments.reserveCapacity(caseIDs.count * 8)
        for chunk in caseIDs.chunks(of: 5_000) {
            for row in try await sql.raw("""
                SELECT item_id, number_value FROM item_fields \
                WHERE name = 'year_launched' AND item_id IN (\(binds: chunk)) AND number_value IS NOT NULL
                """).all() {
                years[try row.decode(column: "item_id", as: Int64.self)] = Int(try row.decode(column: "number_value", as: Int64.self))
            }
            for row in try await sql.raw("SELECT item_id, term_id FROM item_terms WHERE item_id IN (\(binds: chunk))").all() {
                assignments.append((try row.decode(column: "item_id", as: Int64.self), try row.decode(column: "term_id", as: Int64.self)))
            }
        }

        let vocabularies = CaseFacet.allCases.map(\.vocabulary.rawValue)
        let terms = try await sql.raw("""
            SELECT id, vocabulary, slug, name, position FROM terms WHERE vocabulary IN (\(binds: vocabularies))
            """).all().compactMap { row -> CaseCatalog.Term? in
            guard let facet = CaseFacet(vocabulary: Vocabulary(try row.decode(column: "vocabulary", as: String.self))) else { return nil }
            return CaseCatalog.Term(id: try row.decode(column: "id", as: Int64.self), facet: facet,
                                    slug: try row.decode(column: "slug", as: String.self),
                                    name: try row.decode(column: "name", as: String.self),
                                    position: try row.decode(column: "position", as: Int.self))
        }

        let cases = published.map {
            CaseCatalog.Case(id: $0.id, slug: $0.slug, title: $0.title, publishedAt: $0.publishedAt, yearLaunched: years[$0.id])
        }
        return Snapshot(catalog: CaseCatalog(cases: cases, terms: terms, assignments: assignments),
                        version: version, validUntil: validUntil)
    }
}

extension Application {
    private struct CaseCatalogStoreKey: StorageKey {
        typealias Value = CaseCatalogStore
    }

    /// Set once by `configure` before the server starts (storage is not safe to fill from
    /// concurrent requests).
    var caseCatalogStore: CaseCatalogStore {
        get { storage[CaseCatalogStoreKey.self] ?? CaseCatalogStore() }
        set { storage[CaseCatalogStoreKey.self] = newValue }
    }
}
