import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// Holds this app instance's in-memory search index of every public item, with the synonym
/// groups editors keep, and builds a new one when the content has changed.
///
/// Like the library catalogs, the index is labelled with the content version it was read at:
/// every write raises the version in the writer's transaction and every search compares it,
/// so an item published through any instance is found by every instance on its next request.
/// The index also expires when the next scheduled item becomes public. While one request
/// builds, the others wait for the same build.
actor SearchIndexStore {
    private var current: SearchIndexEntry?
    private var building: (version: Int64, task: Task<SearchIndexEntry, any Error>)?
    /// Items read per round trip while building.
    static let chunkSize = 2_000

    func entry(_ sql: any SQLDatabase, state: ContentState, now: Int64) async throws -> SearchIndexEntry {
        if let current, current.version == state.version, now < current.validUntil {
            return current
        }
        if let building, building.version == state.version {
            return try await building.task.value
        }
        let task = Task.detached { try await Self.load(sql, version: state.version, now: now) }
        building = (state.version, task)
        defer { if building?.version == state.version { building = nil } }
        let entry = try await task.value
        if (current?.version ?? .min) <= entry.version { current = entry }
        return entry
    }

    private struct TermNameRow: Decodable {
        let itemID: Int64
        let name: String
    }

    private struct SynonymRow: Decodable {
        let name: String
    }

    /// Reads the public items in chunks of `chunkSize` (metadata, term names, indexed bodies)
    /// and the synonym groups.
    static func load(_ sql: any SQLDatabase, version: Int64, now: Int64) async throws -> SearchIndexEntry {
        let publicStatuses = WorkflowStatus.publicStatuses.map(\.rawValue)
        var builder = SearchIndex.Builder()
        var validUntil = Int64.max
        var lastID = Int64.min
        while true {
            let rows = try await sql.bulkRows("""
                SELECT id, type, published_at, title, summary FROM items \
                WHERE status IN (\(binds: publicStatuses)) AND published_at IS NOT NULL AND id > \(bind: lastID) \
                ORDER BY id LIMIT \(bind: chunkSize)
                """, columns: [("id", .integer), ("type", .text), ("published_at", .integer), ("title", .text), ("summary", .text)])
            guard let last = rows.last?[0].integer else { break }
            lastID = last
            var documents: [SearchIndexDocument] = []
            documents.reserveCapacity(rows.count)
            for row in rows {
                guard let id = row[0].integer, let type = row[1].text.flatMap(ContentType.init(rawValue:)),
                      let publishedAt = row[2].integer
                else { continue }
                if publishedAt > now {
                    validUntil = min(validUntil, publishedAt)
                    continue
                }
                documents.append(SearchIndexDocument(id: id, type: type, publishedAt: publishedAt, title: row[3].text ?? "",
                                                     terms: [], summary: row[4].text ?? "", body: ""))
            }
            let ids = documents.map(\.id)
            guard !ids.isEmpty else { continue }
            let bodies = try await sql.engine.fullText.bodies(of: ids, on: sql)
            var termNames: [Int64: [String]] = [:]
            for chunk in ids.chunks(of: 500) {
                let names = try await sql.raw("""
                    SELECT it.item_id, t.name FROM item_terms it JOIN terms t ON t.id = it.term_id \
                    WHERE it.item_id IN (\(binds: chunk)) AND t.hidden = \(bind: false)
                    """).all(as: TermNameRow.self)
                for row in names { termNames[row.itemID, default: []].append(row.name) }
            }
            for var document in documents {
                document.terms = termNames[document.id] ?? []
                document.body = bodies[document.id] ?? ""
                builder.add(document)
            }
        }
        let synonymLines = try await sql.raw("""
            SELECT name FROM terms WHERE vocabulary = \(bind: Vocabulary.synonyms.rawValue) AND hidden = \(bind: false) ORDER BY position, id
            """).all(as: SynonymRow.self).map { SynonymTable.parse(line: $0.name) }
        return SearchIndexEntry(index: SearchIndex(builder: builder), synonyms: SynonymTable(lines: synonymLines),
                                version: version, validUntil: validUntil)
    }
}

