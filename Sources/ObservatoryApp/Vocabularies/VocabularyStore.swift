import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// One term as editors manage it.
struct ManagedTerm: Sendable {
    let id: Int64
    let slug: String
    let name: String
    let hidden: Bool
    /// Items of any status that carry the term.
    let items: Int
    /// The media file shown as the term's icon.
    var iconMediaID: Int64? = nil
    var iconPath: String? = nil
}

extension ManagedTerm {
    /// A term's columns with its item count (`n`) and its icon's file.
    fileprivate struct Row: Decodable, Sendable {
        let id: Int64
        let slug: String
        let name: String
        let hidden: Bool
        let iconMediaID: Int64?
        let storageName: String?
        let renditions: String?
        let n: Int
    }

    fileprivate init(row: Row) {
        self.init(id: row.id, slug: row.slug, name: row.name, hidden: row.hidden, items: row.n, iconMediaID: row.iconMediaID,
                  iconPath: ContentQueries.iconPath(storageName: row.storageName, renditions: row.renditions))
    }
}

/// An image of the media library that a term can show as its icon.
struct IconChoice: Decodable, Sendable {
    let id: Int64
    let fileName: String
    let altText: String
}

/// Adding, renaming, merging and hiding terms. Every change raises the content version, so
/// cached pages and the case catalog of every instance are rebuilt, and the database's
/// triggers forget the open-data lines of the items concerned.
struct VocabularyStore {
    let sql: any SQLDatabase

    enum Problem: Error, Equatable {
        case emptyName
        case nameTaken
        case sameTerm
        case notFound
    }

