import Crypto
import Foundation
import ObservatoryCore
import SQLKit

/// The one write path for content: every item is stored with its derived columns (summary,
/// rendered body), its authors, terms, structured fields and full-text document, and the site's
/// content version goes up in the same transaction.
///
/// Use one store per transaction: `save` each record, then `finish()` before the transaction
/// commits, which writes the pending search documents and raises the content version.
struct ContentStore {
    enum Outcome: Equatable {
        case created(Int64)
        case updated(Int64)
        case unchanged(Int64)

        var id: Int64 {
            switch self {
            case .created(let id), .updated(let id), .unchanged(let id): id
            }
        }
    }

    let sql: any SQLDatabase
    private let search: any FullTextSearch
    /// Search documents of the saved items, written together by `finish()`; the last document
    /// of an item saved twice wins.
    private var pendingDocuments: [Int64: SearchDocument] = [:]
    private var pendingOrder: [Int64] = []
    private var newItems: Set<Int64> = []
    private var changed = false
    /// Term and author ids already looked up, so bulk imports do not ask twice.
    private var termIDs: [TermKey: Int64] = [:]
    private var authorIDs: [String: Int64] = [:]

    private struct TermKey: Hashable {
        let vocabulary: Vocabulary
        let slug: String
    }

    /// The stored item a save replaces.
    private struct ExistingRow: Decodable, Sendable {
        let id: Int64
        let fingerprint: String
    }

    init(sql: any SQLDatabase) {
        self.sql = sql
        self.search = sql.engine.fullText
    }

    /// Creates or updates the item with the record's type and slug. Saving the same record
    /// twice changes nothing, not even the update time.
    mutating func save(_ record: ContentRecord, now: Int64) async throws -> Outcome {
        let fingerprint = Self.fingerprint(of: record)
        let existing = try await sql.select()
            .column("id").column("fingerprint").column("created_at")
            .from("items")
            .where("type", .equal, record.type.rawValue)
            .where("slug", .equal, record.slug)
            .first(as: ExistingRow.self)
        // Deriving the summary parses the Markdown body: do it once for the row and the index.
        let summary = record.displayExcerpt
        let bodyHTML = try await ImageCopies.html(of: record.body, sql)
        let columns = Self.itemColumns(of: record, summary: summary, bodyHTML: bodyHTML, fingerprint: fingerprint, now: now)
        let id: Int64
        let outcome: Outcome
        if let existing {
            id = existing.id
            if existing.fingerprint == fingerprint { return .unchanged(id) }
            var update = sql.update("items").where("id", .equal, id)
            for (column, value) in columns where column != "created_at" {
                update = update.set(SQLIdentifier(column), to: value)
            }
            try await update.run()
            for table in ["item_authors", "item_terms", "item_fields"] {
                try await sql.delete(from: table).where("item_id", .equal, id).run()
            }
            outcome = .updated(id)
        } else {
            guard let created = try await sql.insert(into: "items")
                .columns(columns.map { SQLIdentifier($0.0) })
                .values(columns.map { $0.1 })
                .returning("id")
                .first(decodingColumn: "id", as: Int64.self)
            else { throw ContentStoreError.insertReturnedNoID }
            id = created
            outcome = .created(id)
        }
        try await insertAuthors(of: record, itemID: id)
        try await insertTerms(of: record, itemID: id)
        try await insertFields(of: record, itemID: id)
        if pendingDocuments[id] == nil { pendingOrder.append(id) }
        pendingDocuments[id] = Self.searchDocument(of: record, summary: summary, itemID: id)
        if case .created = outcome { newItems.insert(id) }
        changed = true
        return outcome
    }

    /// Writes the pending search documents and, if anything changed, raises the content
    /// version that every app instance's caches compare. Call before the transaction commits.
    mutating func finish() async throws {
        if !pendingOrder.isEmpty {
            try await search.index(pendingOrder.compactMap { pendingDocuments[$0] }, newItems: newItems, on: sql)
            pendingDocuments = [:]
            pendingOrder = []
            newItems = []
        }
        if changed {
            try await ContentState.raiseVersion(on: sql)
            changed = false
        }
    }

    /// A slug for `title` that no other item of the type uses yet.
    /// Whether the site has any item at all (drafts included).
    func hasItems() async throws -> Bool {
        try await sql.select().column("id").from("items").limit(1).first() != nil
    }

    /// The current slug of an item.
    func slug(of itemID: Int64) async throws -> String? {
        try await sql.select().column("slug").from("items").where("id", .equal, itemID).first(decodingColumn: "slug", as: String.self)
    }

    func availableSlug(for title: String, type: ContentType) async throws -> String {
        let base = Slug.make(from: title)
        let slugs = try await sql.select().column("slug").from("items")
            .where("type", .equal, type.rawValue)
            .where(group: { $0.where("slug", .equal, base).orWhere("slug", .like, base + "-%") })
            .all(decodingColumn: "slug", as: String.self)
        let taken = Set(slugs)
        return Slug.uniqued(base) { taken.contains($0) }
    }

    // MARK: - Rows

    private static func searchDocument(of record: ContentRecord, summary: String, itemID: Int64) -> SearchDocument {
        SearchDocument(itemID: itemID, type: record.type, title: record.title, summary: summary,
                       markdownBody: record.body) { name in
            if case .text(let text)? = record.fields[name] { text } else { nil }
        }
    }

