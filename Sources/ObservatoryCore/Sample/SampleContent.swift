import Foundation

// Sample content for demos, tests and benchmarks, in the JSON Lines import format:
// one object per line with the keys id, type, title, slug, body, excerpt, published_at,
// country, sector, facet, tags, author and fields, in that order.
//
// Item `i` depends only on `(seed, i)`: it is drawn from its own SplitMix64 streams, with
// integer arithmetic and no clock. Local times of events and calls take their UTC offsets
// from the time-zone database through `TimeZone`, which is deterministic for a given tzdata.

// MARK: - Public API

/// A deterministic generator of realistic sample content of all seven content types.
public struct SampleContent: Sendable {
    public let seed: UInt64

    public init(seed: UInt64 = 1) {
        self.seed = seed
    }

    /// Item `index` (from 1) as one JSON line without a line end. Its slug is the slugified
    /// title; `lines(count:)` adds `-2`, `-3`, … to slugs already used by earlier items.
    public func item(_ index: Int) -> String {
        let item = SampleGenerator.make(seed: seed, index: max(1, index))
        return item.json(slug: item.slug)
    }

    /// Items 1 through `count`, as JSON lines without line ends, with slugs unique across the
    /// whole sequence. Items are made as the sequence is iterated.
    public func lines(count: Int) -> some Sequence<String> {
        SampleLines(seed: seed, count: max(0, count))
    }
}

struct SampleLines: Sequence {
    let seed: UInt64
    let count: Int

    func makeIterator() -> Iterator { Iterator(seed: seed, count: count) }

    struct Iterator: IteratorProtocol {
        let seed: UInt64
        let count: Int
        var nextIndex = 1
        var usedSlugs: Set<String> = []

        init(seed: UInt64, count: Int) {
            self.seed = seed
            self.count = count
            usedSlugs.reserveCapacity(Swift.min(count, 1 << 20))
        }

        mutating func next() -> String? {
            guard nextIndex <= count else { return nil }
            let item = SampleGenerator.make(seed: seed, index: nextIndex)
            nextIndex += 1
            var slug = item.slug
            if usedSlugs.contains(slug) {
                var suffix = 2
                while usedSlugs.contains("\(item.slug)-\(suffix)") { suffix += 1 }
                slug = "\(item.slug)-\(suffix)"
            }
            usedSlugs.insert(slug)
            return item.json(slug: slug)
        }
    }
}

// MARK: - Random numbers

/// SplitMix64: small, fast, and the same on every platform.
struct SampleRandom {
    private var state: UInt64

    init(seed: UInt64, index: Int, stream: UInt64) {
        let mixedIndex = Self.mix(UInt64(truncatingIfNeeded: index) &+ stream &* 0xD6E8_FEB8_6659_FD93)
        state = Self.mix(seed ^ 0x5851_F42D_4C95_7F2D) ^ mixedIndex
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<Element>(_ elements: [Element]) -> Element { elements[below(elements.count)] }

    /// `count` distinct indices of `0..<bound`, in drawing order.
    mutating func distinct(_ count: Int, below bound: Int) -> [Int] {
        var pool = Array(0..<bound)
        let wanted = min(count, bound)
        for position in 0..<wanted {
            pool.swapAt(position, position + below(bound - position))
        }
        return Array(pool[0..<wanted])
    }

    /// An index drawn by weight from cumulative weights.
    mutating func weighted(_ cumulative: [Int]) -> Int {
        let target = below(cumulative[cumulative.count - 1])
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Cumulative weights falling like 1/(rank + offset): a gentle Zipf distribution.
private func sampleZipf(_ count: Int, offset: Int) -> [Int] {
    var total = 0
    return (0..<count).map { rank in
        total += 1_000_000 / (rank + offset)
        return total
    }
}

private func sampleCumulative(_ weights: [Int]) -> [Int] {
    var total = 0
    return weights.map { total += $0; return total }
}

// MARK: - Text helpers

private let sampleSmallWords: Set<Substring> = [
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
]

/// Title case: every word capitalised except short function words after the first.
func sampleTitleCase(_ text: String) -> String {
    var words: [String] = []
    for (position, word) in text.split(separator: " ").enumerated() {
        if position > 0, sampleSmallWords.contains(word) {
            words.append(String(word))
        } else {
            words.append(word.prefix(1).uppercased() + word.dropFirst())
        }
    }
    return words.joined(separator: " ")
}

func sampleCapitalised(_ text: String) -> String {
    guard let first = text.first, first.isLowercase else { return text }
    return first.uppercased() + text.dropFirst()
}

/// The data set's slug rule (lower case, drop `'`, runs outside `[a-z0-9]` become `-`, trim
/// `-`), applied after folding accented Latin letters to ASCII; cut at a hyphen to at most
/// `limit` characters.
func sampleSlug(_ text: String, limit: Int = 80) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var pendingHyphen = false
    func emit(_ byte: UInt8) {
        if pendingHyphen, !bytes.isEmpty { bytes.append(UInt8(ascii: "-")) }
        pendingHyphen = false
        bytes.append(byte)
    }
    let source = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.decomposedStringWithCanonicalMapping
    for scalar in source.unicodeScalars {
        let value = scalar.value
        switch value {
        case 0x41...0x5A: emit(UInt8(value + 32))
        case 0x61...0x7A, 0x30...0x39: emit(UInt8(value))
        case 0x27, 0x2019: continue
        case 0x0300...0x036F: continue  // combining accents left by the decomposition
        default:
            switch scalar {
            case "ø", "Ø": emit(UInt8(ascii: "o"))
            case "æ", "Æ": emit(UInt8(ascii: "a")); emit(UInt8(ascii: "e"))
            case "ß": emit(UInt8(ascii: "s")); emit(UInt8(ascii: "s"))
            case "ł", "Ł": emit(UInt8(ascii: "l"))
            case "đ", "Đ": emit(UInt8(ascii: "d"))
            case "ı": emit(UInt8(ascii: "i"))
            default: pendingHyphen = true
            }
        }
    }
    if bytes.count > limit {
        var cut = limit
        while cut > 0, bytes[cut] != UInt8(ascii: "-") { cut -= 1 }
        bytes.removeSubrange((cut > 0 ? cut : limit)...)
        while bytes.last == UInt8(ascii: "-") { bytes.removeLast() }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func sampleTwoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

private func sampleWordCount(_ text: String) -> Int {
    var count = 0
    var inWord = false
    var text = text
    text.withUTF8 { buffer in
        for byte in buffer {
            if byte == 0x20 || byte == 0x0A {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
            }
        }
    }
    return count
}

/// Length in Unicode scalars (the import format's characters), counted on the UTF-8 bytes.
func sampleLength(_ text: String) -> Int {
    var count = 0
    var text = text
    text.withUTF8 { buffer in
        for byte in buffer where byte & 0xC0 != 0x80 { count += 1 }
    }
    return count
}

private func sampleGroupedNumber(_ value: Int) -> String {
    value < 1000 ? "\(value)" : "\(value / 1000),\(String(value % 1000 + 1000).dropFirst())"
}

// MARK: - Dates and time zones

enum SampleClock {
    /// 2015-01-01T00:00:00Z and 2026-10-31T23:59:59Z: the range of `published_at`.
    static let firstPublished: Int64 = Int64(CalendarDate.daysSince1970(year: 2015, month: 1, day: 1)) * 86_400
    static let lastPublished: Int64 = Int64(CalendarDate.daysSince1970(year: 2026, month: 10, day: 31)) * 86_400 + 86_399
    static let lastDay: Int = CalendarDate.daysSince1970(year: 2026, month: 10, day: 31)

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private static let zones: [String: TimeZone] = {
        var zones: [String: TimeZone] = [:]
        for country in Countries.all {
            if let zone = TimeZone(identifier: country.timeZone) { zones[country.timeZone] = zone }
        }
        return zones
    }()

    static func zone(_ identifier: String) -> TimeZone {
        zones[identifier] ?? TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    static func utc(_ seconds: Int64) -> String {
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let ofDay = Int(seconds - Int64(days) * 86_400)
        return "\(isoDate(days))T\(sampleTwoDigits(ofDay / 3600)):\(sampleTwoDigits(ofDay / 60 % 60)):\(sampleTwoDigits(ofDay % 60))Z"
    }

    static func isoDate(_ days: Int) -> String {
        let date = CalendarDate(daysSince1970: days)
        return "\(date.year)-\(sampleTwoDigits(date.month))-\(sampleTwoDigits(date.day))"
    }

    /// "16 May 2022".
    static func humanDate(_ days: Int) -> String {
        let date = CalendarDate(daysSince1970: days)
        return "\(date.day) \(monthNames[date.month - 1]) \(date.year)"
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(_ days: Int) -> Int { ((days % 7) + 11) % 7 }

    /// A local wall-clock time in a zone, written as RFC 3339 with the zone's UTC offset at
    /// that moment (`2022-05-16T09:00:00-04:00`), and the moment in seconds since 1970. A
    /// time that falls in a daylight-saving gap moves forward by the gap.
    static func local(day: Int, minute: Int, zone identifier: String) -> (text: String, utc: Int64) {
        let zone = zone(identifier)
        let wall = Int64(day) * 86_400 + Int64(minute) * 60
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall)))
        var moment = wall - Int64(offset)
        let corrected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(moment)))
        if corrected != offset {
            moment = wall - Int64(corrected)
            offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(moment)))
        }
        return (rfc3339(moment: moment, offset: offset), moment)
    }

    static func rfc3339(moment: Int64, offset: Int) -> String {
        let local = moment + Int64(offset)
        let days = Int((local >= 0 ? local : local - 86_399) / 86_400)
        let ofDay = Int(local - Int64(days) * 86_400)
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return "\(isoDate(days))T\(sampleTwoDigits(ofDay / 3600)):\(sampleTwoDigits(ofDay / 60 % 60)):\(sampleTwoDigits(ofDay % 60))"
            + "\(sign)\(sampleTwoDigits(magnitude / 3600)):\(sampleTwoDigits(magnitude / 60 % 60))"
    }
}

// MARK: - Data: topics, places, organisations, people

struct SampleTopic: Sendable {
    let tag: String
    /// Lower-case noun phrase, never the grammatical subject of a template ("telehealth").
    let name: String
    /// Attributive form ("a telehealth pilot", "a chatbot pilot").
    let attribute: String
    /// A singular noun phrase that follows "the" ("remote consultation service").
    let service: String
    let users: String
    let problem: String
    let outcome: String
    let sector: String
    let innovationTag: String
    let discipline: String

    let title: String
    let attributeTitle: String
    let serviceTitle: String
    let usersTitle: String
    let problemTitle: String

    init(
        _ tag: String, _ name: String, _ attribute: String, _ service: String, _ users: String, _ problem: String,
        _ outcome: String, _ sector: String, _ innovationTag: String, _ discipline: String
    ) {
        self.tag = tag
        self.name = name
        self.attribute = attribute
        self.service = service
        self.users = users
        self.problem = problem
        self.outcome = outcome
        self.sector = sector
        self.innovationTag = innovationTag
        self.discipline = discipline
        title = sampleTitleCase(name)
        attributeTitle = sampleTitleCase(attribute)
        serviceTitle = sampleTitleCase(service)
        usersTitle = sampleTitleCase(users)
        problemTitle = sampleTitleCase(problem)
    }
}

struct SampleCity: Sendable {
    /// English, ASCII name for titles ("Montreal").
    let title: String
    /// The name as written locally ("Montréal").
    let local: String
}

struct SampleOrganisation: Sendable {
    let name: String
    let level: String
    let slug: String
}

struct SampleCountryProfile: Sendable {
    let country: Country
    /// The name as used in running text ("the Netherlands").
    let prose: String
    /// "Kenya's", "the Netherlands'".
    let possessive: String
    /// ISO 639-1 codes of local languages other than English.
    let languages: [String]
    /// The capital first.
    let cities: [SampleCity]
    let organisations: [SampleOrganisation]
}