/// One index with what belongs to it alone: its content version, how long it stays valid, the
/// synonyms read with it and the matches of recent queries (pages of one search ask the same
/// query again), which can never outlive the content they were found in.
final class SearchIndexEntry: Sendable {
    let index: SearchIndex
    let synonyms: SynonymTable
    let version: Int64
    /// Seconds since 1970 at which a scheduled item becomes public; `.max` when none waits.
    let validUntil: Int64
    private struct Key: Hashable {
        let query: SearchQuery
        let options: SearchOptions
    }

    private let recent = NIOLockedValueBox<[Key: SearchMatches]>([:])
    static var recentCapacity: Int { 128 }

    init(index: SearchIndex, synonyms: SynonymTable, version: Int64, validUntil: Int64) {
        self.index = index
        self.synonyms = synonyms
        self.version = version
        self.validUntil = validUntil
    }

    /// Every public item `query` matches, best first, with quoted phrases checked word for
    /// word by the database's full-text engine.
    func matches(_ query: SearchQuery, options: SearchOptions, sql: any SQLDatabase) async throws -> SearchMatches {
        let key = Key(query: query, options: options)
        if let known = recent.withLockedValue({ $0[key] }) { return known }
        var matches = index.search(query, synonyms: synonyms, options: options)
        if !matches.phrases.isEmpty, !matches.documents.isEmpty {
            let phraseQuery = SearchQuery(terms: matches.phrases.map { .phrase($0) })
            let rows = try await sql.bulkRows("SELECT m.item_id FROM \(sql.engine.fullText.matches(phraseQuery)) m",
                                              columns: [("item_id", .integer)])
            let holding = Set(rows.compactMap { $0[0].integer })
            matches.documents.removeAll { !holding.contains(index.ids[Int($0.document)]) }
        }
        recent.withLockedValue { cache in
            if cache.count >= Self.recentCapacity {
                for key in cache.keys.prefix(Self.recentCapacity / 4) { cache[key] = nil }
            }
            cache[key] = matches
        }
        return matches
    }

    /// Snippets of the given items' bodies around the stems the query matched with.
    func snippets(_ matches: SearchMatches, itemIDs: [Int64], sql: any SQLDatabase) async throws -> [Int64: String] {
        guard !itemIDs.isEmpty, !matches.stems.isEmpty else { return [:] }
        let bodies = try await sql.engine.fullText.bodies(of: itemIDs, on: sql)
        var snippets: [Int64: String] = [:]
        for (id, body) in bodies {
            if let snippet = SearchSnippet.make(from: body, stems: matches.stems) { snippets[id] = snippet }
        }
        return snippets
    }
}

/// What a page says about a keyword search besides its results.
struct SearchNotes: Sendable {
    /// Words no item holds, each with the word searched instead.
    var corrections: [(typed: String, used: String)] = []
    /// Words and phrases that matched nothing.
    var unmatched: [String] = []
    /// Words of the index close to the unmatched ones.
    var suggestions: [String] = []

    init(_ matches: SearchMatches, index: SearchIndex) {
        corrections = matches.corrections
        unmatched = matches.unmatched
        var seen = Set<String>()
        for word in unmatched where !word.contains(" ") {
            for suggestion in index.suggestions(for: word, limit: 3, distance: 2) where seen.insert(suggestion).inserted {
                suggestions.append(suggestion)
            }
        }
    }

    init() {}
}

extension Application {
    private struct SearchIndexStoreKey: StorageKey {
        typealias Value = SearchIndexStore
    }

    /// Set once by `configure` before the server starts.
    var searchIndexStore: SearchIndexStore {
        get { storage[SearchIndexStoreKey.self] ?? SearchIndexStore() }
        set { storage[SearchIndexStoreKey.self] = newValue }
    }
}

extension Request {
    /// The search index when `filter` has keywords, nil otherwise.
    func searchIndex(for filter: ListingFilter, now: Int64) async throws -> SearchIndexEntry? {
        filter.searchQuery == nil ? nil : try await searchIndex(now: now)
    }

    /// This instance's search index for the current content.
    func searchIndex(now: Int64) async throws -> SearchIndexEntry {
        let sql = try self.sql
        return try await application.searchIndexStore.entry(sql, state: try await contentState(sql, now: now), now: now)
    }
}