    private static func itemColumns(of record: ContentRecord, summary: String, bodyHTML: String, fingerprint: String, now: Int64) -> [(String, any SQLExpression)] {
        [
            ("type", SQLBind(record.type.rawValue)),
            ("slug", SQLBind(record.slug)),
            ("title", SQLBind(record.title)),
            ("excerpt", SQLBind(record.excerpt)),
            ("summary", SQLBind(summary)),
            ("body", SQLBind(record.body)),
            ("body_html", SQLBind(bodyHTML)),
            ("status", SQLBind(record.status.rawValue)),
            ("published_at", SQLBind(record.publishedAt?.secondsSince1970)),
            ("created_at", SQLBind(now)),
            ("updated_at", SQLBind(record.updatedAt?.secondsSince1970 ?? now)),
            ("language", SQLBind(record.language)),
            ("featured", SQLBind(record.featured)),
            ("fingerprint", SQLBind(fingerprint)),
        ]
    }

    private mutating func insertAuthors(of record: ContentRecord, itemID: Int64) async throws {
        var rows: [[any SQLExpression]] = []
        var seen = Set<Int64>()
        for (position, name) in record.authors.enumerated() {
            let authorID = try await authorID(named: name)
            guard seen.insert(authorID).inserted else { continue }
            rows.append([SQLBind(itemID), SQLBind(authorID), SQLBind(position)])
        }
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "item_authors").columns("item_id", "author_id", "position").rows(rows).run()
    }

    private mutating func insertTerms(of record: ContentRecord, itemID: Int64) async throws {
        var rows: [[any SQLExpression]] = []
        var seen = Set<Int64>()
        for (vocabulary, names) in record.allTerms {
            for (position, name) in names.enumerated() {
                let termID = try await termID(vocabulary: vocabulary, name: name)
                guard seen.insert(termID).inserted else { continue }
                rows.append([SQLBind(itemID), SQLBind(termID), SQLBind(position)])
            }
        }
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "item_terms").columns("item_id", "term_id", "position").rows(rows).run()
    }

    private func insertFields(of record: ContentRecord, itemID: Int64) async throws {
        var rows: [[any SQLExpression]] = []
        func add(_ name: String, _ position: Int, text: String?, number: Int64?, qualifier: String? = nil) {
            rows.append([SQLBind(itemID), SQLBind(name), SQLBind(position), SQLBind(text), SQLBind(number), SQLBind(qualifier)])
        }
        for field in record.type.fields {
            guard let value = record.fields[field.name] else { continue }
            switch value {
            case .text(let text): add(field.name, 0, text: text, number: nil)
            case .integer(let number): add(field.name, 0, text: nil, number: Int64(number))
            case .boolean(let flag): add(field.name, 0, text: nil, number: flag ? 1 : 0)
            case .date(let date): add(field.name, 0, text: date.iso8601, number: Int64(date.daysSince1970))
            case .dateTime(let moment): add(field.name, 0, text: moment.rfc3339, number: moment.secondsSince1970)
            case .texts(let texts):
                for (position, text) in texts.enumerated() { add(field.name, position, text: text, number: nil) }
            case .place(let city, let country): add(field.name, 0, text: city, number: nil, qualifier: country)
            case .terms: continue // stored as taxonomy terms
            }
        }
        guard !rows.isEmpty else { return }
        try await sql.insert(into: "item_fields")
            .columns("item_id", "name", "position", "text_value", "number_value", "qualifier")
            .rows(rows).run()
    }

    private mutating func termID(vocabulary: Vocabulary, name: String) async throws -> Int64 {
        let key = TermKey(vocabulary: vocabulary, slug: Slug.make(from: name))
        if let cached = termIDs[key] { return cached }
        // A renamed term keeps its slug; a merged one's slug leads to the term it went into.
        if let existing = try await sql.raw("""
            SELECT id FROM terms WHERE vocabulary = \(bind: vocabulary.rawValue) AND (slug = \(bind: key.slug) OR name = \(bind: name)) \
            UNION ALL SELECT term_id AS id FROM term_redirects WHERE vocabulary = \(bind: vocabulary.rawValue) AND old_slug = \(bind: key.slug)
            """).first(decodingColumn: "id", as: Int64.self) {
            termIDs[key] = existing
            return existing
        }
        let id = try await findOrCreate(
            table: "terms",
            match: [("vocabulary", vocabulary.rawValue), ("slug", key.slug)],
            extra: [("name", SQLBind(name)), ("position", SQLBind(10_000))])
        termIDs[key] = id
        return id
    }

    private mutating func authorID(named name: String) async throws -> Int64 {
        let slug = Slug.make(from: name)
        if let cached = authorIDs[slug] { return cached }
        let id = try await findOrCreate(table: "authors", match: [("slug", slug)], extra: [("name", SQLBind(name))])
        authorIDs[slug] = id
        return id
    }

    private func findOrCreate(table: String, match: [(String, String)], extra: [(String, SQLBind)]) async throws -> Int64 {
        var select = sql.select().column("id").from(table)
        for (column, value) in match { select = select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        if let id = try await select.first(decodingColumn: "id", as: Int64.self) { return id }
        let columns = match.map { SQLIdentifier($0.0) } + extra.map { SQLIdentifier($0.0) }
        let values: [any SQLExpression] = match.map { SQLBind($0.1) } + extra.map(\.1)
        guard let id = try await sql.insert(into: table).columns(columns).values(values).returning("id")
            .first(decodingColumn: "id", as: Int64.self)
        else { throw ContentStoreError.insertReturnedNoID }
        return id
    }

    /// A digest of everything the record says, to tell an unchanged re-import from an edit.
    static func fingerprint(of record: ContentRecord) -> String {
        let digest = SHA256.hash(data: Data(record.canonicalDescription.utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

enum ContentStoreError: Error {
    case insertReturnedNoID
}