enum SampleData {
    static let topics: [SampleTopic] = [
        SampleTopic("telehealth", "telehealth", "telehealth", "remote consultation service", "rural patients",
                    "long journeys to the nearest clinic", "fewer missed appointments", "Health", "Service design", "Service design"),
        SampleTopic("digital-permits", "digital permits", "digital permit", "building permit service", "homeowners and small builders",
                    "permit decisions that took months", "decisions in days rather than months", "Urban development", "Service design", "Service design"),
        SampleTopic("open-data", "open data", "open data", "public data portal", "journalists, researchers and start-ups",
                    "data locked away in departmental spreadsheets", "wider reuse of public data", "Digital government", "Open data", "Data and analytics"),
        SampleTopic("participatory-budgeting", "participatory budgeting", "participatory budgeting", "neighbourhood budget process", "residents",
                    "low trust in how local money is spent", "higher turnout in local decisions", "Public administration", "Citizen engagement", "Co-creation"),
        SampleTopic("behavioural-insights", "behavioural insights", "behavioural insights", "tax reminder letter", "taxpayers",
                    "late payments and costly follow-up", "more payments made on time", "Finance", "Behavioural insights", "Behavioural insights"),
        SampleTopic("artificial-intelligence", "artificial intelligence", "AI", "case triage system", "caseworkers and applicants",
                    "growing backlogs of routine cases", "faster handling of routine cases", "Digital government", "Data", "Data and analytics"),
        SampleTopic("digital-identity", "digital identity", "digital identity", "online identity check", "citizens living abroad",
                    "repeated office visits to prove who they are", "far fewer visits to public offices", "Digital government", "Service design", "Service design"),
        SampleTopic("climate-adaptation", "climate adaptation", "climate adaptation", "flood warning system", "households in flood-prone areas",
                    "warnings that arrived too late to act on", "earlier and clearer warnings", "Environment", "Systems change", "Foresight"),
        SampleTopic("school-meals", "school meals", "school meals", "school meal programme", "pupils and their families",
                    "children arriving at school hungry", "better attendance and concentration", "Education", "Public policy", "Evaluation"),
        SampleTopic("youth-employment", "youth employment", "youth employment", "job matching service", "young jobseekers",
                    "long spells of unemployment after school", "quicker moves into work", "Employment", "Public policy", "Evaluation"),
        SampleTopic("social-housing", "social housing", "social housing", "housing allocation process", "families on waiting lists",
                    "opaque and unpredictable waiting lists", "clearer information for applicants", "Housing", "Service design", "Service design"),
        SampleTopic("mobility-as-a-service", "mobility as a service", "mobility", "journey planning app", "commuters",
                    "fragmented tickets and timetables", "more trips made by public transport", "Transport", "Systems change", "Systems thinking"),
        SampleTopic("cycling", "cycling", "cycling", "cycle lane network", "commuters and schoolchildren",
                    "dangerous junctions on the way to school", "more journeys made by bike", "Transport", "Citizen engagement", "Co-creation"),
        SampleTopic("recycling", "recycling", "recycling", "household waste collection", "households and local businesses",
                    "rising landfill costs", "less waste sent to landfill", "Environment", "Systems change", "Systems thinking"),
        SampleTopic("energy-poverty", "energy poverty", "energy advice", "home energy advice service", "low-income households",
                    "cold homes and unaffordable bills", "lower bills for vulnerable households", "Energy", "Public policy", "Behavioural insights"),
        SampleTopic("precision-agriculture", "precision agriculture", "precision farming", "agricultural advisory service", "smallholder farmers",
                    "unpredictable harvests and poor market information", "higher and more stable yields", "Agriculture", "Data", "Data and analytics"),
        SampleTopic("online-dispute-resolution", "online dispute resolution", "online dispute", "small claims procedure", "people with small disputes",
                    "court delays of more than a year", "disputes settled in weeks", "Justice", "Service design", "Service design"),
        SampleTopic("cybersecurity", "cybersecurity", "cybersecurity", "municipal security operations centre", "small municipalities",
                    "outdated systems and too few specialists", "fewer successful attacks", "Security", "Skills and competencies", "Strategic design"),
        SampleTopic("innovation-procurement", "innovation procurement", "procurement", "public tender process", "start-ups and small suppliers",
                    "tenders that only large firms could win", "more contracts won by small suppliers", "Finance", "Innovation management", "Strategic design"),
        SampleTopic("foresight", "strategic foresight", "foresight", "long-term planning process", "policy teams",
                    "plans that ignored long-term risks", "budgets that account for future risks", "Public administration", "Strategic design", "Foresight"),
        SampleTopic("mental-health", "youth mental health", "mental health", "early support service", "young people",
                    "waits of several months for a first appointment", "faster first contact with a professional", "Health", "Service design", "Co-creation"),
        SampleTopic("healthy-ageing", "healthy ageing", "healthy ageing", "home care service", "older people living alone",
                    "loneliness and avoidable hospital stays", "fewer emergency admissions", "Social services", "Systems change", "Systems thinking"),
        SampleTopic("migrant-integration", "migrant integration", "integration", "integration programme", "newly arrived migrants",
                    "slow recognition of skills and diplomas", "faster entry into work", "Social services", "Cross-border", "Co-creation"),
        SampleTopic("digital-skills", "digital skills", "digital skills", "digital skills academy", "public servants",
                    "staff unsure how to use new tools", "more confident and capable teams", "Education", "Skills and competencies", "Co-creation"),
        SampleTopic("digital-culture", "digital culture", "digital culture", "online collections platform", "schools and museum visitors",
                    "collections that few people could see", "wider access to public collections", "Culture", "Communication", "Service design"),
        SampleTopic("disaster-resilience", "disaster resilience", "resilience", "emergency alert system", "residents of high-risk areas",
                    "confusing evacuation messages", "faster and calmer evacuations", "Security", "Communication", "Foresight"),
        SampleTopic("regulatory-sandboxes", "regulatory sandboxes", "regulatory sandbox", "licensing process for new firms", "fintech start-ups",
                    "rules written for older technologies", "safer testing of new products", "Finance", "Public policy", "Strategic design"),
        SampleTopic("innovation-labs", "innovation labs", "innovation lab", "internal innovation fund", "civil servants with new ideas",
                    "good ideas that never left the drawing board", "more ideas tested in practice", "Public administration", "Innovation management", "Strategic design"),
        SampleTopic("communities-of-practice", "communities of practice", "peer learning", "peer learning network", "innovation teams across government",
                    "teams repeating each other's mistakes", "faster spread of good practice", "Public administration", "People networks / communities of practice", "Co-creation"),
        SampleTopic("water-management", "smart water management", "smart water", "leak detection programme", "water utilities and their customers",
                    "losing a third of treated water to leaks", "much lower water losses", "Environment", "Data", "Data and analytics"),
        SampleTopic("evaluation", "real-time evaluation", "evaluation", "programme monitoring system", "programme managers",
                    "evaluations that arrived years too late", "decisions based on current evidence", "Public administration", "Evaluation and oversight", "Evaluation"),
        SampleTopic("chatbots", "chatbots", "chatbot", "citizen enquiry service", "callers to public helplines",
                    "long queues on the phone", "shorter queues and faster answers", "Digital government", "Service design", "Data and analytics"),
        SampleTopic("agile-government", "agile government", "agile", "budgeting and planning cycle", "project teams",
                    "rigid annual plans that could not adapt", "faster course corrections", "Public administration", "Organisational design", "Strategic design"),
        SampleTopic("open-government", "open government", "open government", "public consultation process", "citizens and civil society groups",
                    "consultations that attracted only the usual voices", "broader participation in policymaking", "Public administration", "Citizen engagement", "Co-creation"),
        SampleTopic("blockchain", "blockchain", "blockchain", "land registry", "landowners and farmers",
                    "disputed land titles", "fewer disputes over land ownership", "Digital government", "Data", "Data and analytics"),
        SampleTopic("public-health-data", "public health data", "health data", "disease surveillance dashboard", "health authorities",
                    "outbreaks spotted weeks too late", "earlier response to outbreaks", "Health", "Data", "Data and analytics"),
    ]

    static let topicWeights = sampleZipf(topics.count, offset: 6)

    /// General tags that may follow an item's topic tags.
    static let generalTags = [
        "open-government", "co-design", "user-research", "human-centred-design", "digital-transformation",
        "public-value", "experimentation", "evidence", "collaboration", "local-government", "scaling",
        "procurement", "ethics", "inclusion", "sustainability", "trust", "behavioural-insights", "open-data",
    ]

    /// Tags whose innovation-tag counterpart a case study carries.
    static let tagCounterparts: [String: String] = [
        "open-government": "Citizen engagement", "co-design": "Process facilitation and co-design",
        "user-research": "Service design", "human-centred-design": "Service design",
        "behavioural-insights": "Behavioural insights", "open-data": "Open data", "evidence": "Evaluation and oversight",
        "collaboration": "People networks / communities of practice", "experimentation": "Innovation management",
        "digital-transformation": "Organisational design",
    ]

    static let sectorWeights = sampleZipf(StandardVocabularies.sectors.count, offset: 3)

    /// The questionnaire's primary sector that corresponds to each data-set sector.
    static let primarySectorOf: [String: String] = [
        "Health": "Health",
        "Education": "Education",
        "Public administration": "Public administration modernisation and reform",
        "Environment": "Environmental protection, climate change, and agriculture",
        "Transport": "Transport and infrastructure",
        "Social services": "Housing and community relations",
        "Justice": "Public order and safety, justice, and human rights",
        "Employment": "Employment and labour-related affairs",
        "Housing": "Housing and community relations",
        "Energy": "Environmental protection, climate change, and agriculture",
        "Agriculture": "Environmental protection, climate change, and agriculture",
        "Finance": "Economic affairs",
        "Culture": "Recreation, culture, and religion",
        "Security": "Public order and safety, justice, and human rights",
        "Digital government": "Information society and digitalisation",
        "Urban development": "Transport and infrastructure",
    ]

    static let authors = [
        "Amara Nwosu", "Benedikt Kraus", "Camille Laurent", "Diego Herrera", "Elena Petrova", "Farah Haddad",
        "Gustav Lindberg", "Hana Sato", "Isabel Duarte", "Jamal Mensah", "Katarina Horvat", "Leo Virtanen",
        "Maya Krishnan", "Nikolai Berg", "Olivia Grant", "Pablo Ortega", "Quinn Murphy", "Rosa Moreno",
        "Samuel Okoro", "Tara Nolan", "Ulla Jensen", "Victor Almeida", "Wen Li", "Yasmin Rahman",
    ]

    static let people = [
        "Amina Odhiambo", "Jonas Weber", "Marta Silva", "Priya Raman", "Lucía Fernández", "Søren Holm", "Aiko Tanaka",
        "Tomasz Nowak", "Grace Mensah", "Elif Yılmaz", "Mateus Costa", "Claire Dubois", "Ngozi Adeyemi", "Pedro Alves",
        "Hye-jin Park", "Liam O'Connor", "Anna Kowalczyk", "Rafael Gómez", "Mia Virtanen", "David Mwangi",
    ]

    static let roles = [
        "head of digital services", "chief innovation officer", "programme director", "lead service designer",
        "deputy mayor", "policy lead", "director of the innovation lab", "head of the data team",
    ]

    static let methods = [
        "user research", "journey mapping", "rapid prototyping", "a randomised controlled trial", "co-design workshops",
        "ethnographic interviews", "a data audit", "scenario planning", "a service blueprint", "A/B testing of letters",
        "a citizens' panel", "systems mapping",
    ]

    static let partners = [
        "local universities", "civil society groups", "frontline staff", "neighbourhood associations", "start-ups",
        "the national statistics office", "public libraries", "trade unions", "patient groups",
        "a regional development agency", "schools", "private software suppliers",
    ]

    static let challenges = [
        "persuading departments to share their data", "an ageing IT system that few people understood",
        "staff turnover in the middle of the pilot", "uncertainty about the legal basis for the new process",
        "reaching people without reliable internet access", "a budget that was cut halfway through the project",
        "keeping political attention after the launch",
    ]

    static let conditions = [
        "steady political sponsorship", "a dedicated multidisciplinary team", "the early involvement of frontline staff",
        "access to reliable data", "flexible funding that allowed the team to change course",
        "a clear mandate from senior management", "trust built with the community over many years",
    ]

    static let novelties = [
        "treats {users} as co-designers rather than recipients", "combines {method} with open data",
        "replaces a paper process with a service built around life events",
        "lets frontline staff change the service without waiting for a new IT contract",
        "publishes its performance data every week", "brings {partner} into the decisions from the start",
    ]

    static let noveltyTemplates = novelties.map(SampleTemplate.init)

    static let eventKinds = ["webinar", "workshop", "conference", "hackathon", "bootcamp"]
    static let eventKindWeights = sampleCumulative([35, 25, 20, 10, 10])

    static let toolkitAudiences = ["Cities", "Public Servants", "Policy Teams", "Local Governments", "Innovation Labs", "Managers"]
    static let titleQualifiers = ["Practical", "Essential", "Open", "Rapid", "Field", "Pocket", "Starter", "Advanced", "Community", "Everyday"]
    static let numberWords = ["Three", "Four", "Five", "Six", "Seven", "Ten"]

    static let languageNames: [String: String] = [
        "en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese", "de": "German", "it": "Italian",
        "nl": "Dutch", "sv": "Swedish", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "is": "Icelandic",
        "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "pl": "Polish", "sl": "Slovenian", "el": "Greek",
        "tr": "Turkish", "ar": "Arabic", "uk": "Ukrainian", "ka": "Georgian", "ja": "Japanese", "ko": "Korean",
        "id": "Indonesian", "ms": "Malay", "th": "Thai", "vi": "Vietnamese", "fil": "Filipino", "bn": "Bengali",
        "ur": "Urdu", "ne": "Nepali", "hi": "Hindi", "sw": "Swahili", "rw": "Kinyarwanda", "zu": "Zulu",
        "af": "Afrikaans", "mi": "Maori", "ga": "Irish", "ca": "Catalan", "qu": "Quechua", "zh": "Chinese", "ta": "Tamil",
    ]

    static let countryWeights = sampleZipf(Countries.all.count, offset: 3)

