import Foundation

/// The value of one structured field, typed by the field's `FieldDefinition.Kind`.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    case boolean(Bool)
    case date(CalendarDate)
    case dateTime(ZonedTimestamp)
    /// Names of vocabulary terms, in order.
    case terms([String])
    case texts([String])
    case place(city: String, country: String)
}

/// One content item as it enters the system (from the importer, later from editors and
/// submissions), validated against its type's schema.
public struct ContentRecord: Sendable, Hashable {
    public var type: ContentType
    public var title: String
    public var slug: String
    /// The excerpt as written; `nil` when the item has none and one must be derived.
    public var excerpt: String?
    public var body: String
    public var status: WorkflowStatus
    public var publishedAt: ZonedTimestamp?
    public var updatedAt: ZonedTimestamp?
    public var language: String
    public var authors: [String]
    public var featured: Bool
    /// Classification shared by every type: countries, sectors, innovation facets, tags.
    public var terms: [Vocabulary: [String]]
    public var fields: [String: FieldValue]

    public init(
        type: ContentType, title: String, slug: String? = nil, excerpt: String? = nil, body: String = "",
        status: WorkflowStatus = .published, publishedAt: ZonedTimestamp? = nil, updatedAt: ZonedTimestamp? = nil,
        language: String = "en", authors: [String] = [], featured: Bool = false,
        terms: [Vocabulary: [String]] = [:], fields: [String: FieldValue] = [:]
    ) {
        self.type = type
        self.title = title
        self.slug = slug ?? Slug.make(from: title)
        self.excerpt = excerpt
        self.body = body
        self.status = status
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.language = language
        self.authors = authors
        self.featured = featured
        self.terms = terms
        self.fields = fields
    }

    /// The excerpt to show in listings: the written one, or one derived from the body.
    public var displayExcerpt: String {
        if let excerpt, !excerpt.allSatisfy(\.isWhitespace) {
            return Excerpt.truncate(plainText: excerpt)
        }
        return Excerpt.make(fromMarkdown: body)
    }

    /// Every vocabulary term the item carries: the shared classification plus the terms of its
    /// choice fields, each under the field's vocabulary.
    public var allTerms: [(vocabulary: Vocabulary, names: [String])] {
        var result = terms.sorted { $0.key < $1.key }.map { (vocabulary: $0.key, names: $0.value) }
        for field in type.fields {
            guard let vocabulary = field.vocabulary, case .terms(let names)? = fields[field.name] else { continue }
            result.append((vocabulary, names))
        }
        return result
    }
}

/// What is wrong with an input record, in words an operator can act on.
public struct RecordProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let key: L10nKey
    public let arguments: [String: String]

    init(_ key: L10nKey, _ arguments: [String: String] = [:]) {
        self.key = key
        self.arguments = arguments
    }

    public func message(_ localizer: Localizer = .english) -> String {
        var text = localizer(key)
        for (name, value) in arguments { text = text.replacing("{\(name)}", with: value) }
        return text
    }

    public var description: String { message() }
}

/// Reads records in the JSON Lines import format (see the README's "Import" section).
public enum ImportFormat {
    /// Keys of the shared classification and the vocabularies they fill.
    public static let classificationKeys: [(key: String, vocabulary: Vocabulary)] = [
        ("country", .country), ("sector", .sector), ("facet", .innovationFacet), ("tags", .tag),
    ]

    static let knownKeys: Set<String> = [
        "id", "type", "title", "slug", "body", "excerpt", "published_at", "updated_at", "status", "language",
        "author", "authors", "featured", "fields", "country", "sector", "facet", "tags",
    ]

