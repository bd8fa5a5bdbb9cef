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

    /// The item's own columns as stored, before `ContentRecord.parse` checks them.
    private struct ItemRow: Decodable, Sendable {
        let type: String
        let slug: String
        let title: String
        let excerpt: String?
        let body: String
        let status: String
        let publishedAt: Int64?
        let updatedAt: Int64
        let language: String
        let featured: Bool
    }

    private struct TermRow: Decodable, Sendable {
        let vocabulary: String
        let name: String
    }

    func find(id: Int64) async throws -> Stored? {
        guard let item = try await sql.select()
            .columns("id", "type", "slug", "title", "excerpt", "body", "status", "published_at", "updated_at", "language", "featured")
            .from("items").where("id", .equal, id).first(as: ItemRow.self),
            let type = ContentType(rawValue: item.type)
        else { return nil }
        var object: [String: Any] = [
            "type": type.rawValue, "slug": item.slug, "title": item.title, "body": item.body,
            "status": item.status, "language": item.language, "featured": item.featured,
        ]
        if let excerpt = item.excerpt { object["excerpt"] = excerpt }
        if let published = item.publishedAt {
            object["published_at"] = ZonedTimestamp(secondsSince1970: published).rfc3339
        }
        object["authors"] = try await sql.raw("""
            SELECT a.name FROM item_authors ia JOIN authors a ON a.id = ia.author_id WHERE ia.item_id = \(bind: id) ORDER BY ia.position
            """).all(decodingColumn: "name", as: String.self)

        var fields: [String: Any] = [:]
        let classification = Dictionary(uniqueKeysWithValues: ImportFormat.classificationKeys.map { ($0.vocabulary, $0.key) })
        for row in try await sql.raw("""
            SELECT t.vocabulary, t.name FROM item_terms it JOIN terms t ON t.id = it.term_id WHERE it.item_id = \(bind: id) \
            ORDER BY t.vocabulary, it.position
            """).all(as: TermRow.self) {
            let vocabulary = Vocabulary(row.vocabulary)
            let name = row.name
            if let key = classification[vocabulary] {
                object[key] = ((object[key] as? [String]) ?? []) + [name]
            } else if let field = type.fields.first(where: { $0.vocabulary == vocabulary }) {
                fields[field.name] = field.kind == .choice ? name : ((fields[field.name] as? [String]) ?? []) + [name]
            }
        }
        for row in try await sql.raw("""
            SELECT name, text_value, number_value, qualifier FROM item_fields WHERE item_id = \(bind: id) ORDER BY name, position
            """).all(as: ItemFieldRow.self) {
            let name = row.name
            guard let field = type.field(named: name) else { continue }
            let text = row.textValue
            let number = row.numberValue
            switch field.kind {
            case .integer, .year: if let number { fields[name] = Int(number) }
            case .boolean: if let number { fields[name] = number != 0 }
            case .textList, .urlList: fields[name] = ((fields[name] as? [String]) ?? []) + [text ?? ""]
            case .place: fields[name] = ["city": text ?? "", "country": row.qualifier ?? ""]
            case .choice, .multipleChoice: continue
            default: if let text { fields[name] = text }
            }
        }
        if !fields.isEmpty { object["fields"] = fields }
        switch ContentRecord.parse(object: object) {
        case .success(let record):
            return Stored(id: id, record: record, updatedAt: item.updatedAt)
        case .failure:
            return nil
        }
    }
}