    /// Code, local languages, cities (English title form, or `Title|Local`; the capital first),
    /// organisations (`N:` national, `R:` regional, `L:` local), separated by `;`.
    private static let profileTable: [(String, String, String, String)] = [
        ("KE", "sw", "Nairobi;Mombasa;Kisumu",
         "N:Ministry of Information, Communications and the Digital Economy;N:Kenya Revenue Authority;R:Makueni County Government;L:Nairobi City County"),
        ("CA", "fr", "Ottawa;Toronto;Montreal|Montréal;Vancouver",
         "N:Canadian Digital Service;N:Employment and Social Development Canada;R:Gouvernement du Québec;L:Ville de Montréal;L:City of Toronto"),
        ("FR", "fr", "Paris;Lyon;Nantes",
         "N:Direction interministérielle du numérique;N:Ministère de la Transition écologique;R:Région Île-de-France;L:Ville de Paris;L:Métropole de Lyon"),
        ("DE", "de", "Berlin;Munich|München;Hamburg;Cologne|Köln",
         "N:Bundesministerium des Innern;N:Bundesagentur für Arbeit;R:Land Nordrhein-Westfalen;L:Landeshauptstadt München;L:Stadt Köln"),
        ("BR", "pt", "Brasilia;Sao Paulo|São Paulo;Recife;Belo Horizonte",
         "N:Ministério da Gestão e da Inovação em Serviços Públicos;N:Escola Nacional de Administração Pública;R:Governo do Estado de Pernambuco;L:Município de São Paulo;L:Prefeitura de Belo Horizonte"),
        ("IN", "hi", "New Delhi;Bengaluru;Pune;Chennai",
         "N:Ministry of Electronics and Information Technology;N:NITI Aayog;R:Government of Kerala;L:Pune Municipal Corporation;L:Greater Chennai Corporation"),
        ("ID", "id", "Jakarta;Surabaya;Bandung",
         "N:Ministry of Administrative and Bureaucratic Reform;R:Pemerintah Provinsi DKI Jakarta;L:Pemerintah Kota Surabaya;L:Pemerintah Kota Bandung"),
        ("CL", "es", "Santiago;Valparaiso|Valparaíso;Concepcion|Concepción",
         "N:Laboratorio de Gobierno;N:Ministerio Secretaría General de la Presidencia;R:Gobierno Regional de Valparaíso;L:Municipalidad de Peñalolén;L:Municipalidad de Santiago"),
        ("CO", "es", "Bogota;Medellin|Medellín;Cali",
         "N:Departamento Nacional de Planeación;N:Ministerio de Tecnologías de la Información y las Comunicaciones;R:Gobernación de Antioquia;L:Alcaldía Mayor de Bogotá;L:Alcaldía de Medellín"),
        ("MX", "es", "Mexico City|Ciudad de México;Guadalajara;Monterrey;Puebla",
         "N:Agencia de Transformación Digital y Telecomunicaciones;R:Gobierno del Estado de Jalisco;L:Gobierno de la Ciudad de México;L:Municipio de Monterrey"),
        ("DK", "da", "Copenhagen;Aarhus;Odense",
         "N:Digitaliseringsstyrelsen;N:Erhvervsstyrelsen;R:Region Midtjylland;L:Københavns Kommune;L:Aarhus Kommune"),
        ("FI", "fi;sv", "Helsinki;Tampere;Espoo",
         "N:Ministry of Finance of Finland;N:Kela;R:Uusimaa Regional Council;L:Helsingin kaupunki;L:Espoon kaupunki"),
        ("EE", "et", "Tallinn;Tartu",
         "N:Riigi Infosüsteemi Amet;N:Ministry of Economic Affairs and Communications;L:Tallinna Linnavalitsus;L:Tartu linn"),
        ("PT", "pt", "Lisbon|Lisboa;Porto;Braga",
         "N:Agência para a Modernização Administrativa;R:Comissão de Coordenação e Desenvolvimento Regional do Norte;L:Câmara Municipal de Lisboa;L:Câmara Municipal do Porto"),
        ("ES", "es;ca", "Madrid;Barcelona;Valencia|València;Bilbao",
         "N:Ministerio para la Transformación Digital y de la Función Pública;R:Generalitat de Catalunya;R:Junta de Andalucía;L:Ajuntament de Barcelona;L:Ayuntamiento de Madrid"),
        ("IT", "it", "Rome|Roma;Milan|Milano;Bologna;Turin|Torino",
         "N:Dipartimento per la trasformazione digitale;R:Regione Emilia-Romagna;L:Comune di Milano;L:Comune di Bologna"),
        ("IE", "ga", "Dublin;Cork;Galway",
         "N:Office of the Government Chief Information Officer;N:Department of Public Expenditure and Reform;L:Dublin City Council;L:Cork County Council"),
        ("JP", "ja", "Tokyo;Kobe;Osaka;Fukuoka",
         "N:Digital Agency of Japan;R:Kanagawa Prefectural Government;L:Kobe City;L:Fukuoka City"),
        ("KR", "ko", "Seoul;Busan;Daejeon",
         "N:Ministry of the Interior and Safety;R:Gyeonggi Provincial Government;L:Seoul Metropolitan Government;L:Busan Metropolitan City"),
        ("AU", "", "Canberra;Sydney;Melbourne;Brisbane",
         "N:Digital Transformation Agency;N:Services Australia;R:NSW Department of Customer Service;L:City of Melbourne;L:Brisbane City Council"),
        ("NZ", "mi", "Wellington;Auckland;Christchurch",
         "N:Department of Internal Affairs;N:Te Puni Kōkiri;R:Greater Wellington Regional Council;L:Auckland Council;L:Christchurch City Council"),
        ("SG", "ms;zh;ta", "Singapore",
         "N:GovTech Singapore;N:Smart Nation and Digital Government Office;N:Ministry of Manpower"),
        ("RW", "rw;fr", "Kigali;Huye;Musanze",
         "N:Rwanda Information Society Authority;N:Ministry of ICT and Innovation;L:City of Kigali"),
        ("GH", "", "Accra;Kumasi",
         "N:National Information Technology Agency;N:Ministry of Communications and Digitalisation;L:Accra Metropolitan Assembly;L:Kumasi Metropolitan Assembly"),
        ("NG", "", "Abuja;Lagos;Kaduna",
         "N:National Information Technology Development Agency;R:Lagos State Government;R:Kaduna State Government;L:Abuja Municipal Area Council"),
        ("ZA", "af;zu", "Pretoria;Cape Town;Johannesburg;Durban",
         "N:Department of Public Service and Administration;N:Centre for Public Service Innovation;R:Western Cape Government;L:City of Cape Town;L:City of Johannesburg"),
        ("MA", "ar;fr", "Rabat;Casablanca;Marrakesh",
         "N:Agence de Développement du Digital;N:Ministère de la Transition Numérique et de la Réforme de l'Administration;L:Commune de Casablanca;L:Commune de Rabat"),
        ("TN", "ar;fr", "Tunis;Sfax;Sousse",
         "N:Ministère des Technologies de la Communication;L:Municipalité de Tunis;L:Commune de Sfax"),
        ("EG", "ar", "Cairo;Alexandria",
         "N:Ministry of Communications and Information Technology;N:Information and Decision Support Center;R:Alexandria Governorate"),
        ("JO", "ar", "Amman;Irbid",
         "N:Ministry of Digital Economy and Entrepreneurship;L:Greater Amman Municipality"),
        ("LB", "ar;fr", "Beirut;Tripoli",
         "N:Office of the Minister of State for Administrative Reform;L:Municipality of Beirut"),
        ("TR", "tr", "Ankara;Istanbul;Izmir",
         "N:Presidency Digital Transformation Office;L:İstanbul Büyükşehir Belediyesi;L:İzmir Büyükşehir Belediyesi"),
        ("GR", "el", "Athens;Thessaloniki",
         "N:Ministry of Digital Governance;L:Δήμος Αθηναίων;L:Δήμος Θεσσαλονίκης"),
        ("PL", "pl", "Warsaw|Warszawa;Krakow|Kraków;Gdansk|Gdańsk",
         "N:Kancelaria Prezesa Rady Ministrów;R:Urząd Marszałkowski Województwa Pomorskiego;L:Miasto Stołeczne Warszawa;L:Urząd Miasta Krakowa"),
        ("LT", "lt", "Vilnius;Kaunas",
         "N:Ministry of the Economy and Innovation;L:Vilniaus miesto savivaldybė;L:Kauno miesto savivaldybė"),
        ("LV", "lv", "Riga;Liepaja|Liepāja",
         "N:Valsts reģionālās attīstības aģentūra;L:Rīgas valstspilsētas pašvaldība;L:Liepājas valstspilsētas pašvaldība"),
        ("SI", "sl", "Ljubljana;Maribor",
         "N:Ministrstvo za javno upravo;L:Mestna občina Ljubljana;L:Mestna občina Maribor"),
        ("AT", "de", "Vienna|Wien;Graz;Linz",
         "N:Bundesministerium für Kunst, Kultur, öffentlichen Dienst und Sport;R:Land Oberösterreich;L:Stadt Wien;L:Stadt Graz"),
        ("CH", "de;fr;it", "Bern;Zurich|Zürich;Geneva|Genève;Basel",
         "N:Bundeskanzlei;R:République et canton de Genève;R:Kanton Basel-Stadt;L:Stadt Zürich"),
        ("NL", "nl", "Amsterdam;Rotterdam;Utrecht;The Hague|Den Haag",
         "N:Ministerie van Binnenlandse Zaken en Koninkrijksrelaties;R:Provincie Noord-Brabant;L:Gemeente Amsterdam;L:Gemeente Utrecht"),
        ("BE", "nl;fr", "Brussels;Ghent|Gent;Antwerp|Antwerpen;Liege|Liège",
         "N:FPS Policy and Support;R:Région de Bruxelles-Capitale;R:Vlaamse overheid;L:Stad Gent;L:Ville de Liège"),
        ("NO", "no", "Oslo;Bergen;Trondheim",
         "N:Digitaliseringsdirektoratet;R:Vestland fylkeskommune;L:Oslo kommune;L:Trondheim kommune"),
        ("SE", "sv", "Stockholm;Gothenburg|Göteborg;Malmo|Malmö",
         "N:Myndigheten för digital förvaltning;R:Region Skåne;L:Göteborgs Stad;L:Malmö stad"),
        ("IS", "is", "Reykjavik;Akureyri",
         "N:Stafrænt Ísland;L:Reykjavíkurborg;L:Akureyrarbær"),
        ("GB", "", "London;Manchester;Bristol;Glasgow;Cardiff",
         "N:Government Digital Service;N:Cabinet Office;R:Scottish Government;R:Welsh Government;L:Camden Council;L:Bristol City Council"),
        ("US", "es", "Washington;New York;Boston;San Francisco",
         "N:United States Digital Service;N:General Services Administration;R:State of California;L:City of Boston;L:New York City Mayor's Office"),
        ("AR", "es", "Buenos Aires;Cordoba|Córdoba;Rosario",
         "N:Secretaría de Innovación Pública;R:Provincia de Mendoza;L:Gobierno de la Ciudad de Buenos Aires;L:Municipalidad de Rosario"),
        ("UY", "es", "Montevideo;Salto",
         "N:Agencia de Gobierno Electrónico y Sociedad de la Información;L:Intendencia de Montevideo"),
        ("PE", "es;qu", "Lima;Arequipa;Cusco",
         "N:Secretaría de Gobierno y Transformación Digital;L:Municipalidad de Lima;L:Municipalidad Provincial de Arequipa"),
        ("EC", "es", "Quito;Guayaquil;Cuenca",
         "N:Ministerio de Telecomunicaciones y de la Sociedad de la Información;L:Municipio del Distrito Metropolitano de Quito;L:Municipalidad de Guayaquil"),
        ("CR", "es", "San Jose;Cartago",
         "N:Ministerio de Ciencia, Innovación, Tecnología y Telecomunicaciones;L:Municipalidad de San José"),
        ("PH", "fil", "Manila;Quezon City;Cebu City",
         "N:Department of Information and Communications Technology;L:Quezon City Government;L:Cebu City Government"),
        ("VN", "vi", "Hanoi|Hà Nội;Ho Chi Minh City|Thành phố Hồ Chí Minh;Da Nang|Đà Nẵng",
         "N:Ministry of Information and Communications;L:Ủy ban nhân dân Thành phố Hồ Chí Minh;L:Da Nang City People's Committee"),
        ("TH", "th", "Bangkok;Chiang Mai;Khon Kaen",
         "N:Digital Government Development Agency;L:Bangkok Metropolitan Administration;L:Khon Kaen Municipality"),
        ("MY", "ms", "Kuala Lumpur;Penang;Johor Bahru",
         "N:Malaysian Administrative Modernisation and Management Planning Unit;R:Penang State Government;L:Kuala Lumpur City Hall"),
        ("BD", "bn", "Dhaka;Chittagong",
         "N:Aspire to Innovate Programme;L:Dhaka North City Corporation"),
        ("PK", "ur", "Islamabad;Lahore;Karachi",
         "N:Ministry of IT and Telecommunication;R:Punjab Information Technology Board;L:Lahore Development Authority"),
        ("NP", "ne", "Kathmandu;Pokhara",
         "N:Ministry of Communication and Information Technology;L:Kathmandu Metropolitan City;L:Pokhara Metropolitan City"),
        ("UA", "uk", "Kyiv;Lviv;Kharkiv",
         "N:Ministry of Digital Transformation of Ukraine;L:Київська міська рада;L:Lviv City Council"),
        ("GE", "ka", "Tbilisi;Batumi",
         "N:Public Service Development Agency;L:Tbilisi City Hall"),
    ]

    private static let countriesWithArticle: Set<String> = ["Netherlands", "Philippines", "United Kingdom", "United States"]

    /// One profile per country, in the order of `Countries.all`.
    static let profiles: [SampleCountryProfile] = {
        var rows: [String: (String, String, String)] = [:]
        for (code, languages, cities, organisations) in profileTable { rows[code] = (languages, cities, organisations) }
        return Countries.all.map { country in
            let row = rows[country.alpha2] ?? ("", country.capital, "N:Government of \(country.name)")
            let prose = countriesWithArticle.contains(country.name) ? "the \(country.name)" : country.name
            let possessive = prose.hasSuffix("s") ? "\(prose)'" : "\(prose)'s"
            let cities = row.1.split(separator: ";").enumerated().map { position, entry -> SampleCity in
                let parts = entry.split(separator: "|")
                let title = String(parts[0])
                let local = position == 0 ? country.capital : String(parts.count > 1 ? parts[1] : parts[0])
                return SampleCity(title: title, local: local)
            }
            let organisations = row.2.split(separator: ";").map { entry -> SampleOrganisation in
                let level: String = switch entry.prefix(2) {
                case "R:": "Regional/State government"
                case "L:": "Local government"
                default: "National/Federal government"
                }
                let name = String(entry.dropFirst(2))
                var slug = sampleSlug(name, limit: 60)
                if slug.count < 4 { slug = country.slug + "-" + (level == "Local government" ? "city" : "government") }
                return SampleOrganisation(name: name, level: level, slug: slug)
            }
            return SampleCountryProfile(
                country: country, prose: prose, possessive: possessive,
                languages: row.0.split(separator: ";").map(String.init), cities: cities, organisations: organisations
            )
        }
    }()
}

