import Foundation

/// Text of a questionnaire in one or more languages: `"Title"` or `{"en": "Title", "fr": "Titre"}`.
public struct LocalizedText: Codable, Sendable, Hashable, ExpressibleByStringLiteral {
    public let values: [String: String]

    public init(_ values: [String: String]) { self.values = values }
    public init(stringLiteral value: String) { values = ["en": value] }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            values = ["en": text]
        } else {
            values = try container.decode([String: String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1, let english = values["en"] { try container.encode(english) } else { try container.encode(values) }
    }

    /// The text in `language`, else English, else any.
    public func text(_ language: String) -> String {
        values[language] ?? values["en"] ?? values.values.sorted().first ?? ""
    }
}

/// A questionnaire: sections (the steps of the form) of fields. Questionnaires are data,
/// written as JSON; a published version is never changed, a change is a new version.
public struct Questionnaire: Codable, Sendable, Hashable {
    /// Stable name shared by all versions, e.g. `case-study`.
    public let key: String
    public let version: Int
    public let title: LocalizedText
    public let description: LocalizedText?
    public let sections: [QuestionnaireSection]

    public init(key: String, version: Int, title: LocalizedText, description: LocalizedText? = nil, sections: [QuestionnaireSection]) {
        self.key = key
        self.version = version
        self.title = title
        self.description = description
        self.sections = sections
    }

    /// Every top-level field, in order.
    public var fields: [QuestionnaireField] { sections.flatMap(\.fields) }

    public func field(_ id: String) -> QuestionnaireField? { fields.first { $0.id == id } }

    public func section(_ id: String) -> QuestionnaireSection? { sections.first { $0.id == id } }

    /// Reads and checks a definition.
    public static func decode(json: String) throws -> Questionnaire {
        let questionnaire = try JSONDecoder().decode(Questionnaire.self, from: Data(json.utf8))
        try questionnaire.check()
        return questionnaire
    }

    /// The definition as JSON, keys sorted, for storing.
    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Structural rules: unique ids, choices with options, conditions on earlier fields.
    public func check() throws {
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw DefinitionError("the key “\(key)” must be letters, digits and hyphens")
        }
        guard version >= 1, version < 1_000_000 else { throw DefinitionError("the version must be a whole number from 1 to 999999") }
        guard !sections.isEmpty else { throw DefinitionError("a questionnaire needs at least one section") }
        var seenSections = Set<String>(), seen = Set<String>()
        for section in sections {
            guard seenSections.insert(section.id).inserted else { throw DefinitionError("section id “\(section.id)” is used twice") }
            for field in section.fields {
                guard seen.insert(field.id).inserted else { throw DefinitionError("field id “\(field.id)” is used twice") }
                guard field.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw DefinitionError("field id “\(field.id)” must be letters, digits and underscores")
                }
                for bound in [field.min, field.max].compactMap({ $0 }) + (field.fields ?? []).flatMap({ [$0.min, $0.max].compactMap { $0 } }) {
                    guard bound.isFinite, abs(bound) <= 1e12 else {
                        throw DefinitionError("“\(field.id)” has a limit out of range (\(bound)): limits are numbers within ±10¹²")
                    }
                }
                switch field.kind {
                case .singleChoice, .multipleChoice:
                    guard field.vocabulary != nil || !(field.options ?? []).isEmpty else {
                        throw DefinitionError("“\(field.id)” has no options and no vocabulary")
                    }
                case .terms:
                    guard field.vocabulary != nil else { throw DefinitionError("“\(field.id)” names no vocabulary") }
                case .group:
                    guard let subfields = field.fields, !subfields.isEmpty,
                          subfields.allSatisfy({ [.shortText, .email, .url, .number, .year, .date].contains($0.kind) })
                    else { throw DefinitionError("group “\(field.id)” needs subfields of simple kinds") }
                default:
                    break
                }
                if let condition = field.visibleWhen {
                    guard seen.contains(condition.field), condition.field != field.id else {
                        throw DefinitionError("“\(field.id)” depends on “\(condition.field)”, which is not an earlier field")
                    }
                }
            }
        }
    }

    public struct DefinitionError: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