    /// The terms of `vocabulary` (only the one with `id`, when given) with their item counts.
    func terms(of vocabulary: Vocabulary, id: Int64? = nil) async throws -> [ManagedTerm] {
        let onlyOne: SQLQueryString = id.map { "AND t.id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT t.id, t.slug, t.name, t.hidden, t.icon_media_id, m.storage_name, m.renditions, COUNT(it.item_id) AS n FROM terms t \
            LEFT JOIN item_terms it ON it.term_id = t.id LEFT JOIN media m ON m.id = t.icon_media_id \
            WHERE t.vocabulary = \(bind: vocabulary.rawValue) \(onlyOne) GROUP BY t.id, t.slug, t.name, t.hidden, t.position, t.icon_media_id, m.storage_name, m.renditions \
            ORDER BY t.position, t.name
            """).all(as: ManagedTerm.Row.self).map(ManagedTerm.init(row:))
    }

    private struct VocabularyCount: Decodable, Sendable {
        let vocabulary: String
        let n: Int
    }

    /// Term counts of every vocabulary that has terms.
    func counts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("SELECT vocabulary, COUNT(*) AS n FROM terms GROUP BY vocabulary").all(as: VocabularyCount.self) {
            counts[row.vocabulary] = row.n
        }
        return counts
    }

    /// The images a term can show as its icon, newest first.
    func iconChoices() async throws -> [IconChoice] {
        try await sql.select().columns("id", "file_name", "alt_text").from("media").where("media_type", .like, "image/%")
            .orderBy("id", .descending).limit(200).all(as: IconChoice.self)
    }

    func find(_ id: Int64, in vocabulary: Vocabulary) async throws -> ManagedTerm? {
        try await terms(of: vocabulary, id: id).first
    }

    private func nameIsFree(_ name: String, in vocabulary: Vocabulary, except id: Int64? = nil) async throws -> Bool {
        let rows = try await sql.raw("""
            SELECT id FROM terms WHERE vocabulary = \(bind: vocabulary.rawValue) AND (LOWER(name) = \(bind: name.lowercased()) OR slug = \(bind: Slug.make(from: name)))
            """).all().map { try $0.decode(column: "id", as: Int64.self) }
        return rows.allSatisfy { $0 == id }
    }

    func add(_ name: String, to vocabulary: Vocabulary) async throws -> Int64 {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Problem.emptyName }
        guard try await nameIsFree(name, in: vocabulary) else { throw Problem.nameTaken }
        let position = try await sql.raw("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM terms WHERE vocabulary = \(bind: vocabulary.rawValue)")
            .first()?.decode(column: "p", as: Int.self) ?? 1
        guard let row = try await sql.insert(into: "terms").columns("vocabulary", "slug", "name", "position", "hidden")
            .values(SQLBind(vocabulary.rawValue), SQLBind(Slug.make(from: name)), SQLBind(name), SQLBind(position), SQLBind(false))
            .returning("id").first()
        else { throw Problem.notFound }
        try await bumpVersion()
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Gives a term a new name; its address (slug) stays, so links keep working.
    func rename(_ id: Int64, in vocabulary: Vocabulary, to name: String) async throws -> (before: String, after: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Problem.emptyName }
        guard let term = try await find(id, in: vocabulary) else { throw Problem.notFound }
        guard try await nameIsFree(name, in: vocabulary, except: id) else { throw Problem.nameTaken }
        try await sql.update("terms").set("name", to: name).where("id", .equal, id).run()
        try await bumpVersion()
        return (term.name, name)
    }

    /// Moves every item of `source` to `target` (an item that had both keeps one) and
    /// removes `source`; its address and its name lead to `target` from now on.
    func merge(_ source: Int64, into target: Int64, in vocabulary: Vocabulary) async throws -> (source: ManagedTerm, target: ManagedTerm) {
        guard source != target else { throw Problem.sameTerm }
        guard let from = try await find(source, in: vocabulary), let to = try await find(target, in: vocabulary) else { throw Problem.notFound }
        try await sql.raw("""
            INSERT INTO item_terms (item_id, term_id, position) SELECT it.item_id, \(bind: target), it.position FROM item_terms it \
            WHERE it.term_id = \(bind: source) AND NOT EXISTS (SELECT 1 FROM item_terms o WHERE o.item_id = it.item_id AND o.term_id = \(bind: target))
            """).run()
        try await sql.delete(from: "item_terms").where("term_id", .equal, source).run()
        try await sql.update("term_redirects").set("term_id", to: target).where("term_id", .equal, source).run()
        try await sql.raw("""
            INSERT INTO term_redirects (vocabulary, old_slug, term_id) VALUES (\(bind: vocabulary.rawValue), \(bind: from.slug), \(bind: target)) \
            ON CONFLICT (vocabulary, old_slug) DO UPDATE SET term_id = excluded.term_id
            """).run()
        // The source's name, made into an address, must lead to the target too (imports name terms).
        let nameSlug = Slug.make(from: from.name)
        if nameSlug != from.slug {
            try await sql.raw("""
                INSERT INTO term_redirects (vocabulary, old_slug, term_id) VALUES (\(bind: vocabulary.rawValue), \(bind: nameSlug), \(bind: target)) \
                ON CONFLICT (vocabulary, old_slug) DO UPDATE SET term_id = excluded.term_id
                """).run()
        }
        try await sql.delete(from: "terms").where("id", .equal, source).run()
        try await bumpVersion()
        return (from, to)
    }

    /// Gives a term an icon from the media library (an image), or takes it away (nil).
    func setIcon(_ id: Int64, in vocabulary: Vocabulary, mediaID: Int64?) async throws -> ManagedTerm {
        guard let term = try await find(id, in: vocabulary) else { throw Problem.notFound }
        if let mediaID {
            guard let type = try await sql.select().column("media_type").from("media").where("id", .equal, mediaID).first()?
                .decode(column: "media_type", as: String.self), type.hasPrefix("image/")
            else { throw Problem.notFound }
        }
        try await sql.update("terms").set("icon_media_id", to: mediaID).where("id", .equal, id).run()
        try await bumpVersion()
        return term
    }

    func setHidden(_ id: Int64, in vocabulary: Vocabulary, hidden: Bool) async throws -> ManagedTerm {
        guard let term = try await find(id, in: vocabulary) else { throw Problem.notFound }
        try await sql.update("terms").set("hidden", to: hidden).where("id", .equal, id).run()
        try await bumpVersion()
        return term
    }

    /// The slug a merged term's address leads to now.
    func redirect(vocabulary: Vocabulary, slug: String) async throws -> String? {
        try await sql.raw("""
            SELECT t.slug FROM term_redirects r JOIN terms t ON t.id = r.term_id WHERE r.vocabulary = \(bind: vocabulary.rawValue) AND r.old_slug = \(bind: slug)
            """).first()?.decode(column: "slug", as: String.self)
    }

    private func bumpVersion() async throws {
        try await ContentState.raiseVersion(on: sql)
    }
}
