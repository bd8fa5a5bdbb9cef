/// One structured field of a content type: its name in the import format and the database,
/// what kind of value it holds and, for choices, which vocabulary its values come from.
public struct FieldDefinition: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// One line of text.
        case text
        /// Paragraphs of plain text, at most `maxLength` characters.
        case longText(maxLength: Int)
        case integer
        /// A calendar year within a range.
        case year(ClosedRange<Int>)
        /// A calendar date, `YYYY-MM-DD`.
        case date
        /// A moment with its UTC offset, as RFC 3339.
        case dateTime
        /// An IANA time-zone name.
        case timeZone
        case url
        case boolean
        /// One term of a vocabulary.
        case choice
        /// Several terms of a vocabulary.
        case multipleChoice
        /// An ordered list of short texts (criteria, language codes).
        case textList
        /// An ordered list of http(s) addresses.
        case urlList
        /// A city and a country.
        case place
    }

    public let name: String
    public let kind: Kind
    /// The vocabulary of a `choice` or `multipleChoice` field.
    public let vocabulary: Vocabulary?

    public init(_ name: String, _ kind: Kind, vocabulary: Vocabulary? = nil) {
        self.name = name
        self.kind = kind
        self.vocabulary = vocabulary
    }

    /// Localisation key of the field's label.
    public var labelKey: L10nKey { L10nKey("field.\(name)") }

    /// Whether values are stored as taxonomy terms (and so can be faceted by term).
    public var isTaxonomy: Bool { vocabulary != nil }
}

/// A named list of terms that items are classified by. Terms are data: the vocabulary only
/// names the list.
public struct Vocabulary: RawRepresentable, Sendable, Hashable, Codable, Comparable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.rawValue < rhs.rawValue }

    // Vocabularies every type shares.
    public static let country = Vocabulary("country")
    public static let sector = Vocabulary("sector")
    public static let tag = Vocabulary("tag")
    public static let innovationFacet = Vocabulary("innovation_facet")

    // Case studies.
    public static let organisationType = Vocabulary("organisation_type")
    public static let levelOfGovernment = Vocabulary("level_of_government")
    public static let primarySector = Vocabulary("primary_sector")
    public static let innovationTag = Vocabulary("innovation_tag")
    public static let innovationStatus = Vocabulary("innovation_status")
    public static let recognition = Vocabulary("recognition")

    // Toolkits.
    public static let licence = Vocabulary("licence")
    public static let toolkitFormat = Vocabulary("toolkit_format")
    public static let discipline = Vocabulary("discipline")
    public static let task = Vocabulary("task")
    public static let userType = Vocabulary("user_type")
    public static let level = Vocabulary("level")
    public static let reuse = Vocabulary("reuse")

    // Calls.
    public static let audience = Vocabulary("audience")

    /// Search: each term is a group of expressions that mean the same thing, separated by
    /// commas ("chatbot, virtual agent"). Items are never classified by it.
    public static let synonyms = Vocabulary("synonyms")

    /// Every vocabulary editors manage, in the order the admin lists them.
    public static let managed: [Vocabulary] = [
        .country, .sector, .tag, .innovationFacet, .organisationType, .levelOfGovernment, .primarySector, .innovationTag,
        .innovationStatus, .recognition, .licence, .toolkitFormat, .discipline, .task, .userType, .level, .reuse, .audience,
        .synonyms,
    ]

    /// Localisation key of the vocabulary's name ("Countries").
    public var labelKey: L10nKey { L10nKey("vocabulary.\(rawValue)") }
}

/// The structured fields of every content type, declared once.
public enum FieldSchemas {
    public static func fields(of type: ContentType) -> [FieldDefinition] {
        switch type {
        case .caseStudy: caseStudy
        case .toolkit: toolkit
        case .event: event
        case .call: call
        case .publication: publication
        case .post, .news: []
        }
    }

    public static let caseStudy: [FieldDefinition] = [
        FieldDefinition("organisation_name", .text),
        FieldDefinition("organisation_type", .choice, vocabulary: .organisationType),
        FieldDefinition("country_code", .text),
        FieldDefinition("level_of_government", .choice, vocabulary: .levelOfGovernment),
        /// What "Other" means when that is the level of government.
        FieldDefinition("level_of_government_other", .text),
        FieldDefinition("primary_sectors", .multipleChoice, vocabulary: .primarySector),
        FieldDefinition("innovation_tags", .multipleChoice, vocabulary: .innovationTag),
        FieldDefinition("innovation_status", .multipleChoice, vocabulary: .innovationStatus),
        FieldDefinition("year_launched", .year(1950...2100)),
        FieldDefinition("website", .url),
        FieldDefinition("short_explanation", .longText(maxLength: 500)),
        FieldDefinition("overview", .longText(maxLength: 5000)),
        FieldDefinition("what_makes_it_innovative", .longText(maxLength: 1000)),
        FieldDefinition("status_description", .longText(maxLength: 1000)),
        FieldDefinition("collaborations", .longText(maxLength: 500)),
        FieldDefinition("users_beneficiaries", .longText(maxLength: 500)),
        FieldDefinition("results", .longText(maxLength: 1000)),
        FieldDefinition("challenges", .longText(maxLength: 1000)),
        FieldDefinition("conditions_for_success", .longText(maxLength: 1000)),
        FieldDefinition("replication", .longText(maxLength: 1000)),
        FieldDefinition("lessons_learned", .longText(maxLength: 1000)),
        FieldDefinition("anything_else", .longText(maxLength: 1000)),
        // Materials.
        FieldDefinition("related_url", .url),
        FieldDefinition("video_urls", .urlList),
        FieldDefinition("recognition", .multipleChoice, vocabulary: .recognition),
        FieldDefinition("innovation_facets", .multipleChoice, vocabulary: .innovationFacet),
    ]

    public static let toolkit: [FieldDefinition] = [
        FieldDefinition("publisher", .text),
        FieldDefinition("licence", .choice, vocabulary: .licence),
        FieldDefinition("format", .choice, vocabulary: .toolkitFormat),
        FieldDefinition("discipline", .choice, vocabulary: .discipline),
        FieldDefinition("task", .choice, vocabulary: .task),
        FieldDefinition("user_type", .choice, vocabulary: .userType),
        FieldDefinition("level", .choice, vocabulary: .level),
        FieldDefinition("reuse", .choice, vocabulary: .reuse),
        FieldDefinition("url", .url),
        FieldDefinition("last_updated", .date),
    ]

    public static let event: [FieldDefinition] = [
        FieldDefinition("starts_at", .dateTime),
        FieldDefinition("ends_at", .dateTime),
        FieldDefinition("timezone", .timeZone),
        FieldDefinition("location", .place),
        FieldDefinition("online", .boolean),
        FieldDefinition("registration_url", .url),
    ]

    public static let call: [FieldDefinition] = [
        FieldDefinition("audience", .choice, vocabulary: .audience),
        FieldDefinition("opens_at", .dateTime),
        FieldDefinition("closes_at", .dateTime),
        FieldDefinition("timezone", .timeZone),
        FieldDefinition("criteria", .textList),
        FieldDefinition("languages", .textList),
    ]

    public static let publication: [FieldDefinition] = [
        FieldDefinition("publisher", .text),
        FieldDefinition("isbn", .text),
        FieldDefinition("url", .url),
        FieldDefinition("pages", .integer),
    ]
}