// MARK: - Templates

/// The placeholders a template may use.
enum SampleSlot: String, Sendable {
    // Running text.
    case country, countryStart = "Country", countryPossessive = "countrys", countryPossessiveStart = "Countrys"
    case otherCountry = "country2", city, place, peer, organisation = "org", organisationStart = "Org"
    case topic, topicStart = "Topic", attribute = "attr", service, users, usersStart = "Users", problem, outcome
    case sector, method, partner, partnerStart = "Partner", percent = "pct", number = "num", big, months, weeks
    case year, launchYear, nextYear, person, role, report, site, kind, audience, publisher, deadline, languages
    case discipline, userType, challenge, condition, novelty, start, venue
    // Titles.
    case titleTopic = "T", titleAttribute = "TA", titleService = "TS", titleUsers = "TU", titleProblem = "TP"
    case titleSector = "TSec", titleCountry = "TC", titleCountryPossessive = "TCs", titleCity = "City"
    case titleYear = "Year", titleNumberWord = "Num", titleNumber = "NumD", titleAudience = "TAud", titleDiscipline = "TD"
    case titleQualifier = "Kw"
}

struct SampleTemplate: Sendable {
    enum Piece: Sendable {
        case text(String)
        case slot(SampleSlot)
    }

    let pieces: [Piece]
    /// Whether the expansion is plain text (no Markdown).
    let isPlain: Bool
    let mentionsCity: Bool

    init(_ source: String) {
        var pieces: [Piece] = []
        var literal = ""
        var name = ""
        var inSlot = false
        for character in source {
            if inSlot {
                if character == "}" {
                    guard let slot = SampleSlot(rawValue: name) else { fatalError("Unknown sample slot {\(name)} in \(source)") }
                    pieces.append(.slot(slot))
                    name = ""
                    inSlot = false
                } else {
                    name.append(character)
                }
            } else if character == "{" {
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                inSlot = true
            } else {
                literal.append(character)
            }
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        self.pieces = pieces
        isPlain = !source.contains("*") && !source.contains("[") && !source.contains("{report}") && !source.contains("{site}")
        mentionsCity = source.contains("{City}")
    }
}

/// Named lists of sentence, heading and title templates.
enum SamplePool: Int, CaseIterable {
    case intro, context, why, approach, results, lessons, closing, quote
    case toolkitLead, publicationLead, eventLead, callLead
    case newsLead, newsNext
    case toolkitAbout, toolkitWho, toolkitSteps
    case publicationAbout, publicationFindings, publicationRecommendations
    case eventAbout, eventProgramme, eventWho
    case callAbout, callWho, callHow
    case excerptPost, excerptCase, excerptToolkit, excerptPublication, excerptEvent, excerptCall, excerptNews, excerptSecond
    case shortExplanation, innovative, innovativeMore, collaborations, beneficiaries, resultsOpen, challengesOpen
    case challengesMore, conditionsOpen, conditionsMore, replication, fieldGeneric
    case headContext, headApproach, headResults, headLessons
    case headCaseChallenge, headCaseInnovation, headCaseResults, headCaseLessons
    case headNewsBackground, headNewsNext, headToolkitAbout, headToolkitWho, headToolkitUse
    case headPublicationAbout, headPublicationFindings, headPublicationRecommendations
    case headEventAbout, headEventProgramme, headEventWho, headEventPractical
    case headCallAbout, headCallWho, headCallCriteria, headCallHow
    case titlePost, titleCase, titleToolkit, titlePublication, titleNews, titleCall
    case titleWebinar, titleWorkshop, titleConference, titleHackathon, titleBootcamp

