/// The terms every new site starts with, per vocabulary. Terms are data: editors may add more
/// later; the sample content and the importer's fixtures only ever use these.
public enum StandardVocabularies {
    /// The seed terms of `vocabulary`, in display order; empty for open vocabularies (`tag`)
    /// and for vocabularies this list does not know.
    public static func terms(of vocabulary: Vocabulary) -> [String] {
        table[vocabulary] ?? []
    }

    /// Whether `term` is one of the seed terms of `vocabulary` (constant time).
    public static func contains(_ term: String, in vocabulary: Vocabulary) -> Bool {
        termSets[vocabulary]?.contains(term) ?? false
    }

    /// The vocabularies that have seed terms, in the order they are presented to editors.
    public static let seeded: [Vocabulary] = [
        .country, .sector, .innovationFacet,
        .organisationType, .levelOfGovernment, .primarySector, .innovationTag, .innovationStatus, .recognition,
        .licence, .toolkitFormat, .discipline, .task, .userType, .level, .reuse,
        .audience,
    ]

    /// Open vocabularies: any term may be used, none is seeded.
    public static let open: [Vocabulary] = [.tag]

    // MARK: - Shared classification

    public static let countries: [String] = Countries.all.map(\.name)

    public static let sectors: [String] = [
        "Health", "Education", "Public administration", "Environment", "Transport", "Social services",
        "Justice", "Employment", "Housing", "Energy", "Agriculture", "Finance", "Culture", "Security",
        "Digital government", "Urban development",
    ]

    public static let innovationFacets: [String] = [
        "Enhancement-oriented", "Adaptive", "Mission-oriented", "Anticipatory",
    ]

    // MARK: - Case studies

    public static let organisationTypes: [String] = [
        "Government", "Non-Governmental Organisation (NGO)", "International Organisation", "Academia",
        "Private Sector", "Independent institution",
    ]

    public static let levelsOfGovernment: [String] = [
        "National/Federal government", "Regional/State government", "Local government", "Other",
    ]

    public static let primarySectors: [String] = [
        "Economic affairs",
        "Education",
        "Employment and labour-related affairs",
        "Environmental protection, climate change, and agriculture",
        "External relations",
        "Health",
        "Housing and community relations",
        "Information society and digitalisation",
        "Public administration modernisation and reform",
        "Public order and safety, justice, and human rights",
        "Recreation, culture, and religion",
        "Science, research, and innovation",
        "Transport and infrastructure",
    ]

    public static let innovationTags: [String] = [
        "Citizen engagement", "Service design", "Data", "Public policy", "Process facilitation and co-design",
        "Open data", "Systems change", "Innovation management", "Behavioural insights", "Skills and competencies",
        "Strategic design", "Communication", "Evaluation and oversight", "Organisational design",
        "People networks / communities of practice", "Cross-border",
    ]

    /// The stages of the innovation lifecycle, in order.
    public static let innovationStatuses: [String] = [
        "Identifying or discovering problems or opportunities",
        "Generating ideas or designing solutions",
        "Developing proposals",
        "Implementation",
        "Evaluation",
        "Diffusing lessons",
    ]

    public static let recognitions: [String] = ["Shortlisted", "Award winner"]

    // MARK: - Toolkits

    public static let licences: [String] = [
        "CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC 4.0", "CC BY-NC-SA 4.0", "CC0 1.0", "All rights reserved",
    ]

    public static let toolkitFormats: [String] = [
        "Website", "PDF", "Workbook", "Card deck", "Online course", "Template",
    ]

    public static let disciplines: [String] = [
        "Service design", "Behavioural insights", "Foresight", "Systems thinking", "Data and analytics",
        "Evaluation", "Co-creation", "Strategic design",
    ]

    public static let tasks: [String] = [
        "Understand the problem", "Generate ideas", "Design a strategy", "Prototype and test", "Evaluate",
        "Scale and diffuse",
    ]

    public static let userTypes: [String] = ["Practitioner", "Manager", "Policymaker", "Facilitator"]

    public static let levels: [String] = ["Basic", "Intermediate", "Extensive"]

    /// Reuse codes, from most to least permissive: editable source files available, can be
    /// remixed, allows reuse, no reuse.
    public static let reuseCodes: [String] = ["editable-source", "remixable", "basic", "none"]

    // MARK: - Calls

    public static let audiences: [String] = [
        "City governments",
        "Regional and local governments",
        "National governments",
        "Public servants",
        "Public officials, NGOs, academia and companies",
        "Researchers and public sector practitioners",
        "Public sector innovation teams and labs",
        "Civil society organisations",
        "Start-ups and GovTech companies",
    ]

    private static let table: [Vocabulary: [String]] = [
        .country: countries,
        .sector: sectors,
        .innovationFacet: innovationFacets,
        .organisationType: organisationTypes,
        .levelOfGovernment: levelsOfGovernment,
        .primarySector: primarySectors,
        .innovationTag: innovationTags,
        .innovationStatus: innovationStatuses,
        .recognition: recognitions,
        .licence: licences,
        .toolkitFormat: toolkitFormats,
        .discipline: disciplines,
        .task: tasks,
        .userType: userTypes,
        .level: levels,
        .reuse: reuseCodes,
        .audience: audiences,
    ]

    private static let termSets: [Vocabulary: Set<String>] = table.mapValues { Set($0) }
}