    public static func parse(line: Substring) -> Result<ContentRecord, RecordProblem> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else {
            return .failure(RecordProblem("import.error.json"))
        }
        guard let dictionary = object as? [String: Any] else {
            return .failure(RecordProblem("import.error.notObject"))
        }
        do {
            return .success(try record(from: dictionary))
        } catch let problem as RecordProblem {
            return .failure(problem)
        } catch {
            return .failure(RecordProblem("import.error.json"))
        }
    }

    static func record(from object: [String: Any]) throws -> ContentRecord {
        if let unknown = object.keys.filter({ !knownKeys.contains($0) }).sorted().first {
            throw RecordProblem("import.error.unknownKey", ["key": unknown])
        }
        guard let typeName = object["type"] as? String else {
            throw RecordProblem("import.error.missing", ["key": "type"])
        }
        guard let type = ContentType(rawValue: typeName) else {
            throw RecordProblem("import.error.unknownType", ["type": typeName, "valid": ContentType.identifierList])
        }
        guard let title = (object["title"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty else {
            throw RecordProblem("import.error.missing", ["key": "title"])
        }
        var record = ContentRecord(type: type, title: title)
        if let slug = try optionalString(object, "slug"), !slug.isEmpty {
            guard Slug.isValid(slug) else { throw RecordProblem("import.error.slug", ["slug": slug]) }
            record.slug = slug
        }
        record.body = try optionalString(object, "body") ?? ""
        if let excerpt = try optionalString(object, "excerpt"), !excerpt.allSatisfy(\.isWhitespace) {
            record.excerpt = excerpt
        }
        record.publishedAt = try timestamp(object, "published_at")
        record.updatedAt = try timestamp(object, "updated_at")
        if let status = try optionalString(object, "status") {
            guard let parsed = WorkflowStatus(rawValue: status) else {
                throw RecordProblem("import.error.status", [
                    "status": status, "valid": WorkflowStatus.allCases.map(\.rawValue).joined(separator: ", "),
                ])
            }
            record.status = parsed
        }
        if record.status.isPublicOnceDue, record.publishedAt == nil {
            throw RecordProblem("import.error.missing", ["key": "published_at"])
        }
        if let language = try optionalString(object, "language") {
            guard (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw RecordProblem("import.error.language", ["language": language])
            }
            record.language = language.lowercased()
        }
        if let author = try optionalString(object, "author"), !author.isEmpty { record.authors = [author] }
        if object["authors"] != nil { record.authors = try stringList(object, "authors") }
        if let featured = object["featured"], !(featured is NSNull) {
            guard let flag = featured as? Bool else { throw RecordProblem("import.error.type", ["key": "featured", "expected": "true/false"]) }
            record.featured = flag
        }
        for (key, vocabulary) in classificationKeys where object[key] != nil {
            let names = try stringList(object, key)
            if !names.isEmpty { record.terms[vocabulary] = names }
        }
        if let fields = object["fields"], !(fields is NSNull) {
            guard let dictionary = fields as? [String: Any] else {
                throw RecordProblem("import.error.type", ["key": "fields", "expected": "object"])
            }
            record.fields = try fieldValues(dictionary, of: type)
        }
        return record
    }

    static func fieldValues(_ object: [String: Any], of type: ContentType) throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for (name, raw) in object {
            guard let field = type.field(named: name) else {
                throw RecordProblem("import.error.unknownField", ["field": name, "type": type.rawValue])
            }
            if raw is NSNull { continue }
            if let value = try fieldValue(raw, for: field) { values[name] = value }
        }
        return values
    }

    static func fieldValue(_ raw: Any, for field: FieldDefinition) throws -> FieldValue? {
        func problem(_ expected: String) -> RecordProblem {
            RecordProblem("import.error.field", ["field": field.name, "expected": expected])
        }
        switch field.kind {
        case .text, .url, .timeZone, .choice, .longText:
            guard let text = raw as? String else { throw problem("text") }
            if text.isEmpty { return nil }
            if case .longText(let maxLength) = field.kind, text.count > maxLength {
                throw RecordProblem("import.error.tooLong", ["field": field.name, "max": String(maxLength)])
            }
            if field.kind == .url, !isWebURL(text) { throw problem("http(s) URL") }
            if field.kind == .timeZone, TimeZone(identifier: text) == nil { throw problem("IANA time zone") }
            return field.kind == .choice ? .terms([text]) : .text(text)
        case .integer, .year:
            guard let number = raw as? NSNumber, !(raw is Bool), let integer = Int(exactly: number.doubleValue) else {
                throw problem("whole number")
            }
            if case .year(let range) = field.kind, !range.contains(integer) {
                throw problem("year \(range.lowerBound)–\(range.upperBound)")
            }
            return .integer(integer)
        case .boolean:
            guard let flag = raw as? Bool else { throw problem("true/false") }
            return .boolean(flag)
        case .date:
            guard let text = raw as? String, let date = CalendarDate(iso8601: text) else { throw problem("date YYYY-MM-DD") }
            return .date(date)
        case .dateTime:
            guard let text = raw as? String, let moment = ZonedTimestamp(rfc3339: text) else {
                throw problem("RFC 3339 date and time")
            }
            return .dateTime(moment)
        case .multipleChoice, .textList, .urlList:
            guard let list = raw as? [Any] else { throw problem("list of texts") }
            let texts = try list.map { element -> String in
                guard let text = element as? String else { throw problem("list of texts") }
                return text
            }.filter { !$0.isEmpty }
            if field.kind == .urlList, !texts.allSatisfy(isWebURL) { throw problem("list of http(s) URLs") }
            return field.kind == .multipleChoice ? .terms(texts) : .texts(texts)
        case .place:
            guard let place = raw as? [String: Any], let city = place["city"] as? String,
                  let country = place["country"] as? String
            else { throw problem("{\"city\": …, \"country\": …}") }
            return .place(city: city, country: country)
        }
    }

    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
              let url = URL(string: text), let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    static func optionalString(_ object: [String: Any], _ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw RecordProblem("import.error.type", ["key": key, "expected": "text"])
        }
        return text
    }

    static func stringList(_ object: [String: Any], _ key: String) throws -> [String] {
        guard let value = object[key], !(value is NSNull) else { return [] }
        if let single = value as? String { return single.isEmpty ? [] : [single] }
        guard let list = value as? [Any] else {
            throw RecordProblem("import.error.type", ["key": key, "expected": "list of texts"])
        }
        return try list.map { element in
            guard let text = element as? String else {
                throw RecordProblem("import.error.type", ["key": key, "expected": "list of texts"])
            }
            return text
        }.filter { !$0.isEmpty }
    }

    static func timestamp(_ object: [String: Any], _ key: String) throws -> ZonedTimestamp? {
        guard let text = try optionalString(object, key), !text.isEmpty else { return nil }
        guard let moment = ZonedTimestamp(rfc3339: text) else {
            throw RecordProblem("import.error.date", ["key": key, "value": text])
        }
        return moment
    }
}

