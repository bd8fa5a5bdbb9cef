import Foundation

/// A record as the JSON object of the import format: what revisions store, what the editor's
/// form is read into, and what restoring a revision reads back.
extension ContentRecord {
    /// Reads a record from an import-format object, with the importer's checks.
    public static func parse(object: [String: Any]) -> Result<ContentRecord, RecordProblem> {
        do {
            return .success(try ImportFormat.record(from: object))
        } catch let problem as RecordProblem {
            return .failure(problem)
        } catch {
            return .failure(RecordProblem("import.error.json"))
        }
    }

    /// The record as an import-format object (parsing it gives the same record back).
    public var importObject: [String: Any] {
        var object: [String: Any] = [
            "type": type.rawValue, "title": title, "slug": slug, "body": body, "status": status.rawValue,
            "language": language, "authors": authors, "featured": featured,
        ]
        if let excerpt { object["excerpt"] = excerpt }
        if let publishedAt { object["published_at"] = publishedAt.rfc3339 }
        if let updatedAt { object["updated_at"] = updatedAt.rfc3339 }
        for (key, vocabulary) in ImportFormat.classificationKeys {
            if let names = terms[vocabulary], !names.isEmpty { object[key] = names }
        }
        var fieldObject: [String: Any] = [:]
        for definition in type.fields {
            guard let value = fields[definition.name] else { continue }
            switch value {
            case .text(let text): fieldObject[definition.name] = text
            case .integer(let number): fieldObject[definition.name] = number
            case .boolean(let flag): fieldObject[definition.name] = flag
            case .date(let date): fieldObject[definition.name] = date.iso8601
            case .dateTime(let moment): fieldObject[definition.name] = moment.rfc3339
            case .terms(let names): fieldObject[definition.name] = definition.kind == .choice ? (names.first ?? "") : names
            case .texts(let texts): fieldObject[definition.name] = texts
            case .place(let city, let country): fieldObject[definition.name] = ["city": city, "country": country]
            }
        }
        if !fieldObject.isEmpty { object["fields"] = fieldObject }
        return object
    }

    /// The import object as JSON text, keys sorted.
    public var importJSON: String {
        let data = (try? JSONSerialization.data(withJSONObject: importObject, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func parse(json: String) -> Result<ContentRecord, RecordProblem> {
        ImportFormat.parse(line: Substring(json))
    }
}