    var source: [String] {
        switch self {
        case .intro: [
            "For years, {users} in {country} faced {problem}.",
            "Ask anyone who has dealt with the {service} in {country} and you will hear about {problem}.",
            "When {org} reviewed how the {service} worked in {year}, the findings were uncomfortable.",
            "Few public services attract as many complaints as the {service}, and {country} was no exception.",
            "Public servants in {place} like to say that the hardest part of {topic} is not the technology but the habits around it.",
            "This post looks at how {org} approached {topic}, what worked and what did not.",
            "Across the {sector} sector, interest in {topic} has grown quickly over the past few years.",
            "It is easy to be sceptical about {topic}; many pilots never make it past their first year.",
            "The starting point was a simple observation: {problem} was costing {users} time, money and trust.",
            "In {place}, the conversation about {topic} began with a complaint from a resident, not with a strategy.",
            "{Countrys} experience with {topic} is worth a closer look.",
        ]
        case .context: [
            "Staff estimated that about {pct} percent of their time went on work that added little value for {users}.",
            "Earlier attempts to fix the {service} had focused on new software, and most of them were quietly abandoned.",
            "Complaints had risen for {num} consecutive quarters, and the local press had started to notice.",
            "Responsibility for the {service} was split across {num} departments, each with its own forms and rules.",
            "The people most affected, {users}, were rarely asked what they needed.",
            "Budgets were tight, so any change had to pay for itself within a few years.",
            "National rules left room for experiment, but few teams had used it.",
            "A survey of {big} residents found that fewer than half trusted the existing process.",
            "Similar problems had been reported in {country2}, which gave the team a useful point of comparison.",
            "Frontline staff knew where the process broke down, but their knowledge rarely reached decision makers.",
            "The old process had grown over decades, one exception at a time.",
            "Nobody could say with confidence how long a typical case took from start to finish.",
            "Waiting times had doubled since {launchYear}, while the number of staff had stayed the same.",
        ]
        case .why: [
            "Interest in {topic} has grown quickly across the {sector} sector.",
            "Many governments are experimenting with {topic}, but few share what they learn.",
            "Too often, {users} still face {problem}.",
            "Evidence on what works in {topic} remains scattered across reports and conference slides.",
            "The {service} is a good place to start: it is used often and its problems are well known.",
            "Recent work in {country} and {country2} shows what is possible when teams start from the needs of {users}.",
            "Done well, {topic} can deliver {outcome}.",
            "Budgets are tight, so ideas that pay for themselves within a few years are especially welcome.",
        ]
        case .toolkitLead: [
            "This toolkit helps {audience} plan and run work on {topic}, from the first conversations with {users} to the evaluation of results.",
            "This toolkit collects practical methods for {audience} who want to improve the {service}.",
            "Teams working on {topic} often ask where to start; this toolkit is one answer.",
        ]
        case .publicationLead: [
            "This report examines how governments use {topic} to improve the {service}.",
            "This report asks what it takes to turn {topic} from a promising pilot into everyday practice.",
            "How can {topic} help {users}? This report reviews the evidence.",
        ]
        case .eventLead: [
            "Join {org} for a {kind} on {topic} in the {sector} sector.",
            "{Org} invites public servants, researchers and practitioners to a {kind} on {topic}.",
        ]
        case .callLead: [
            "The observatory and {org} invite {audience} to submit innovative projects on {topic}.",
            "Are you working on {topic}? The observatory and {org} want to hear from {audience}.",
        ]
        case .approach: [
            "The team began with {method}, spending {weeks} weeks with {users} and frontline staff.",
            "Rather than commissioning a large IT system, {org} built a small prototype of the new {service} and tested it in one district.",
            "Working with {partner}, the team mapped every step of the process and removed the ones nobody could justify.",
            "Each change was tested with real users before it was rolled out, often within a fortnight.",
            "The project used {method} to decide which problems to tackle first.",
            "A small multidisciplinary team of designers, policy officers and developers was given a clear mandate and a fixed budget.",
            "Instead of writing a detailed specification up front, the team released a basic version and improved it every two weeks.",
            "Representatives of {partner} were involved from the start, not just consulted at the end.",
            "Data from the old system was cleaned and published, so that anyone could check the team's assumptions.",
            "The team's rule was simple: *test with the people who use the service before writing any code*.",
            "Legal advisers sat with the team every week, which meant that rules could be clarified in days rather than months.",
            "The pilot ran in {place} for {months} months before a decision was taken on a wider roll-out.",
            "Forms were rewritten in plain language and cut from {num} pages to two.",
            "The team borrowed openly from work in {peer}, adapting it rather than starting from scratch.",
        ]
        case .results: [
            "Within {months} months the figures showed {outcome}.",
            "An independent evaluation found a **{pct} percent** reduction in processing times.",
            "More than {big} people have used the new {service} so far.",
            "Complaints fell by {pct} percent in the first year, while staff reported less overtime.",
            "The biggest change was less visible: teams now share data instead of asking {users} for the same information twice.",
            "Not everything worked; uptake among older users remained low, and the team is still working on that.",
            "The approach has since been adopted by {num} other municipalities.",
            "Costs per case fell by about {pct} percent, which freed staff for more complex work.",
            "Satisfaction rose by {num} points in the annual survey of {users}.",
            "The results are described in {report}.",
            "For {users}, the most important result was {outcome}.",
            "Staff turnover in the team fell as well, which nobody had predicted.",
        ]
        case .lessons: [
            "The main lesson is that work on {topic} succeeds when it starts from the problems of {users}, not from the technology.",
            "Start small, measure early and publish what you find, including the failures.",
            "Political support mattered, but so did the patience of middle managers who protected the team.",
            "Teams elsewhere should budget for the long tail of maintenance, not just the launch.",
            "Involving frontline staff early turned potential critics into the project's best advocates.",
            "Good data was a precondition, and cleaning it took longer than anyone expected.",
            "Procurement rules were less of a barrier than the team had feared, once lawyers were involved early.",
            "It helped to agree on a few clear measures of success before the pilot began.",
            "*Scaling* turned out to be a different job from *piloting*, and needed different people.",
            "Sharing early drafts with {partner} saved months of rework later.",
        ]
        case .closing: [
            "The next phase will extend the approach to other regions of {country}.",
            "For other governments considering {topic}, the experience of {place} offers a realistic picture of what it takes.",
            "We will follow the project and report back on the next round of results.",
            "If you are working on something similar, we would like to hear from you.",
            "More information is available on {site}.",
            "The story is not finished, but it already shows what careful, user-centred change can achieve.",
            "A longer case study will be published in the observatory's case library.",
        ]
        case .quote: [
            "\"We stopped asking what the system needed and started asking what {users} needed,\" said {person}, {role} at {org}.",
            "\"This is not a project with an end date; it is a way of working,\" said {person}, {role}.",
            "\"The hardest part was letting go of processes we had used for twenty years,\" said {person}, who led the pilot.",
            "\"Our staff had the answers all along; we just had not asked them,\" said {person}, {role} at {org}.",
        ]
        case .newsLead: [
            "{Org} has announced a new programme on {topic}, with a first pilot in {place} starting this year.",
            "{Country} has published a national strategy on {topic}, setting targets for the {service} until {nextYear}.",
            "A new {attr} lab opened in {place} this week, bringing together {partner} and public servants.",
            "{Org} has received an award for its work on the {service}, recognising {num} years of steady improvement.",
            "Public servants from {num} countries met in {place} to compare notes on {topic}.",
            "{Org} will extend its {attr} pilot to every district by {nextYear}.",
        ]
        case .newsNext: [
            "The first results are expected within {months} months.",
            "Applications for the next round open later this year.",
            "The observatory will publish a case study on the programme once the evaluation is complete.",
            "An open meeting for interested organisations is planned for the spring.",
            "The programme's budget will be reviewed in {nextYear}.",
        ]
        case .toolkitAbout: [
            "Developed by {publisher} with {partner}, it brings together methods that have been tested in more than {num} projects.",
            "It is organised around the stages of a typical project and can be used in order or dipped into as needed.",
            "Each method comes with a short explanation, a worked example and a template.",
            "The material assumes no previous experience of {discipline}.",
            "Examples come from {country}, {country2} and {peer}.",
        ]
        case .toolkitWho: [
            "The toolkit is written for {userType}s working in the {sector} sector, but most methods apply elsewhere.",
            "It is particularly useful for teams that are new to {topic} and need a shared vocabulary.",
            "Managers will find a one-page summary at the start of each chapter.",
            "Facilitators can use the exercises in workshops of two hours or less.",
        ]
        case .toolkitSteps: [
            "Map the journey of {users} through the current {service}",
            "Agree on the problem before discussing solutions",
            "Run a short prototype with real users",
            "Decide in advance how you will measure success",
            "Share what you learn with other teams",
            "Identify the rules that block change and who owns them",
            "Plan for maintenance from the first day",
            "Write down your assumptions and test the riskiest one first",
        ]
        case .publicationAbout: [
            "It draws on {num} case studies, interviews with public servants and a review of recent evaluations.",
            "The report was published by {publisher} and covers initiatives launched since {launchYear}.",
            "Its authors worked with {partner} in {country} and {country2} to collect the evidence.",
            "The analysis focuses on what it takes to move from a successful pilot to a lasting service.",
        ]
        case .publicationFindings: [
            "Most initiatives start small and grow through peer learning rather than central mandates",
            "Few projects measure outcomes for {users}; most report outputs only",
            "Successful teams combine policy, design and technical skills",
            "Legal uncertainty remains the main barrier to scaling {topic}",
            "Open data and shared standards lower the cost of replication",
            "Funding models still favour pilots over long-term services",
            "Trust grows when governments publish what did not work",
        ]
        case .publicationRecommendations: [
            "The report ends with {num} recommendations for governments and a checklist for project teams.",
            "Its authors recommend that funding follow results for {users} rather than project milestones.",
            "Governments are advised to share code, data and designs across levels of government.",
            "The full text is available on {site}.",
        ]
        case .eventAbout: [
            "The {kind} brings together public servants, researchers and practitioners who work on the {service}.",
            "Speakers from {country} and {country2} will share what they have learned, including what did not work.",
            "Participants will leave with practical methods they can use the following week.",
            "The programme was shaped by a survey of {users} and the staff who serve them.",
        ]
        case .eventProgramme: [
            "Opening: why {topic} matters now",
            "Case presentations from {place} and {peer}",
            "Hands-on session: mapping the journey of {users}",
            "Panel: taking {topic} beyond the pilot",
            "Small-group clinics on participants' own projects",
            "Wrap-up and next steps",
        ]
        case .eventWho: [
            "The event is open to anyone working on {topic} in the public sector.",
            "Places are limited, so please register early.",
            "Participation is free of charge.",
            "No previous experience of {topic} is needed.",
        ]
        case .callAbout: [
            "We are looking for projects that have moved beyond the idea stage and can show early results for {users}.",
            "Selected projects will be published in the case study library and shared with a network of {big} subscribers.",
            "This year's call pays particular attention to the {service}.",
        ]
        case .callWho: [
            "The call is open to {audience} in all countries.",
            "Joint submissions from partnerships are welcome.",
            "Projects at any level of government may apply, including pilots that are still running.",
        ]
        case .callHow: [
            "Submissions close on {deadline}.",
            "Entries can be written in {languages}.",
            "Shortlisted teams will be contacted within {weeks} weeks of the deadline.",
            "Questions about the call can be sent to the observatory team at any time before the deadline.",
        ]
        case .excerptPost: [
            "How {org} tackled {problem} with {topic}, and what other governments can learn from it.",
            "{Countrys} experience with {topic} shows that small, well-tested changes can transform the {service}.",
            "A look at {topic} in {place}: the problem, the approach and the first results.",
            "Why the {service} in {country} had to change, and how {users} helped to change it.",
        ]
        case .excerptCase: [
            "{Org} redesigned the {service} around the needs of {users}.",
            "An initiative in {place} that tackles {problem} through {topic}.",
            "How {org} used {method} to deliver {outcome}.",
        ]
        case .excerptToolkit: [
            "A practical toolkit on {topic} for {audience}, with methods, templates and worked examples.",
            "Methods and templates from {publisher} for teams working on the {service}.",
        ]
        case .excerptPublication: [
            "A report by {publisher} on how governments use {topic} to improve the {service}.",
            "New evidence on {topic} from {num} case studies and interviews with public servants.",
        ]
        case .excerptEvent: [
            "A {kind} on {topic} for public servants, researchers and practitioners.",
            "Join {org} to learn how {topic} can improve the {service}.",
        ]
        case .excerptCall: [
            "We are looking for innovative public-sector projects on {topic}. Submissions close on {deadline}.",
            "The observatory invites {audience} to share their work on {topic}.",
        ]
        case .excerptNews: [
            "{Org} announces new work on {topic}.",
            "News from {place} on the {service} and {topic}.",
        ]
        case .excerptSecond: [
            "It draws on interviews with {users} and frontline staff.",
            "The early results are encouraging.",
            "Others can reuse the approach with modest resources.",
            "The lessons apply well beyond the {sector} sector.",
        ]
        case .shortExplanation: [
            "{Org} uses {topic} to make the {service} simpler and faster for {users}.",
            "The initiative tackles {problem} by redesigning the {service} together with {users}.",
            "A new {service} in {place} that puts {users} first and cuts out unnecessary steps.",
        ]
        case .innovative: [
            "What makes the project innovative is that it {novelty}.",
            "The project is new because it {novelty}.",
        ]
        case .innovativeMore: [
            "No other {sector} service in {country} had tried this before.",
            "It is the first time {org} has used {method} at this scale.",
            "The team also changed how decisions are made, not just the service itself.",
            "Most comparable services still rely on paper forms and office visits.",
        ]
        case .collaborations: [
            "{Org} worked with {partner}, {partner} and {partner}.",
            "The project was built in partnership with {partner} and {partner}.",
        ]
        case .beneficiaries: [
            "The main users are {users}, and frontline staff benefit as well.",
            "The initiative serves {users}; their families and the wider community benefit too.",
        ]
        case .resultsOpen: [
            "The main result is {outcome}.",
            "Within {months} months the initiative delivered {outcome}.",
        ]
        case .challengesOpen: [
            "The main challenge was {challenge}.",
            "The hardest problem was {challenge}.",
        ]
        case .challengesMore: [
            "The team also had to deal with {challenge}.",
            "Some early prototypes failed and were dropped.",
            "Adoption was slower than planned in rural areas.",
        ]
        case .conditionsOpen: [
            "Success depended on {condition}.",
            "The most important condition for success was {condition}.",
        ]
        case .conditionsMore: [
            "It also helped to have {condition}.",
            "Without {condition}, the project would have stalled.",
        ]
        case .replication: [
            "The approach has been replicated in {num} municipalities in {country}.",
            "The project has not been replicated yet, but teams in {country2} have shown interest.",
            "Parts of the approach have been adopted in {peer}.",
        ]
        case .fieldGeneric: [
            "Frontline staff were involved at every stage.",
            "The work was documented so that others can reuse it.",
            "Feedback from {users} shaped each new version.",
            "Progress is reviewed every quarter with the project's sponsors.",
            "The budget for the first phase was modest.",
            "Data on use and satisfaction is published openly.",
            "The team continues to test improvements with {users}.",
        ]
        case .headContext: ["## Why it mattered", "## The problem", "## Where it started", "## Background"]
        case .headApproach: ["## What they did", "## A different approach", "## How it worked", "## Building it step by step"]
        case .headResults: ["## What changed", "## Results so far", "## Early results", "## Does it work?"]
        case .headLessons: ["## Lessons for others", "## What others can learn", "## Takeaways", "## What we learned"]
        case .headCaseChallenge: ["## The challenge", "## The problem"]
        case .headCaseInnovation: ["## The innovation", "## What was done"]
        case .headCaseResults: ["## Results and impact", "## Results"]
        case .headCaseLessons: ["## Lessons learned", "## Replication and lessons"]
        case .headNewsBackground: ["## Background"]
        case .headNewsNext: ["## What happens next", "## Next steps"]
        case .headToolkitAbout: ["## What the toolkit covers", "## About the toolkit"]
        case .headToolkitWho: ["## Who it is for"]
        case .headToolkitUse: ["## How to use it", "## Getting started"]
        case .headPublicationAbout: ["## About the report", "## Summary"]
        case .headPublicationFindings: ["## Key findings", "## Main findings"]
        case .headPublicationRecommendations: ["## Recommendations"]
        case .headEventAbout: ["## About the event"]
        case .headEventProgramme: ["## Programme", "## Agenda"]
        case .headEventWho: ["## Who should attend"]
        case .headEventPractical: ["## Practical information"]
        case .headCallAbout: ["## About the call"]
        case .headCallWho: ["## Who can apply", "## Eligibility"]
        case .headCallCriteria: ["## Criteria", "## What we look for"]
        case .headCallHow: ["## How to apply"]
        case .titlePost: [
            "How {TC} Rebuilt Its {TS}",
            "What {TC} Learned from Its {TA} Pilot",
            "{Num} Lessons from {TA} Pilots in {City}",
            "Better Evidence on {T} in {TC}",
            "{T} in {City}: Notes from the Field",
            "Inside {TCs} Experiment with {T}",
            "Designing the {TS} with Its Users in {City}",
            "The Quiet Success of {T} in {City}",
            "From Pilot to Policy: {T} in {TC}",
            "A Year of {T} in {City}: What We Learned",
            "{Num} Myths About {T} in {TC}",
            "Rethinking the {TS} in {TC}",
            "What Happened When {City} Put {TU} First",
            "Measuring What Matters in {TCs} {TA} Programme",
            "Why {City} Bet on {T}",
            "{T} After the Pilot: {TC} in {Year}",
        ]
        case .titleCase: [
            "{T} for {TU} in {City}",
            "The {City} {TA} Programme",
            "{City} Redesigns Its {TS}",
            "A New {TS} in {City}",
            "{TCs} {TA} Initiative",
            "Co-designing the {TS} in {City}",
            "Tackling {TP} in {TC}",
            "{T} at the Heart of {TCs} {TSec} Reform",
            "{City} {Kw} {TA} Project",
        ]
        case .titleToolkit: [
            "The {Kw} {TA} Toolkit for {TAud}",
            "A {Kw} Guide to {T} for {TAud}",
            "{Kw} {TD} Cards for {T} Teams",
            "The {T} Playbook: Lessons from {TC}",
            "{T} Canvas and Facilitation Guide for {TAud}",
            "Redesigning the {TS}: A Workbook for {TAud}",
            "{TD} Methods for {TSec} Teams in {TC}",
            "{Kw} {TD} Toolkit: {T}",
        ]
        case .titlePublication: [
            "{T} in the Public Sector: Evidence from {TC}",
            "The State of {T} in {TC} {Year}",
            "Measuring the Impact of {T} in {TC}",
            "{T} and the Future of {TSec} in {TC}",
            "Lessons from {Num} Years of {T} in {City}",
            "{TSec} Innovation Review {Year}: {TC}",
            "Working Paper: {T} for {TU} in {TC}",
            "Government Innovation Trends {Year}: {T}",
        ]
        case .titleNews: [
            "{TC} Launches National Strategy on {T}",
            "{City} Opens a New {TA} Lab",
            "New Report Tracks {T} Across {NumD} Countries",
            "{TC} Wins Award for {TA} Programme",
            "{City} Extends Its {TS}",
            "{TA} Pilot Starts in {City}",
            "{Num} Countries Join {TCs} Network on {T}",
            "{City} Publishes {Year} Results of Its {TA} Pilot",
        ]
        case .titleCall: [
            "Call for Innovations {Year}: {T} in {TSec} in {TC}",
            "Call for Proposals: {T} in {TC} {Year}",
            "Open Call {Year}: {T} in {City}",
            "{Year} Call for {TA} Pilots in {TC}",
            "Innovation Challenge: Rethinking the {TS} in {City}",
            "{City} Challenge on {T} {Year}",
        ]
        case .titleWebinar: [
            "Webinar {Year}: {T} in {TC}",
            "{Year} {T} Webinar: Lessons from {City}",
            "Webinar on Redesigning the {TS} in {City}",
            "{Kw} Webinar on {T} in {TC}",
        ]
        case .titleWorkshop: [
            "{T} Design Workshop in {City} {Year}",
            "Workshop {Year}: Redesigning the {TS} in {City}",
            "{City} Workshop on {T} {Year}",
        ]
        case .titleConference: [
            "{TSec} Innovation Forum {Year}: {T}",
            "{TC} Conference on {T} in Government {Year}",
            "{City} Summit on {T} {Year}",
        ]
        case .titleHackathon: [
            "{City} {TA} Hackathon {Year}",
            "{City} Hackathon: A Better {TS}",
        ]
        case .titleBootcamp: [
            "{T} Bootcamp for Public Servants {Year}",
            "{City} {TA} Bootcamp {Year}",
            "Innovation Bootcamp: {T} in {TC}",
        ]
        }
    }

    static let templates: [[SampleTemplate]] = allCases.map { $0.source.map(SampleTemplate.init) }
    /// Per pool, a bit per template: all of them, and those without Markdown.
    static let allMasks: [UInt64] = templates.map { pool in
        precondition(!pool.isEmpty && pool.count <= 64)
        return pool.count == 64 ? ~0 : (1 << UInt64(pool.count)) - 1
    }
    static let plainMasks: [UInt64] = templates.map { pool in
        let mask = pool.indices.reduce(UInt64(0)) { pool[$1].isPlain ? $0 | (1 << UInt64($1)) : $0 }
        precondition(mask != 0, "a pool without plain templates")
        return mask
    }
}

// MARK: - The item model and its JSON

indirect enum SampleValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case strings([String])
    case object([(String, SampleValue)])
}

struct SampleItem {
    enum ExcerptState {
        case text(String)
        case empty
        case absent
    }

    var id: Int
    var type: ContentType
    var title: String
    var slug: String
    var body: String
    var excerpt: ExcerptState
    var publishedAt: String
    var countries: [String]
    var sectors: [String]
    var facets: [String]
    var tags: [String]
    var author: String
    var fields: [(String, SampleValue)]

    /// One item in 40 is featured on the home page; chosen by index so no random draw moves.
    var featured: Bool { id % 40 == 7 }

    func json(slug: String) -> String {
        var writer = SampleJSONWriter(capacity: body.utf8.count + 4096)
        writer.raw("{\"id\":")
        writer.int(id)
        writer.raw(",\"type\":")
        writer.string(type.rawValue)
        writer.raw(",\"title\":")
        writer.string(title)
        writer.raw(",\"slug\":")
        writer.string(slug)
        writer.raw(",\"body\":")
        writer.string(body)
        switch excerpt {
        case .text(let text):
            writer.raw(",\"excerpt\":")
            writer.string(text)
        case .empty:
            writer.raw(",\"excerpt\":\"\"")
        case .absent:
            break
        }
        writer.raw(",\"published_at\":")
        writer.string(publishedAt)
        writer.raw(",\"country\":")
        writer.strings(countries)
        writer.raw(",\"sector\":")
        writer.strings(sectors)
        writer.raw(",\"facet\":")
        writer.strings(facets)
        writer.raw(",\"tags\":")
        writer.strings(tags)
        writer.raw(",\"author\":")
        writer.string(author)
        if featured { writer.raw(",\"featured\":true") }
        writer.raw(",\"fields\":")
        writer.value(.object(fields))
        writer.raw("}")
        return writer.result
    }
}