public struct QuestionnaireSection: Codable, Sendable, Hashable {
    public let id: String
    public let title: LocalizedText
    public let intro: LocalizedText?
    public let fields: [QuestionnaireField]

    public init(id: String, title: LocalizedText, intro: LocalizedText? = nil, fields: [QuestionnaireField]) {
        self.id = id
        self.title = title
        self.intro = intro
        self.fields = fields
    }
}

/// One question.
public struct QuestionnaireField: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case shortText, longText, number, year, date, email, url
        case singleChoice, multipleChoice, yesNo, country
        /// Terms of a site vocabulary (sectors, tags…).
        case terms
        case file
        /// Rows of simple subfields (collaborators, links).
        case group
        /// Text for the reader, no answer.
        case guidance
    }

    public struct Option: Codable, Sendable, Hashable {
        public let value: String
        public let label: LocalizedText
        public init(value: String, label: LocalizedText) {
            self.value = value
            self.label = label
        }
    }

    /// Shown only when the answer to an earlier field is one of `equals`.
    public struct Condition: Codable, Sendable, Hashable {
        public let field: String
        public let equals: [String]
        public init(field: String, equals: [String]) {
            self.field = field
            self.equals = equals
        }
    }

    public let id: String
    public let kind: Kind
    public let label: LocalizedText
    public var help: LocalizedText?
    public var example: LocalizedText?
    public var required: Bool
    /// Numbers and years: the smallest value; several answers: the fewest.
    public var min: Double?
    /// Numbers and years: the largest value; several answers: the most; texts: characters.
    public var max: Double?
    public var options: [Option]?
    /// `radio` (default) or `select`, for single choices.
    public var display: String?
    public var vocabulary: String?
    /// Terms fields: answers outside the vocabulary are accepted (custom tags).
    public var allowOther: Bool?
    /// Files: accepted media types and the size limit per file in bytes.
    public var accept: [String]?
    public var maxBytes: Int?
    /// Files: whether the files of this question are published with the entry (images meant
    /// for the case page). Files of every other question stay with the entry's people and the
    /// editors, even after the entry is published.
    public var publicFiles: Bool?
    public var fields: [QuestionnaireField]?
    public var visibleWhen: Condition?
    /// The case-study field an answer becomes when the entry is published.
    public var mapsTo: String?

    public init(id: String, kind: Kind, label: LocalizedText, required: Bool = false) {
        self.id = id
        self.kind = kind
        self.label = label
        self.required = required
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, label, help, example, required, min, max, options, display, vocabulary, allowOther, accept, maxBytes, fields,
             visibleWhen, mapsTo
        case publicFiles = "public"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(Kind.self, forKey: .kind)
        label = try container.decode(LocalizedText.self, forKey: .label)
        help = try container.decodeIfPresent(LocalizedText.self, forKey: .help)
        example = try container.decodeIfPresent(LocalizedText.self, forKey: .example)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        min = try container.decodeIfPresent(Double.self, forKey: .min)
        max = try container.decodeIfPresent(Double.self, forKey: .max)
        options = try container.decodeIfPresent([Option].self, forKey: .options)
        display = try container.decodeIfPresent(String.self, forKey: .display)
        vocabulary = try container.decodeIfPresent(String.self, forKey: .vocabulary)
        allowOther = try container.decodeIfPresent(Bool.self, forKey: .allowOther)
        accept = try container.decodeIfPresent([String].self, forKey: .accept)
        maxBytes = try container.decodeIfPresent(Int.self, forKey: .maxBytes)
        publicFiles = try container.decodeIfPresent(Bool.self, forKey: .publicFiles)
        fields = try container.decodeIfPresent([QuestionnaireField].self, forKey: .fields)
        visibleWhen = try container.decodeIfPresent(Condition.self, forKey: .visibleWhen)
        mapsTo = try container.decodeIfPresent(String.self, forKey: .mapsTo)
    }

    /// The longest text accepted: `max` when given, else 300 characters for short answers
    /// and 5,000 for long ones.
    public var maximumLength: Int {
        if let max, [.shortText, .longText, .email, .url].contains(kind) { return Int(saturating: max) }
        return kind == .longText ? 5_000 : 300
    }

    /// Whether the field takes several values.
    public var isMultiple: Bool { [.multipleChoice, .terms, .file].contains(kind) }
}
