import Foundation
import ObservatoryCore
import SQLKit

/// Reads a stored item back as the record it was saved from, for the editor and for its
/// first revision.
struct ItemRecords {
    let sql: any SQLDatabase

    struct Stored {
        let id: Int64
        let record: ContentRecord
        let updatedAt: Int64
    }

    func find(id: Int64) async throws -> Stored? {
        guard let item = try await sql.select()
            .columns("id", "type", "slug", "title", "excerpt", "body", "status", "published_at", "updated_at", "language", "featured")
            .from("items").where("id", .equal, id).first(),
            let type = ContentType(rawValue: try item.decode(column: "type", as: String.self))
        else { return nil }
        var object: [String: Any] = [
            "type": type.rawValue, "slug": try item.decode(column: "slug", as: String.self),
            "title": try item.decode(column: "title", as: String.self), "body": try item.decode(column: "body", as: String.self),
            "status": try item.decode(column: "status", as: String.self), "language": try item.decode(column: "language", as: String.self),
            "featured": try item.decode(column: "featured", as: Bool.self),
        ]
        if let excerpt = try item.decode(column: "excerpt", as: String?.self) { object["excerpt"] = excerpt }
        if let published = try item.decode(column: "published_at", as: Int64?.self) {
            object["published_at"] = ZonedTimestamp(secondsSince1970: published).rfc3339
        }
        object["authors"] = try await sql.raw("""
            SELECT a.name FROM item_authors ia JOIN authors a ON a.id = ia.author_id WHERE ia.item_id = \(bind: id) ORDER BY ia.position
            """).all().map { try $0.decode(column: "name", as: String.self) }

        var fields: [String: Any] = [:]
        let classification = Dictionary(uniqueKeysWithValues: ImportFormat.classificationKeys.map { ($0.vocabulary, $0.key) })
        for row in try await sql.raw("""
            SELECT t.vocabulary, t.name FROM item_terms it JOIN terms t ON t.id = it.term_id WHERE it.item_id = \(bind: id) \
            ORDER BY t.vocabulary, it.position
            """).all() {
            let vocabulary = Vocabulary(try row.decode(column: "vocabulary", as: String.self))
            let name = try row.decode(column: "name", as: String.self)
            if let key = classification[vocabulary] {
                object[key] = ((object[key] as? [String]) ?? []) + [name]
            } else if let field = type.fields.first(where: { $0.vocabulary == vocabulary }) {
                fields[field.name] = field.kind == .choice ? name : ((fields[field.name] as? [String]) ?? []) + [name]
            }
        }
        for row in try await sql.raw("""
            SELECT name, text_value, number_value, qualifier FROM item_fields WHERE item_id = \(bind: id) ORDER BY name, position
            """).all() {
            let name = try row.decode(column: "name", as: String.self)
            guard let field = type.field(named: name) else { continue }
            let text = try row.decode(column: "text_value", as: String?.self)
            let number = try row.decode(column: "number_value", as: Int64?.self)
            switch field.kind {
            case .integer, .year: if let number { fields[name] = Int(number) }
            case .boolean: if let number { fields[name] = number != 0 }
            case .textList, .urlList: fields[name] = ((fields[name] as? [String]) ?? []) + [text ?? ""]
            case .place: fields[name] = ["city": text ?? "", "country": try row.decode(column: "qualifier", as: String?.self) ?? ""]
            case .choice, .multipleChoice: continue
            default: if let text { fields[name] = text }
            }
        }
        if !fields.isEmpty { object["fields"] = fields }
        switch ContentRecord.parse(object: object) {
        case .success(let record):
            return Stored(id: id, record: record, updatedAt: try item.decode(column: "updated_at", as: Int64.self))
        case .failure:
            return nil
        }
    }
}