/// Compact JSON into UTF-8 bytes: no spaces, non-ASCII kept as UTF-8, `"`, `\` and control
/// characters escaped.
struct SampleJSONWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var result: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { buffer in
            // Copy runs of bytes that need no escaping in one go.
            var runStart = 0
            for position in 0..<buffer.count {
                let byte = buffer[position]
                guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
                if runStart < position { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<position])) }
                runStart = position + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
            if runStart < buffer.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (position, text) in list.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            string(text)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func value(_ value: SampleValue) {
        switch value {
        case .string(let text): string(text)
        case .int(let number): int(number)
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .null: raw("null")
        case .strings(let list): strings(list)
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.0)
                bytes.append(UInt8(ascii: ":"))
                self.value(member.1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

// MARK: - Writing text

/// Everything the templates of one item refer to.
struct SampleScene {
    var topic: SampleTopic
    var profile: SampleCountryProfile
    var otherProfile: SampleCountryProfile
    var city: SampleCity
    var organisation: String
    var organisationSlug: String
    var sector: String
    var year: Int
    var launchYear: Int
    var person = ""
    var role = ""
    var kind = "event"
    var audience = "public servants"
    var publisher = ""
    var deadline = ""
    var languages = "English"
    var discipline = "service design"
    var userType = "practitioner"
    var start = ""
    var venue = ""
    var titleYear = 2024
    var titleAudience = "Cities"
}

struct SampleWriter {
    var rng: SampleRandom
    var scene: SampleScene
    /// Per pool, the templates already used in this item (reset when a pool runs out).
    private var used = [UInt64](repeating: 0, count: SamplePool.allCases.count)

    init(rng: SampleRandom, scene: SampleScene) {
        self.rng = rng
        self.scene = scene
    }

    /// A template of `pool` not yet used in this item, expanded.
    mutating func sentence(_ pool: SamplePool, plain: Bool = false) -> String {
        let allowed = plain ? SamplePool.plainMasks[pool.rawValue] : SamplePool.allMasks[pool.rawValue]
        var fresh = allowed & ~used[pool.rawValue]
        if fresh == 0 {
            used[pool.rawValue] = 0
            fresh = allowed
        }
        // The k-th set bit of `fresh`.
        var skip = rng.below(fresh.nonzeroBitCount)
        while skip > 0 {
            fresh &= fresh - 1
            skip -= 1
        }
        let index = fresh.trailingZeroBitCount
        used[pool.rawValue] |= 1 << UInt64(index)
        return expand(SamplePool.templates[pool.rawValue][index])
    }

    /// A template of `pool` chosen at random (repeats allowed), with whether it names `{City}`.
    mutating func title(_ pool: SamplePool) -> (text: String, mentionsCity: Bool) {
        let template = rng.pick(SamplePool.templates[pool.rawValue])
        return (sampleCapitalised(expand(template)), template.mentionsCity)
    }

    mutating func expand(_ template: SampleTemplate) -> String {
        var out = ""
        for piece in template.pieces {
            switch piece {
            case .text(let text): out += text
            case .slot(let slot): out += value(of: slot)
            }
        }
        return out
    }

    mutating func value(of slot: SampleSlot) -> String {
        let topic = scene.topic
        switch slot {
        case .country: return scene.profile.prose
        case .countryStart: return sampleCapitalised(scene.profile.prose)
        case .countryPossessive: return scene.profile.possessive
        case .countryPossessiveStart: return sampleCapitalised(scene.profile.possessive)
        case .otherCountry: return scene.otherProfile.prose
        case .city: return scene.city.title
        case .place: return scene.city.local
        case .peer:
            let profile = SampleData.profiles[rng.below(SampleData.profiles.count)]
            return rng.pick(profile.cities).local
        case .organisation: return scene.organisation
        case .organisationStart: return sampleCapitalised(scene.organisation)
        case .topic: return topic.name
        case .topicStart: return sampleCapitalised(topic.name)
        case .attribute: return topic.attribute
        case .service: return topic.service
        case .users: return topic.users
        case .usersStart: return sampleCapitalised(topic.users)
        case .problem: return topic.problem
        case .outcome: return topic.outcome
        case .sector: return scene.sector == "Digital government" ? "digital government" : scene.sector.lowercased()
        case .method: return rng.pick(SampleData.methods)
        case .partner: return rng.pick(SampleData.partners)
        case .partnerStart: return sampleCapitalised(rng.pick(SampleData.partners))
        case .percent: return String(rng.int(8...65))
        case .number: return String(rng.int(3...40))
        case .big: return sampleGroupedNumber(rng.int(12...480) * 100)
        case .months: return String(rng.int(3...24))
        case .weeks: return String(rng.int(2...12))
        case .year: return String(scene.year)
        case .launchYear: return String(scene.launchYear)
        case .nextYear: return String(scene.year + rng.int(2...6))
        case .person: return scene.person
        case .role: return scene.role
        case .report:
            return "[the evaluation report](https://example.org/\(scene.organisationSlug)/reports/\(topic.tag)-\(scene.year))"
        case .site:
            return "[the project website](https://example.org/\(scene.organisationSlug)/\(topic.tag))"
        case .kind: return scene.kind
        case .audience: return scene.audience.prefix(1).lowercased() + scene.audience.dropFirst()
        case .publisher: return scene.publisher
        case .deadline: return scene.deadline
        case .languages: return scene.languages
        case .discipline: return scene.discipline.lowercased()
        case .userType: return scene.userType.lowercased()
        case .challenge: return rng.pick(SampleData.challenges)
        case .condition: return rng.pick(SampleData.conditions)
        case .novelty:
            return expand(rng.pick(SampleData.noveltyTemplates))
        case .start: return scene.start
        case .venue: return scene.venue
        case .titleTopic: return topic.title
        case .titleAttribute: return topic.attributeTitle
        case .titleService: return topic.serviceTitle
        case .titleUsers: return topic.usersTitle
        case .titleProblem: return topic.problemTitle
        case .titleSector: return sampleTitleCase(scene.sector)
        case .titleCountry: return scene.profile.prose
        case .titleCountryPossessive: return scene.profile.possessive
        case .titleCity: return scene.city.title
        case .titleYear: return String(scene.titleYear)
        case .titleNumberWord: return rng.pick(SampleData.numberWords)
        case .titleNumber: return String(rng.int(12...60))
        case .titleAudience: return scene.titleAudience
        case .titleDiscipline: return sampleTitleCase(scene.discipline)
        case .titleQualifier: return rng.pick(SampleData.titleQualifiers)
        }
    }

    /// `count` sentences of `pool`, joined with spaces.
    mutating func sentences(_ pool: SamplePool, _ count: Int, plain: Bool = false) -> [String] {
        (0..<count).map { _ in sentence(pool, plain: plain) }
    }

    /// Plain sentences: an opener of `opening`, then sentences of `more` until the text has
    /// at least a length drawn from `target`, never more than `maximum` characters.
    mutating func answer(_ opening: SamplePool, _ more: [SamplePool], target: ClosedRange<Int>, maximum: Int) -> String {
        var text = sentence(opening, plain: true)
        var length = sampleLength(text)
        let wanted = rng.int(target)
        var attempts = 0
        while length < wanted, attempts < 12 {
            attempts += 1
            let next = sentence(more[rng.below(more.count)], plain: true)
            let nextLength = sampleLength(next) + 1
            if length + nextLength > maximum { continue }
            text += " " + next
            length += nextLength
        }
        return text
    }
}

/// A block of a Markdown body.
private enum SampleBlock {
    case heading(String)
    case paragraph([String])
    case list([String])
    case optional([String])  // a paragraph kept only while the body is shorter than wanted

    var words: Int {
        switch self {
        case .heading(let text): sampleWordCount(text) - 1
        case .paragraph(let sentences), .optional(let sentences): sentences.reduce(0) { $0 + sampleWordCount($1) }
        case .list(let items): items.reduce(0) { $0 + sampleWordCount($1) - 1 }
        }
    }
}

// MARK: - The generator

enum SampleGenerator {
    static let typeWeights: [(ContentType, Int)] = [
        (.post, 35), (.caseStudy, 25), (.toolkit, 10), (.event, 10), (.call, 5), (.publication, 8), (.news, 7),
    ]
    static let typeCumulative = sampleCumulative(typeWeights.map(\.1))

    static func make(seed: UInt64, index: Int) -> SampleItem {
        var rng = SampleRandom(seed: seed, index: index, stream: 1)
        var fieldRandom = SampleRandom(seed: seed, index: index, stream: 2)
        let type = typeWeights[rng.weighted(typeCumulative)].0

        // Classification.
        let countryCount = rng.chance(70) ? 1 : (rng.chance(72) ? 2 : 3)
        var countryIndices: [Int] = []
        while countryIndices.count < countryCount {
            let candidate = rng.weighted(SampleData.countryWeights)
            if !countryIndices.contains(candidate) { countryIndices.append(candidate) }
        }
        let profile = SampleData.profiles[countryIndices[0]]
        var otherIndex = countryIndices.count > 1 ? countryIndices[1] : rng.weighted(SampleData.countryWeights)
        if otherIndex == countryIndices[0] { otherIndex = (otherIndex + 1 + rng.below(10)) % SampleData.profiles.count }

        let topic = SampleData.topics[rng.weighted(SampleData.topicWeights)]
        let allSectors = StandardVocabularies.sectors
        var sectors = [rng.chance(70) ? topic.sector : allSectors[rng.weighted(SampleData.sectorWeights)]]
        if rng.chance(30) {
            let second = allSectors[rng.weighted(SampleData.sectorWeights)]
            if second != sectors[0] { sectors.append(second) }
        }
        let facets = rng.distinct(rng.chance(65) ? 1 : 2, below: 4).map { StandardVocabularies.innovationFacets[$0] }
        var tags = [topic.tag]
        if rng.chance(35) {
            let second = SampleData.topics[rng.weighted(SampleData.topicWeights)].tag
            if !tags.contains(second) { tags.append(second) }
        }
        for _ in 0..<rng.int(0...4) {
            let tag = rng.pick(SampleData.generalTags)
            if !tags.contains(tag) { tags.append(tag) }
        }
        let author = rng.pick(SampleData.authors)

        // Publication time; events and calls lean towards the present so that a demo site has
        // upcoming events and open calls.
        var published = SampleClock.firstPublished + Int64(rng.below(Int(SampleClock.lastPublished - SampleClock.firstPublished + 1)))
        let current = (type == .event || type == .call) && rng.chance(30)
        if current {
            let from = Int64(CalendarDate.daysSince1970(year: 2026, month: type == .call ? 8 : 7, day: type == .call ? 15 : 1)) * 86_400
            published = from + Int64(rng.below(Int(SampleClock.lastPublished - from + 1)))
        }
        let publishedDay = Int(published / 86_400)
        let year = CalendarDate(daysSince1970: publishedDay).year

        let city = rng.chance(45) ? profile.cities[0] : rng.pick(profile.cities)
        var scene = SampleScene(
            topic: topic, profile: profile, otherProfile: SampleData.profiles[otherIndex], city: city,
            organisation: "", organisationSlug: "", sector: sectors[0], year: year,
            launchYear: max(2003, year - rng.int(0...6))
        )
        scene.person = rng.pick(SampleData.people)
        scene.role = rng.pick(SampleData.roles)
        scene.titleYear = year

        let organisationType = pickOrganisationType(&fieldRandom, type: type)
        let organisation = makeOrganisation(kind: organisationType, profile: profile, city: city, rng: &fieldRandom)
        scene.organisation = organisation.name
        scene.organisationSlug = organisation.slug
        scene.publisher = organisation.name

        var item = SampleItem(
            id: index, type: type, title: "", slug: "", body: "", excerpt: .absent, publishedAt: SampleClock.utc(published),
            countries: countryIndices.map { Countries.all[$0].name }, sectors: sectors, facets: facets, tags: tags,
            author: author, fields: []
        )

        switch type {
        case .post, .news:
            break
        case .caseStudy:
            item.fields = caseStudyFields(
                &fieldRandom, scene: &scene, organisation: organisation, organisationType: organisationType, item: item
            )
        case .toolkit:
            item.fields = toolkitFields(&fieldRandom, scene: &scene, publishedDay: publishedDay)
        case .publication:
            item.fields = publicationFields(&fieldRandom, scene: scene)
        case .event:
            item.fields = eventFields(&fieldRandom, scene: &scene, publishedDay: publishedDay, current: current)
        case .call:
            item.fields = callFields(&fieldRandom, scene: &scene, publishedDay: publishedDay, current: current)
        }

        var writer = SampleWriter(rng: rng, scene: scene)
        let titlePool: SamplePool = switch type {
        case .post: .titlePost
        case .caseStudy: .titleCase
        case .toolkit: .titleToolkit
        case .publication: .titlePublication
        case .news: .titleNews
        case .call: .titleCall
        case .event:
            switch scene.kind {
            case "webinar": .titleWebinar
            case "workshop": .titleWorkshop
            case "conference": .titleConference
            case "hackathon": .titleHackathon
            default: .titleBootcamp
            }
        }
        let title = writer.title(titlePool)
        item.title = title.text
        item.slug = sampleSlug(title.text)
        if type == .event, let index = item.fields.firstIndex(where: { $0.0 == "location" }), case .object = item.fields[index].1 {
            // The venue is the city named in the title, else the capital.
            let venue = title.mentionsCity ? city.local : profile.country.capital
            item.fields[index].1 = .object([("city", .string(venue)), ("country", .string(profile.country.name))])
            writer.scene.venue = venue
        }
        item.body = body(type, writer: &writer, fields: item.fields)
        item.excerpt = excerpt(type, writer: &writer)
        return item
    }

    // MARK: Organisations

    /// 0 government, 1 NGO, 2 international organisation, 3 academia, 4 private sector,
    /// 5 independent institution (the order of the `organisation_type` vocabulary).
    static let organisationTypeWeights = sampleCumulative([70, 8, 6, 7, 5, 4])
    static let publisherTypeWeights = sampleCumulative([40, 20, 12, 18, 10, 0])

    static func pickOrganisationType(_ rng: inout SampleRandom, type: ContentType) -> Int {
        switch type {
        case .toolkit, .publication: rng.weighted(publisherTypeWeights)
        case .event, .call: rng.chance(75) ? 0 : rng.pick([1, 2, 3])
        default: rng.weighted(organisationTypeWeights)
        }
    }

    static func makeOrganisation(
        kind: Int, profile: SampleCountryProfile, city: SampleCity, rng: inout SampleRandom
    ) -> SampleOrganisation {
        let name: String
        let level: String
        switch kind {
        case 0:
            return rng.pick(profile.organisations)
        case 1:
            name = rng.pick([
                "Code for \(sampleCapitalised(profile.prose))", "\(city.title) Civic Lab", "Open Knowledge \(profile.country.name)",
                "Social Innovation Network \(profile.country.name)", "Fundación Ciudadanía Activa",
            ])
            level = rng.chance(60) ? "Other" : "Local government"
        case 2:
            name = rng.pick([
                "UNDP Accelerator Lab \(profile.country.name)", "UNICEF \(profile.country.name) Country Office",
                "World Bank GovTech Team", "Open Government Partnership",
            ])
            level = rng.chance(50) ? "National/Federal government" : "Other"
        case 3:
            name = rng.pick([
                "University of \(city.title)", "\(city.title) School of Public Policy",
                "Centre for Public Innovation, University of \(city.title)", "\(city.title) Institute of Technology",
            ])
            level = rng.chance(70) ? "Other" : "Local government"
        case 4:
            name = rng.pick([
                "Agile Service Labs GmbH", "\(city.title) Design Partners", "Civic Systems Ltd", "Public Good Studio",
                "Nordlys Digital AS",
            ])
            level = "Other"
        default:
            name = rng.pick([
                "Court of Audit of \(profile.prose)", "Office of the Ombudsman of \(profile.prose)",
                "Data Protection Authority of \(profile.prose)", "National Audit Office of \(profile.prose)",
            ])
            level = "National/Federal government"
        }
        return SampleOrganisation(name: name, level: level, slug: sampleSlug(name, limit: 60))
    }

    // MARK: Fields

    static let statusEndWeights = sampleCumulative([3, 7, 10, 40, 25, 15])

    static let stageSentences = [
        "The team is still identifying the problem, interviewing {users} and analysing data on the {service}.",
        "The team is generating and testing ideas with {users}, using {method}.",
        "Proposals are being developed into a business case for the leadership of {org}.",
        "The new {service} is being implemented across {place}, and {num} teams have been trained so far.",
        "The initiative is being evaluated with {partner}, and first results are expected within {months} months.",
        "The team is now sharing its lessons with other administrations in {country} and abroad.",
    ].map(SampleTemplate.init)

    static func caseStudyFields(
        _ rng: inout SampleRandom, scene: inout SampleScene, organisation: SampleOrganisation, organisationType: Int,
        item: SampleItem
    ) -> [(String, SampleValue)] {
        let vocabulary = StandardVocabularies.self
        var primary = [SampleData.primarySectorOf[item.sectors[0]] ?? vocabulary.primarySectors[0]]
        for _ in 0..<rng.int(0...2) {
            let extra = rng.pick(vocabulary.primarySectors)
            if !primary.contains(extra) { primary.append(extra) }
        }
        var innovationTags = [scene.topic.innovationTag]
        for tag in item.tags {
            if let counterpart = SampleData.tagCounterparts[tag], !innovationTags.contains(counterpart), innovationTags.count < 4 {
                innovationTags.append(counterpart)
            }
        }
        if innovationTags.count < 4, rng.chance(40) {
            let extra = rng.pick(vocabulary.innovationTags)
            if !innovationTags.contains(extra) { innovationTags.append(extra) }
        }
        let end = rng.weighted(statusEndWeights)
        let length = min(end + 1, rng.int(1...3))
        let statuses = Array(vocabulary.innovationStatuses[(end - length + 1)...end])
        let launched = min(scene.year, max(2003, scene.year - rng.int(0...7)))
        scene.launchYear = launched
        let recognitionRoll = rng.below(100)
        let recognition: [String] = recognitionRoll < 3 ? ["Award winner"] : (recognitionRoll < 10 ? ["Shortlisted"] : [])

        var writer = SampleWriter(rng: rng, scene: scene)
        let website: SampleValue = writer.rng.chance(15)
            ? .null : .string("https://example.org/\(organisation.slug)/\(scene.topic.tag)")
        let overview = overviewText(&writer)
        var status = writer.expand(stageSentences[end])
        while sampleLength(status) < 150 || writer.rng.chance(50) {
            let more = writer.sentence(.fieldGeneric, plain: true)
            if sampleLength(status) + sampleLength(more) + 1 > 1000 { break }
            status += " " + more
        }
        let fields: [(String, SampleValue)] = [
            ("organisation_name", .string(organisation.name)),
            ("organisation_type", .string(vocabulary.organisationTypes[organisationType])),
            ("country_code", .string(scene.profile.country.alpha2)),
            ("level_of_government", .string(organisation.level)),
            ("level_of_government_other", organisation.level == "Other" ? .string("Inter-municipal partnership") : .null),
            ("primary_sectors", .strings(primary)),
            ("innovation_tags", .strings(innovationTags)),
            ("innovation_status", .strings(statuses)),
            ("year_launched", .int(launched)),
            ("website", website),
            ("short_explanation", .string(writer.answer(.shortExplanation, [.fieldGeneric, .innovativeMore], target: 150...300, maximum: 500))),
            ("overview", .string(overview)),
            ("what_makes_it_innovative", .string(writer.answer(.innovative, [.innovativeMore, .fieldGeneric], target: 150...600, maximum: 1000))),
            ("status_description", .string(status)),
            ("collaborations", .string(writer.answer(.collaborations, [.fieldGeneric], target: 150...320, maximum: 500))),
            ("users_beneficiaries", .string(writer.answer(.beneficiaries, [.fieldGeneric], target: 120...320, maximum: 500))),
            ("results", .string(writer.answer(.resultsOpen, [.results, .fieldGeneric], target: 150...700, maximum: 1000))),
            ("challenges", .string(writer.answer(.challengesOpen, [.challengesMore, .fieldGeneric], target: 150...600, maximum: 1000))),
            ("conditions_for_success", .string(writer.answer(.conditionsOpen, [.conditionsMore, .fieldGeneric], target: 150...600, maximum: 1000))),
            ("replication", .string(writer.answer(.replication, [.fieldGeneric], target: 150...500, maximum: 1000))),
            ("lessons_learned", .string(writer.answer(.lessons, [.lessons, .fieldGeneric], target: 150...700, maximum: 1000))),
            ("anything_else", .null),
            ("related_url", .null),
            ("video_urls", .strings([])),
            ("recognition", .strings(recognition)),
            ("innovation_facets", .strings(item.facets)),
        ]
        rng = writer.rng
        return fields
    }

    /// 500-5000 characters in paragraphs: how it started, then context, approach and results.
    static func overviewText(_ writer: inout SampleWriter) -> String {
        let opening = "\(writer.scene.organisation) launched the initiative in \(writer.scene.launchYear) to tackle "
            + "\(writer.scene.topic.problem) in \(writer.scene.city.local)."
        var paragraphs = [([opening] + writer.sentences(.context, 2, plain: true)).joined(separator: " ")]
        var length = sampleLength(paragraphs[0])
        let wanted = writer.rng.int(600...3200)
        let order: [SamplePool] = [.approach, .results, .context, .approach, .results, .lessons]
        var position = 0
        while length < wanted, position < order.count {
            let paragraph = writer.sentences(order[position], writer.rng.int(2...4), plain: true).joined(separator: " ")
            position += 1
            if length + sampleLength(paragraph) + 2 > 5000 { break }
            paragraphs.append(paragraph)
            length += sampleLength(paragraph) + 2
        }
        return paragraphs.joined(separator: "\n\n")
    }

    static func toolkitFields(_ rng: inout SampleRandom, scene: inout SampleScene, publishedDay: Int) -> [(String, SampleValue)] {
        let vocabulary = StandardVocabularies.self
        let licence = vocabulary.licences[rng.weighted(sampleCumulative([35, 15, 15, 12, 8, 15]))]
        let reuse: String
        if licence == "All rights reserved" {
            reuse = rng.chance(50) ? "basic" : "none"
        } else {
            reuse = vocabulary.reuseCodes[rng.weighted(sampleCumulative([35, 40, 25]))]
        }
        let discipline = rng.chance(70) ? scene.topic.discipline : rng.pick(vocabulary.disciplines)
        let userType = rng.pick(vocabulary.userTypes)
        let format = rng.pick(vocabulary.toolkitFormats)
        scene.discipline = discipline
        scene.userType = userType
        scene.titleAudience = rng.pick(SampleData.toolkitAudiences)
        scene.audience = scene.titleAudience.lowercased()
        let updated = min(SampleClock.lastDay, publishedDay + rng.int(0...1095))
        let urlPath = sampleSlug("\(scene.topic.name) \(format) \(discipline)", limit: 60)
        return [
            ("publisher", .string(scene.publisher)),
            ("licence", .string(licence)),
            ("format", .string(format)),
            ("discipline", .string(discipline)),
            ("task", .string(rng.pick(vocabulary.tasks))),
            ("user_type", .string(userType)),
            ("level", .string(rng.pick(vocabulary.levels))),
            ("reuse", .string(reuse)),
            ("url", .string("https://example.org/\(scene.organisationSlug)/\(urlPath)")),
            ("last_updated", .string(SampleClock.isoDate(updated))),
        ]
    }

    static func publicationFields(_ rng: inout SampleRandom, scene: SampleScene) -> [(String, SampleValue)] {
        var isbn = SampleValue.null
        if rng.chance(70) {
            var digits = [9, 7, 8, 1]
            for _ in 0..<8 { digits.append(rng.below(10)) }
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
            digits.append((10 - sum % 10) % 10)
            let text = digits.map(String.init).joined()
            let characters = Array(text)
            isbn = .string("\(String(characters[0..<3]))-\(characters[3])-\(String(characters[4..<8]))-\(String(characters[8..<12]))-\(characters[12])")
        }
        return [
            ("publisher", .string(scene.publisher)),
            ("isbn", isbn),
            ("url", .string("https://example.org/\(scene.organisationSlug)/publications/\(scene.topic.tag)-\(scene.year)")),
            ("pages", .int(rng.int(2...40) * 8)),
        ]
    }

    static func eventFields(
        _ rng: inout SampleRandom, scene: inout SampleScene, publishedDay: Int, current: Bool
    ) -> [(String, SampleValue)] {
        let kind = SampleData.eventKinds[rng.weighted(SampleData.eventKindWeights)]
        scene.kind = kind
        var day = publishedDay + (current ? rng.int(30...180) : rng.int(10...180))
        switch SampleClock.weekday(day) {
        case 6: day += 2
        case 0: day += 1
        default: break
        }
        let startMinute: Int
        let days: Int
        let endMinute: Int
        switch kind {
        case "webinar":
            startMinute = rng.pick([9 * 60, 10 * 60, 11 * 60, 14 * 60, 15 * 60, 16 * 60])
            days = 1
            endMinute = startMinute + rng.pick([60, 90, 120])
        case "workshop":
            if rng.chance(50) {
                startMinute = rng.pick([9 * 60, 13 * 60 + 30])
                endMinute = startMinute + rng.pick([210, 240])
            } else {
                startMinute = rng.pick([8 * 60 + 30, 9 * 60])
                endMinute = 17 * 60
            }
            days = 1
        case "conference":
            startMinute = rng.pick([8 * 60 + 30, 9 * 60])
            days = rng.int(1...3)
            endMinute = rng.pick([17 * 60 + 30, 18 * 60])
        case "hackathon":
            startMinute = rng.pick([9 * 60, 10 * 60])
            days = rng.int(2...3)
            endMinute = rng.pick([16 * 60, 18 * 60])
        default:
            startMinute = 9 * 60
            days = rng.int(2...5)
            endMinute = 17 * 60
        }
        let zone = scene.profile.country.timeZone
        let start = SampleClock.local(day: day, minute: startMinute, zone: zone)
        let end = SampleClock.local(day: day + days - 1, minute: endMinute, zone: zone)
        scene.titleYear = CalendarDate(daysSince1970: day).year
        let online: Bool
        let located: Bool
        if kind == "webinar" {
            online = true
            located = false
        } else {
            // 15 % online only, 25 % hybrid, 60 % in person.
            let roll = rng.below(100)
            online = roll < 40
            located = roll >= 15
        }
        scene.start = "\(SampleClock.humanDate(day)) at \(sampleTwoDigits(startMinute / 60)):\(sampleTwoDigits(startMinute % 60)) (\(zone))"
        scene.venue = located ? scene.profile.country.capital : ""
        var hexBytes: [UInt8] = []
        var bits = rng.next()
        for _ in 0..<10 {
            hexBytes.append(Array("0123456789abcdef".utf8)[Int(bits & 15)])
            bits >>= 4
        }
        let hex = String(decoding: hexBytes, as: UTF8.self)
        return [
            ("starts_at", .string(start.text)),
            ("ends_at", .string(end.text)),
            ("timezone", .string(zone)),
            // The city is settled once the title is known (see `make`).
            ("location", located ? .object([("city", .string(scene.profile.country.capital)), ("country", .string(scene.profile.country.name))]) : .null),
            ("online", .bool(online)),
            ("registration_url", .string("https://example.org/events/\(hex)/register")),
        ]
    }

    static let acceptanceCriteria = [
        "The public sector is integrally involved in the project.",
        "The project is new to the organisation that runs it.",
        "The project has been implemented; pilots count, plans do not.",
        "The project has had, or could have, a public impact.",
    ]

    static let topicCriteria = [
        "Entries show how {topic} improves the {service} for {users}.",
        "Applicants explain how results for {users} are measured.",
        "Every section is answered in plain language, not with a link to another document.",
        "Projects have been running for at least six months.",
    ].map(SampleTemplate.init)

    static func callFields(
        _ rng: inout SampleRandom, scene: inout SampleScene, publishedDay: Int, current: Bool
    ) -> [(String, SampleValue)] {
        let audience = rng.pick(StandardVocabularies.audiences)
        scene.audience = audience
        let opensDay = publishedDay + rng.int(0...14)
        let opensMinute = rng.int(9...12) * 60
        let weeks = current ? rng.int(8...20) : rng.int(4...12)
        let closesDay = opensDay + weeks * 7
        let closesMinute = rng.chance(70) ? 23 * 60 + 59 : 17 * 60
        let zone = scene.profile.country.timeZone
        let opens = SampleClock.local(day: opensDay, minute: opensMinute, zone: zone)
        let closes = SampleClock.local(day: closesDay, minute: closesMinute, zone: zone)
        scene.titleYear = CalendarDate(daysSince1970: opensDay).year
        scene.deadline = "\(SampleClock.humanDate(closesDay)) at \(closesMinute == 17 * 60 ? "17:00" : "23:59") (\(zone) time)"

        var criteria: [String] = []
        var writer = SampleWriter(rng: rng, scene: scene)
        let acceptance = writer.rng.distinct(writer.rng.int(2...3), below: acceptanceCriteria.count)
        criteria = acceptance.sorted().map { acceptanceCriteria[$0] }
        let specific = writer.rng.distinct(writer.rng.int(1...2), below: topicCriteria.count)
        for index in specific where criteria.count < 4 { criteria.append(writer.expand(topicCriteria[index])) }

        var languages = ["en"]
        if !scene.profile.languages.isEmpty, writer.rng.chance(50) {
            for code in scene.profile.languages.prefix(writer.rng.int(1...2)) where !languages.contains(code) {
                languages.append(code)
            }
        }
        let names = languages.map { SampleData.languageNames[$0] ?? $0 }
        scene.languages = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
        rng = writer.rng
        return [
            ("audience", .string(audience)),
            ("opens_at", .string(opens.text)),
            ("closes_at", .string(closes.text)),
            ("timezone", .string(zone)),
            ("criteria", .strings(criteria)),
            ("languages", .strings(languages)),
        ]
    }

    // MARK: Body and excerpt

    private static func body(_ type: ContentType, writer: inout SampleWriter, fields: [(String, SampleValue)]) -> String {
        var blocks: [SampleBlock] = []
        let wanted: Int
        func heading(_ pool: SamplePool, _ writer: inout SampleWriter) -> SampleBlock { .heading(writer.sentence(pool)) }
        func paragraph(_ pools: [SamplePool], _ writer: inout SampleWriter, _ count: ClosedRange<Int>) -> [String] {
            (0..<writer.rng.int(count)).map { position in writer.sentence(pools[min(position, pools.count - 1)]) }
        }
        func list(_ pool: SamplePool, _ writer: inout SampleWriter, _ count: ClosedRange<Int>) -> SampleBlock {
            .list(writer.sentences(pool, writer.rng.int(count)).map { "- " + $0 })
        }
        switch type {
        case .post:
            wanted = writer.rng.int(220...520)
            blocks.append(.paragraph(paragraph([.intro, .intro, .context], &writer, 2...4)))
            blocks.append(heading(.headContext, &writer))
            blocks.append(.paragraph(paragraph([.context], &writer, 3...5)))
            blocks.append(.optional(paragraph([.context], &writer, 2...4)))
            blocks.append(heading(.headApproach, &writer))
            blocks.append(.paragraph(paragraph([.approach], &writer, 3...5)))
            if writer.rng.chance(35) { blocks.append(list(.toolkitSteps, &writer, 3...5)) }
            blocks.append(.optional(paragraph([.approach], &writer, 2...4)))
            blocks.append(heading(.headResults, &writer))
            blocks.append(.paragraph(paragraph([.results], &writer, 2...4)))
            blocks.append(.optional(paragraph([.quote, .results], &writer, 2...3)))
            blocks.append(heading(.headLessons, &writer))
            blocks.append(.paragraph(paragraph([.lessons], &writer, 2...4)))
            blocks.append(.paragraph(paragraph([.closing], &writer, 1...2)))
        case .caseStudy:
            wanted = writer.rng.int(250...520)
            blocks.append(.paragraph(paragraph([.intro, .context], &writer, 2...3)))
            blocks.append(heading(.headCaseChallenge, &writer))
            blocks.append(.paragraph(paragraph([.context], &writer, 3...5)))
            blocks.append(heading(.headCaseInnovation, &writer))
            blocks.append(.paragraph(paragraph([.approach], &writer, 3...5)))
            blocks.append(.optional(paragraph([.approach], &writer, 2...4)))
            if writer.rng.chance(30) { blocks.append(list(.toolkitSteps, &writer, 3...4)) }
            blocks.append(heading(.headCaseResults, &writer))
            blocks.append(.paragraph(paragraph([.results], &writer, 3...4)))
            blocks.append(.optional(paragraph([.results], &writer, 2...3)))
            blocks.append(heading(.headCaseLessons, &writer))
            blocks.append(.paragraph(paragraph([.lessons], &writer, 2...4)))
        case .news:
            wanted = writer.rng.int(160...320)
            blocks.append(.paragraph(paragraph([.newsLead, .context], &writer, 2...3)))
            blocks.append(.paragraph([writer.sentence(.quote)]))
            blocks.append(heading(.headNewsBackground, &writer))
            blocks.append(.paragraph(paragraph([.context, .approach, .results], &writer, 3...4)))
            blocks.append(.optional(paragraph([.results], &writer, 2...3)))
            blocks.append(heading(.headNewsNext, &writer))
            blocks.append(.paragraph(paragraph([.newsNext], &writer, 2...3)))
        case .toolkit:
            wanted = writer.rng.int(180...420)
            blocks.append(.paragraph(paragraph([.toolkitLead, .toolkitAbout], &writer, 2...3)))
            blocks.append(heading(.headToolkitAbout, &writer))
            blocks.append(.paragraph(paragraph([.toolkitAbout, .why], &writer, 2...4)))
            blocks.append(heading(.headToolkitWho, &writer))
            blocks.append(.paragraph(paragraph([.toolkitWho], &writer, 2...3)))
            blocks.append(heading(.headToolkitUse, &writer))
            blocks.append(list(.toolkitSteps, &writer, 3...6))
            blocks.append(.optional(paragraph([.lessons], &writer, 2...3)))
            blocks.append(.paragraph([licenceSentence(fields), "It can be found on [the publisher's website](\(fieldString(fields, "url"))) and was last updated on \(fieldString(fields, "last_updated"))."]))
        case .publication:
            wanted = writer.rng.int(180...450)
            blocks.append(.paragraph(paragraph([.publicationLead, .publicationAbout], &writer, 2...3)))
            blocks.append(heading(.headPublicationAbout, &writer))
            blocks.append(.paragraph(paragraph([.publicationAbout, .why], &writer, 2...4)))
            blocks.append(heading(.headPublicationFindings, &writer))
            blocks.append(list(.publicationFindings, &writer, 3...5))
            blocks.append(.optional(paragraph([.results], &writer, 2...3)))
            blocks.append(heading(.headPublicationRecommendations, &writer))
            blocks.append(.paragraph(paragraph([.publicationRecommendations, .lessons], &writer, 2...3)))
        case .event:
            wanted = writer.rng.int(160...380)
            blocks.append(.paragraph(paragraph([.eventLead, .eventAbout], &writer, 2...3)))
            blocks.append(heading(.headEventAbout, &writer))
            blocks.append(.paragraph(paragraph([.eventAbout, .why], &writer, 2...3)))
            blocks.append(heading(.headEventProgramme, &writer))
            blocks.append(list(.eventProgramme, &writer, 3...5))
            blocks.append(heading(.headEventWho, &writer))
            blocks.append(.paragraph(paragraph([.eventWho], &writer, 2...3)))
            blocks.append(.optional(paragraph([.why], &writer, 2...3)))
            blocks.append(heading(.headEventPractical, &writer))
            blocks.append(.paragraph(practicalSentences(writer.scene, fields)))
        case .call:
            wanted = writer.rng.int(180...420)
            blocks.append(.paragraph(paragraph([.callLead, .callAbout], &writer, 2...3)))
            blocks.append(heading(.headCallAbout, &writer))
            blocks.append(.paragraph(paragraph([.callAbout, .why], &writer, 2...4)))
            blocks.append(.optional(paragraph([.why], &writer, 2...3)))
            blocks.append(heading(.headCallWho, &writer))
            blocks.append(.paragraph(paragraph([.callWho], &writer, 2...3)))
            blocks.append(heading(.headCallCriteria, &writer))
            if case .strings(let criteria)? = fields.first(where: { $0.0 == "criteria" })?.1 {
                blocks.append(.list(criteria.map { "- " + $0 }))
            }
            blocks.append(heading(.headCallHow, &writer))
            blocks.append(.paragraph(paragraph([.callHow], &writer, 2...4)))
        }
        return assemble(blocks, wanted: wanted, writer: &writer)
    }

    /// Keeps optional paragraphs while the body is shorter than `wanted`, then keeps the body
    /// within 150-600 words.
    private static func assemble(_ blocks: [SampleBlock], wanted: Int, writer: inout SampleWriter) -> String {
        let blockWords = blocks.map(\.words)
        var words = 0
        for (block, count) in zip(blocks, blockWords) {
            if case .optional = block { continue }
            words += count
        }
        var kept: [SampleBlock] = []
        var keptWords: [Int] = []
        for (block, count) in zip(blocks, blockWords) {
            if case .optional(let sentences) = block {
                guard words < wanted else { continue }
                kept.append(.paragraph(sentences))
                words += count
            } else {
                kept.append(block)
            }
            keptWords.append(count)
        }
        while words < 150 {
            let sentence = writer.sentence(.fieldGeneric)
            kept.append(.paragraph([sentence]))
            keptWords.append(sampleWordCount(sentence))
            words += keptWords[keptWords.count - 1]
        }
        while words > 600 {
            // Shorten the longest paragraph by its last sentence.
            var longest = -1
            for (index, block) in kept.enumerated() {
                if case .paragraph(let sentences) = block, sentences.count > 1, longest < 0 || keptWords[index] > keptWords[longest] {
                    longest = index
                }
            }
            guard longest >= 0, case .paragraph(var sentences) = kept[longest] else { break }
            let removed = sampleWordCount(sentences.removeLast())
            kept[longest] = .paragraph(sentences)
            keptWords[longest] -= removed
            words -= removed
        }
        var text = ""
        text.reserveCapacity(words * 7)
        for (index, block) in kept.enumerated() {
            if index > 0 { text += "\n\n" }
            switch block {
            case .heading(let heading): text += heading
            case .paragraph(let sentences), .optional(let sentences): text += sentences.joined(separator: " ")
            case .list(let items): text += items.joined(separator: "\n")
            }
        }
        return text
    }

    private static func fieldString(_ fields: [(String, SampleValue)], _ name: String) -> String {
        if case .string(let text)? = fields.first(where: { $0.0 == name })?.1 { return text }
        return ""
    }

    private static func licenceSentence(_ fields: [(String, SampleValue)]) -> String {
        let licence = fieldString(fields, "licence")
        let written = fieldString(fields, "format")
        let format = written == written.uppercased() ? written : written.lowercased()
        let article = format.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        if licence == "All rights reserved" {
            return "The toolkit is \(article) \(format) published with all rights reserved; ask the publisher before adapting it."
        }
        return "The toolkit is \(article) \(format) published under the **\(licence)** licence."
    }

    private static func practicalSentences(_ scene: SampleScene, _ fields: [(String, SampleValue)]) -> [String] {
        var sentences = ["The \(scene.kind) starts on \(scene.start)."]
        var online = false
        if case .bool(let flag)? = fields.first(where: { $0.0 == "online" })?.1 { online = flag }
        if scene.venue.isEmpty {
            sentences.append("It takes place online; the link is sent to registered participants the day before.")
        } else if online {
            sentences.append("You can attend in person in \(scene.venue) or follow the sessions online.")
        } else {
            sentences.append("The venue is in central \(scene.venue) and can be reached by public transport.")
        }
        sentences.append("Please [register here](\(fieldString(fields, "registration_url"))).")
        return sentences
    }

    private static func excerpt(_ type: ContentType, writer: inout SampleWriter) -> SampleItem.ExcerptState {
        let roll = writer.rng.below(100)
        if roll < 5 { return .absent }
        if roll < 10 { return .empty }
        let pool: SamplePool = switch type {
        case .post: .excerptPost
        case .caseStudy: .excerptCase
        case .toolkit: .excerptToolkit
        case .publication: .excerptPublication
        case .event: .excerptEvent
        case .call: .excerptCall
        case .news: .excerptNews
        }
        var text = writer.sentence(pool, plain: true)
        if type != .call, writer.rng.chance(50) { text += " " + writer.sentence(.excerptSecond, plain: true) }
        return .text(text)
    }
}
