import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// One saved version of an item.
struct Revision: Sendable {
    let number: Int
    let createdAt: Int64
    let actorLabel: String
    let note: String?
    let record: ContentRecord
}

/// Every version of every item, and the redirects of changed slugs. All editorial saves go
/// through `save`, which writes the item (with search, feeds and listings updated in the
/// same transaction by `ContentStore`) and its revision together.
struct Revisions {
    let sql: any SQLDatabase
    let now: Int64

    func list(itemID: Int64) async throws -> [Revision] {
        try await revisions(itemID: itemID, number: nil)
    }

    func find(itemID: Int64, number: Int) async throws -> Revision? {
        try await revisions(itemID: itemID, number: number).first
    }

    /// The item's revisions, newest first, or the one numbered `number`.
    private func revisions(itemID: Int64, number: Int?) async throws -> [Revision] {
        var select = sql.select().columns("number", "created_at", "actor_label", "note", "record").from("item_revisions")
            .where("item_id", .equal, itemID)
        if let number { select = select.where("number", .equal, number) }
        return try await select.orderBy("number", .descending).all(as: RevisionRow.self).compactMap { row in
            guard case .success(let record) = ContentRecord.parse(json: row.record) else { return nil }
            return Revision(number: row.number, createdAt: row.createdAt, actorLabel: row.actorLabel, note: row.note, record: record)
        }
    }

    /// A stored revision; `record` is the item as import JSON.
    private struct RevisionRow: Decodable, Sendable {
        let number: Int
        let createdAt: Int64
        let actorLabel: String
        let note: String?
        let record: String
    }

    func add(itemID: Int64, record: ContentRecord, actorID: Int64?, actorLabel: String, note: String?) async throws -> Int {
        let last = try await latestNumber(itemID: itemID)
        try await sql.insert(into: "item_revisions")
            .columns("item_id", "number", "created_at", "actor_id", "actor_label", "note", "record")
            .values(SQLBind(itemID), SQLBind(last + 1), SQLBind(now), SQLBind(actorID), SQLBind(actorLabel), SQLBind(note),
                    SQLBind(record.importJSON))
            .run()
        return last + 1
    }

    enum SaveError: Error {
        /// Another item of the type has this slug (or had it: it redirects there).
        case slugTaken(String)
        /// Someone saved the item after the form was opened; the latest revision's number.
        case changedMeanwhile(latest: Int)
    }

    /// The number of the item's latest revision (0 when none is recorded).
    func latestNumber(itemID: Int64) async throws -> Int {
        try await sql.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "n").from("item_revisions")
            .where("item_id", .equal, itemID).first()?.decode(column: "n", as: Int?.self) ?? 0
    }

    /// Refuses to go on when the item's latest revision is not `number`. Inside the saving
    /// transaction: on PostgreSQL the item's row is locked first, so two saves take turns (SQLite
    /// lets one writer at a time anyway).
    func expect(itemID: Int64, atRevision number: Int) async throws {
        try await sql.engine.lockRow(of: "items", id: itemID, on: sql)
        let latest = try await latestNumber(itemID: itemID)
        if latest != number { throw SaveError.changedMeanwhile(latest: latest) }
    }

    /// Saves an editor's version of an item (new when `itemID` is nil) and records it as a
    /// revision. The first edit of an item made elsewhere (imported, published from a call)
    /// first records the item as it was. A changed slug leaves a redirect from the old one.
    func save(_ record: ContentRecord, itemID: Int64?, actorID: Int64?, actorLabel: String, note: String?) async throws -> Int64 {
        if let other = try await sql.select().column("id").from("items").where("type", .equal, record.type.rawValue)
            .where("slug", .equal, record.slug).first(decodingColumn: "id", as: Int64.self), other != itemID {
            throw SaveError.slugTaken(record.slug)
        }
        if let itemID {
            guard let stored = try await ItemRecords(sql: sql).find(id: itemID) else { throw Abort(.notFound) }
            if try await sql.select().column("id").from("item_revisions").where("item_id", .equal, itemID).first() == nil {
                _ = try await add(itemID: itemID, record: stored.record, actorID: nil, actorLabel: "", note: "before-first-edit")
            }
            if stored.record.slug != record.slug {
                try await sql.update("items").set("slug", to: record.slug).where("id", .equal, itemID).run()
                // The new address is the item's own now; the old one points to it.
                try await sql.delete(from: "slug_redirects").where("type", .equal, record.type.rawValue).where("old_slug", .equal, record.slug).run()
                try await sql.raw("""
                    INSERT INTO slug_redirects (type, old_slug, item_id, created_at) \
                    VALUES (\(bind: record.type.rawValue), \(bind: stored.record.slug), \(bind: itemID), \(bind: now)) \
                    ON CONFLICT (type, old_slug) DO UPDATE SET item_id = excluded.item_id
                    """).run()
            }
        }
        var store = ContentStore(sql: sql)
        let id = try await store.save(record, now: now).id
        try await store.finish()
        _ = try await add(itemID: id, record: record, actorID: actorID, actorLabel: actorLabel, note: note)
        return id
    }

    /// Where an old slug of a type points now, if anywhere.
    func redirect(type: ContentType, slug: String) async throws -> String? {
        try await sql.raw("""
            SELECT i.slug FROM slug_redirects r JOIN items i ON i.id = r.item_id WHERE r.type = \(bind: type.rawValue) AND r.old_slug = \(bind: slug)
            """).first(decodingColumn: "slug", as: String.self)
    }
}