extension ContentRecord {
    /// Every value of the record in a fixed order, for fingerprints that do not depend on
    /// dictionary order or process.
    public var canonicalDescription: String {
        var parts: [String] = [
            type.rawValue, title, slug, excerpt ?? "\u{0}", body, status.rawValue,
            publishedAt?.rfc3339 ?? "", updatedAt?.rfc3339 ?? "", language,
            authors.joined(separator: "\u{1}"), featured ? "1" : "0",
        ]
        for (vocabulary, names) in terms.sorted(by: { $0.key < $1.key }) {
            parts.append("\(vocabulary.rawValue)=\(names.joined(separator: "\u{1}"))")
        }
        for name in fields.keys.sorted() {
            parts.append("\(name)=\(fields[name].map(Self.describe) ?? "")")
        }
        return parts.joined(separator: "\u{2}")
    }

    private static func describe(_ value: FieldValue) -> String {
        switch value {
        case .text(let text): "t:" + text
        case .integer(let number): "i:\(number)"
        case .boolean(let flag): flag ? "b:1" : "b:0"
        case .date(let date): "d:" + date.iso8601
        case .dateTime(let moment): "m:" + moment.rfc3339
        case .terms(let names): "v:" + names.joined(separator: "\u{1}")
        case .texts(let texts): "l:" + texts.joined(separator: "\u{1}")
        case .place(let city, let country): "p:\(city)\u{1}\(country)"
        }
    }
}
