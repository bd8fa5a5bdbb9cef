import Foundation

/// The parts of an item the search index reads, each weighted by how much a match in it says
/// about the item.
public enum SearchField: Int, CaseIterable, Sendable {
    case title, terms, summary, body

    /// How much one occurrence counts compared with one in the body.
    var weight: Float {
        switch self {
        case .title: 6
        case .terms: 3
        case .summary: 2
        case .body: 1
        }
    }

    /// How strongly a longer field is discounted (BM25's b).
    var lengthNormalisation: Float {
        switch self {
        case .title, .terms: 0.3
        case .summary: 0.5
        case .body: 0.75
        }
    }
}

/// One public item as the index reads it.
public struct SearchIndexDocument: Sendable {
    public var id: Int64
    public var type: ContentType
    public var publishedAt: Int64
    public var title: String
    /// The names of its terms (tags, sectors, countries…).
    public var terms: [String]
    public var summary: String
    public var body: String

    public init(id: Int64, type: ContentType, publishedAt: Int64, title: String, terms: [String], summary: String, body: String) {
        self.id = id
        self.type = type
        self.publishedAt = publishedAt
        self.title = title
        self.terms = terms
        self.summary = summary
        self.body = body
    }
}

/// How a query is to be matched.
public struct SearchOptions: Sendable, Hashable {
    /// Every word must match (the plain search of older systems); otherwise items matching more
    /// of the words rank higher and an item need not hold them all.
    public var matchAll = false
    /// Replace a word no item holds by the closest word that items hold ("procurment").
    public var correctSpelling = true

    public init(matchAll: Bool = false, correctSpelling: Bool = true) {
        self.matchAll = matchAll
        self.correctSpelling = correctSpelling
    }

    /// The values each option's query parameter takes, the default first.
    public static let values: [String: [String]] = ["match": ["any", "all"], "spelling": ["on", "off"]]

    /// Reads `match=any|all` or `spelling=on|off`; false for any other value.
    public mutating func read(name: String, value: String) -> Bool {
        switch (name, value) {
        case ("match", "any"): matchAll = false
        case ("match", "all"): matchAll = true
        case ("spelling", "on"): correctSpelling = true
        case ("spelling", "off"): correctSpelling = false
        default: return false
        }
        return true
    }

    /// The query string pairs of the options that differ from the defaults.
    public var parameters: [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        if matchAll { pairs.append(("match", "all")) }
        if !correctSpelling { pairs.append(("spelling", "off")) }
        return pairs
    }

    /// Why `value` is no value of the option `name`.
    public static func message(name: String, value: String, _ localizer: Localizer) -> String {
        localizer("search.error.option", ["name": name, "value": value, "valid": (values[name] ?? []).joined(separator: ", ")])
    }
}

/// What a query found in the index, before any filter.
public struct SearchMatches: Sendable {
    /// Matched documents (indexes into the index's arrays) with their scores, best first.
    public var documents: [(document: Int32, score: Float)]
    /// Words and phrases (as typed) that no item holds, after spelling correction.
    public var unmatched: [String]
    /// Words that no item holds, each with the word searched instead.
    public var corrections: [(typed: String, used: String)]
    /// Quoted phrases: the index matched their words anywhere in an item; the caller keeps the
    /// items that hold them next to each other.
    public var phrases: [[String]]
    /// The stems the query matched with (its words, their synonyms, spelling corrections and
    /// completions), for highlighting.
    public var stems: Set<String> = []
}

/// An in-memory inverted index of the public items: for each word stem, the items holding it
/// with a precomputed BM25F weight (fields weighted title > terms > summary > body, each
/// normalised for its length).
///
/// A query is ranked as a sum over its words of idf × weight, times a coordination factor that
/// favours items matching more of the words; synonyms and spelling variants count as the word
/// itself, prefix completions of the word being typed a little less. An index is immutable and
/// built for one content version.
public final class SearchIndex: Sendable {
    /// One item's weight for one stem.
    struct Posting {
        let document: UInt32
        let weight: Float
    }

    public let ids: [Int64]
    public let types: [ContentType]
    public let publishedAt: [Int64]
    private let documentByID: [Int64: Int32]
    private let termByStem: [String: Int32]
    private let stemByTerm: [String]
    private let postings: [[Posting]]
    /// Every word as it occurs in the text, sorted, with its stem's term: for completing the last
    /// word typed and for correcting spelling.
    private let surfaces: [String]
    private let surfaceTerms: [Int32]

    /// BM25's term-frequency saturation.
    static let k1: Float = 1.2
    /// The weight of a word found by completing a prefix, against the word itself.
    static let prefixWeight: Float = 0.6
    /// The weight of a synonym's match, against the word typed.
    static let synonymWeight: Float = 0.9
    /// Words at least this long are corrected even when other words of the query match.
    static let correctedLength = 7
    /// Completions of a prefix kept at most, the most frequent first.
    static let prefixCompletions = 12

    public var count: Int { ids.count }

    public func document(id: Int64) -> Int32? { documentByID[id] }

    /// How many items hold `stem`.
    public func documentFrequency(ofStem stem: String) -> Int {
        termByStem[stem].map { postings[Int($0)].count } ?? 0
    }

    public convenience init(documents: [SearchIndexDocument]) {
        var builder = Builder()
        for document in documents { builder.add(document) }
        self.init(builder: builder)
    }

    /// Collects documents one by one, so that a large site is read in chunks.
    public struct Builder: Sendable {
        fileprivate var ids: [Int64] = []
        fileprivate var types: [ContentType] = []
        fileprivate var publishedAt: [Int64] = []
        fileprivate var termBySurface: [String: Int32] = [:]
        fileprivate var termByStem: [String: Int32] = [:]
        /// Per document, its terms with their counts per field, flattened.
        fileprivate var occurrenceStart: [Int] = [0]
        fileprivate var occurrenceTerms: [Int32] = []
        fileprivate var occurrenceCounts: [SIMD4<Float>] = []
        fileprivate var lengths: [SIMD4<Float>] = []

        public init() {}

        public var count: Int { ids.count }

        public mutating func add(_ document: SearchIndexDocument) {
            ids.append(document.id)
            types.append(document.type)
            publishedAt.append(document.publishedAt)
            var counts: [Int32: SIMD4<Float>] = [:]
            var length = SIMD4<Float>(repeating: 0)
            func read(_ text: String, field: SearchField) {
                SearchTokenizer.forEachWord(in: text) { word in
                    guard let term = self.term(of: word) else { return }
                    counts[term, default: SIMD4(repeating: 0)][field.rawValue] += 1
                    length[field.rawValue] += 1
                }
            }
            read(document.title, field: .title)
            for name in document.terms { read(name, field: .terms) }
            read(document.summary, field: .summary)
            read(document.body, field: .body)
            for (term, count) in counts {
                occurrenceTerms.append(term)
                occurrenceCounts.append(count)
            }
            occurrenceStart.append(occurrenceTerms.count)
            lengths.append(length)
        }

        /// The term of a word, nil for a stop word; each distinct word is stemmed once.
        private mutating func term(of word: String) -> Int32? {
            if let known = termBySurface[word] { return known >= 0 ? known : nil }
            guard !StopWords.english.contains(word) else {
                termBySurface[word] = -1
                return nil
            }
            let stem = EnglishStemmer.stem(word)
            let term: Int32
            if let existing = termByStem[stem] {
                term = existing
            } else {
                term = Int32(termByStem.count)
                termByStem[stem] = term
            }
            termBySurface[word] = term
            return term
        }
    }

    public init(builder: Builder) {
        let documentCount = builder.ids.count
        var average = SIMD4<Float>(repeating: 0)
        for length in builder.lengths { average += length }
        if documentCount > 0 { average /= Float(documentCount) }
        average.replace(with: SIMD4(repeating: 1), where: average .< 1)

        var weights = SIMD4<Float>(repeating: 0), normalisation = SIMD4<Float>(repeating: 0)
        for field in SearchField.allCases {
            weights[field.rawValue] = field.weight
            normalisation[field.rawValue] = field.lengthNormalisation
        }
        var lists = [[Posting]](repeating: [], count: builder.termByStem.count)
        for document in 0..<documentCount {
            let divisor = (SIMD4<Float>(repeating: 1) - normalisation) + normalisation * builder.lengths[document] / average
            for occurrence in builder.occurrenceStart[document]..<builder.occurrenceStart[document + 1] {
                let frequency = (weights * builder.occurrenceCounts[occurrence] / divisor).sum()
                let weight = frequency * (Self.k1 + 1) / (frequency + Self.k1)
                lists[Int(builder.occurrenceTerms[occurrence])].append(Posting(document: UInt32(document), weight: weight))
            }
        }
        ids = builder.ids
        types = builder.types
        publishedAt = builder.publishedAt
        var byID: [Int64: Int32] = [:]
        byID.reserveCapacity(documentCount)
        for (index, id) in builder.ids.enumerated() { byID[id] = Int32(index) }
        documentByID = byID
        termByStem = builder.termByStem
        var stems = [String](repeating: "", count: builder.termByStem.count)
        for (stem, term) in builder.termByStem { stems[Int(term)] = stem }
        stemByTerm = stems
        postings = lists
        let sorted = builder.termBySurface.filter { $0.value >= 0 }.sorted { $0.key < $1.key }
        surfaces = sorted.map(\.key)
        surfaceTerms = sorted.map(\.value)
    }

    // MARK: - Queries

    /// One thing the query asks for: a word, a phrase, or a run of words a synonym group
    /// names; it matches when any of its alternatives matches in full.
    private struct Concept {
        /// As typed, for the page to name it.
        var typed: String
        var alternatives: [(terms: [Int32], weight: Float)]
        /// A quoted phrase's words, for the caller to check that they stand together.
        var phraseWords: [String]?
        /// The word as typed, when spelling may correct it.
        var correctable: String?
    }

    /// Ranks every item against `query`. `synonyms` widen words and runs of words.
    public func search(_ query: SearchQuery, synonyms: SynonymTable = .empty, options: SearchOptions = SearchOptions()) -> SearchMatches {
        var concepts = self.concepts(of: query, synonyms: synonyms)
        var corrections: [(typed: String, used: String)] = []
        var unmatched: [String] = []
        let phrases = concepts.compactMap(\.phraseWords)
        // A short word no item holds is often a real word the items do not use ("spend"): it
        // is corrected only when nothing else of the query matches.
        let othersMatch = concepts.contains(where: matchesAnything)
        for index in concepts.indices where !matchesAnything(concepts[index]) {
            if options.correctSpelling, let word = concepts[index].correctable,
               word.unicodeScalars.count >= Self.correctedLength || !othersMatch, let better = correction(of: word),
               let term = termByStem[EnglishStemmer.stem(better)] {
                concepts[index].alternatives = [([term], 1)]
                corrections.append((word, better))
            } else {
                unmatched.append(concepts[index].typed)
            }
        }
        // Items holding a word or every word of a phrase typed after a minus sign are left out.
        var excludedDocuments = Set<Int32>()
        for words in query.exclusions {
            let stems = words.filter { !StopWords.english.contains($0) }.map(EnglishStemmer.stem)
            let terms = stems.compactMap { termByStem[$0] }
            guard !terms.isEmpty, terms.count == stems.count else { continue }
            var hits: [UInt32: Int] = [:]
            for term in terms { for posting in postings[Int(term)] { hits[posting.document, default: 0] += 1 } }
            for (document, n) in hits where n == terms.count { excludedDocuments.insert(Int32(document)) }
        }

        let stems = Set(concepts.flatMap { $0.alternatives.flatMap { $0.terms.map { stemByTerm[Int($0)] } } })
        let total = concepts.count
        if total == 0 && !query.exclusions.isEmpty {
            // Only words to leave out: every other item, newest additions first.
            let kept = (0..<Int32(count)).reversed().filter { !excludedDocuments.contains($0) }.map { (document: $0, score: Float(0)) }
            return SearchMatches(documents: kept, unmatched: unmatched, corrections: corrections, phrases: phrases, stems: stems)
        }
        guard total > 0, total <= 32 else {
            return SearchMatches(documents: [], unmatched: unmatched, corrections: corrections, phrases: phrases, stems: stems)
        }
        var score = [Float](repeating: 0, count: count)
        var matched = [UInt32](repeating: 0, count: count)
        var touched: [Int32] = []
        var conceptScore = [Float](repeating: 0, count: count)
        var conceptTouched: [Int32] = []
        var alternativeScore = [Float](repeating: 0, count: count)
        var alternativeHits = [UInt8](repeating: 0, count: count)
        var alternativeTouched: [Int32] = []

        for (conceptIndex, concept) in concepts.enumerated() {
            let bit = UInt32(1) << UInt32(conceptIndex)
            for alternative in concept.alternatives {
                for term in alternative.terms {
                    let list = postings[Int(term)]
                    let idf = Self.idf(documentFrequency: list.count, documents: count) * alternative.weight
                    for posting in list {
                        let document = Int(posting.document)
                        if alternativeHits[document] == 0 { alternativeTouched.append(Int32(document)) }
                        alternativeHits[document] &+= 1
                        alternativeScore[document] += idf * posting.weight
                    }
                }
                let needed = UInt8(clamping: alternative.terms.count)
                for document32 in alternativeTouched {
                    let document = Int(document32)
                    let isFull = alternativeHits[document] >= needed
                    // A partial match of a several-word alternative adds a little, but does not
                    // count as matching the concept.
                    let value = isFull ? alternativeScore[document] : alternativeScore[document] * 0.25 * Float(alternativeHits[document]) / Float(needed)
                    if conceptScore[document] == 0 && matched[document] & bit == 0 { conceptTouched.append(document32) }
                    if value > conceptScore[document] { conceptScore[document] = value }
                    if isFull { matched[document] |= bit }
                    alternativeScore[document] = 0
                    alternativeHits[document] = 0
                }
                alternativeTouched.removeAll(keepingCapacity: true)
            }
            for document32 in conceptTouched {
                let document = Int(document32)
                if score[document] == 0 { touched.append(document32) }
                score[document] += conceptScore[document]
                conceptScore[document] = 0
            }
            conceptTouched.removeAll(keepingCapacity: true)
        }

        let all = total >= 32 ? UInt32.max : (UInt32(1) << UInt32(total)) - 1
        var ranked: [(document: Int32, score: Float)] = []
        ranked.reserveCapacity(touched.count)
        for document32 in touched {
            let document = Int(document32)
            let bits = matched[document]
            guard bits != 0, !excludedDocuments.contains(document32) else { continue }
            if options.matchAll && bits != all { continue }
            let share = Float(bits.nonzeroBitCount) / Float(total)
            ranked.append((document32, score[document] * Self.coordination(share)))
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : ids[Int($0.document)] > ids[Int($1.document)] }
        return SearchMatches(documents: ranked, unmatched: unmatched, corrections: corrections, phrases: phrases, stems: stems)
    }

    /// The factor for an item that matches `share` of the query's words: an item holding every
    /// word outranks one that holds a rare word many times.
    static func coordination(_ share: Float) -> Float {
        0.2 + 0.8 * share * share
    }

    static func idf(documentFrequency: Int, documents: Int) -> Float {
        let n = Float(documents), df = Float(documentFrequency)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    private func idf(of term: Int32) -> Float {
        Self.idf(documentFrequency: postings[Int(term)].count, documents: count)
    }

    private func matchesAnything(_ concept: Concept) -> Bool {
        concept.alternatives.contains { alternative in
            !alternative.terms.isEmpty && alternative.terms.allSatisfy { !postings[Int($0)].isEmpty }
        }
    }

    /// The query's concepts: phrases as typed, runs of words a synonym group names, and single
    /// words with their synonyms and, for the last word typed, its completions.
    private func concepts(of query: SearchQuery, synonyms: SynonymTable) -> [Concept] {
        var concepts: [Concept] = []
        // Consecutive plain words, for synonym runs.
        var run: [(word: String, prefix: Bool)] = []
        func flushRun() {
            let stems = run.map { EnglishStemmer.stem($0.word) }
            var index = 0
            while index < run.count {
                if let match = synonyms.longestMatch(at: stems[index...]) {
                    let length = match.length
                    let words = run[index..<(index + length)]
                    var concept = Concept(typed: words.map(\.word).joined(separator: " "), alternatives: [])
                    let typedTerms = stems[index..<(index + length)].compactMap { termByStem[$0] }
                    if typedTerms.count == length { concept.alternatives.append((typedTerms, 1)) }
                    let typedIDF = typedTerms.reduce(Float(0)) { $0 + idf(of: $1) }
                    for expression in match.equivalents {
                        let terms = expression.compactMap { termByStem[$0] }
                        // Weighed as rare as the words typed: a synonym holding a rarer word
                        // must not outrank the items that use the words themselves.
                        guard terms.count == expression.count, !terms.isEmpty else { continue }
                        let ownIDF = terms.reduce(Float(0)) { $0 + idf(of: $1) }
                        let scale = typedTerms.count == length && ownIDF > 0 ? typedIDF / ownIDF : 1
                        concept.alternatives.append((terms, Self.synonymWeight * scale))
                    }
                    if length == 1 {
                        concept.correctable = words.first?.word
                        if let last = words.first, last.prefix { concept.alternatives += completions(of: last.word) }
                    }
                    concepts.append(concept)
                    index += length
                } else {
                    let (word, prefix) = run[index]
                    var concept = Concept(typed: word, alternatives: [])
                    if let term = termByStem[stems[index]] { concept.alternatives.append(([term], 1)) }
                    if prefix { concept.alternatives += completions(of: word) }
                    concept.correctable = word
                    concepts.append(concept)
                    index += 1
                }
            }
            run.removeAll()
        }
        for term in query.terms {
            switch term {
            case .word(let word, let prefix):
                run.append((word, prefix))
            case .phrase(let words):
                flushRun()
                let stems = words.filter { !StopWords.english.contains($0) }.map(EnglishStemmer.stem)
                guard !stems.isEmpty else { continue }
                let terms = stems.compactMap { termByStem[$0] }
                var concept = Concept(typed: words.joined(separator: " "), alternatives: [])
                if terms.count == stems.count { concept.alternatives.append((terms, 1)) }
                concept.phraseWords = words
                concepts.append(concept)
            case .excluded:
                continue
            }
        }
        flushRun()
        return Array(concepts.prefix(32))
    }

    /// The terms of the most frequent words that start with `prefix`, weighted below the word.
    private func completions(of prefix: String) -> [(terms: [Int32], weight: Float)] {
        guard prefix.count >= 3 else { return [] }
        var low = 0, high = surfaces.count
        while low < high {
            let middle = (low + high) / 2
            if surfaces[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var terms = Set<Int32>()
        var index = low
        while index < surfaces.count, surfaces[index].hasPrefix(prefix), index - low < 2_000 {
            terms.insert(surfaceTerms[index])
            index += 1
        }
        let exact = termByStem[EnglishStemmer.stem(prefix)]
        return terms.filter { $0 != exact }
            .sorted { postings[Int($0)].count > postings[Int($1)].count }
            .prefix(Self.prefixCompletions)
            .map { ([$0], Self.prefixWeight) }
    }

    // MARK: - Related items

    /// Items that share the most telling words with the given text (an item's title, term
    /// names and text), best first, without `excluded`; `accept` picks the kind of item.
    ///
    /// The words are weighted as the index weighs fields (title above terms above text) and by
    /// how rare they are; the `relatedWords` heaviest form a query every candidate is scored
    /// against, so related items share vocabulary terms and distinctive words, not common ones.
    public func related(title: String, terms: [String], text: String, excluding excluded: Int64, limit: Int,
                        where accept: (Int32) -> Bool) -> [Int64] {
        var weights: [Int32: Float] = [:]
        func read(_ text: String, _ field: SearchField) {
            SearchTokenizer.forEachWord(in: text) { word in
                guard !StopWords.english.contains(word), let term = termByStem[EnglishStemmer.stem(word)] else { return }
                weights[term, default: 0] += field.weight
            }
        }
        read(title, .title)
        for name in terms { read(name, .terms) }
        read(String(text.prefix(4_000)), .body)
        var candidates: [(term: Int32, weight: Float)] = []
        for (term, weight) in weights {
            let frequency = postings[Int(term)].count
            guard frequency > 1 else { continue }
            let saturated: Float = weight / (weight + Self.k1)
            candidates.append((term, saturated * Self.idf(documentFrequency: frequency, documents: count)))
        }
        candidates.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
        let chosen = candidates.prefix(Self.relatedWords)
        var scores: [Int32: Float] = [:]
        for (term, weight) in chosen {
            for posting in postings[Int(term)] {
                scores[Int32(posting.document), default: 0] += weight * posting.weight
            }
        }
        let own = documentByID[excluded]
        var ranked: [(document: Int32, score: Float)] = []
        for (document, score) in scores where document != own && accept(document) { ranked.append((document, score)) }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : ids[Int($0.document)] > ids[Int($1.document)] }
        return ranked.prefix(limit).map { ids[Int($0.document)] }
    }

    /// Words of an item that find its related items.
    static let relatedWords = 20

    // MARK: - Spelling

    /// The word items hold that is closest to `word` (one edit for words up to six letters,
    /// two beyond), the most frequent among equally close ones; nil when none is close.
    public func correction(of word: String) -> String? {
        suggestions(for: word, limit: 1, distance: word.unicodeScalars.count <= 6 ? 1 : 2).first
    }

    /// Words the index holds at most `distance` edits from `word`, the closest and most
    /// frequent first.
    public func suggestions(for word: String, limit: Int = 5, distance allowed: Int = 2) -> [String] {
        let typed = Array(word.unicodeScalars)
        guard typed.count >= 4, typed.count <= 40, let first = word.first else { return [] }
        // Words starting with the same letter: a first letter is rarely mistyped.
        var low = 0, high = surfaces.count
        let start = String(first)
        while low < high {
            let middle = (low + high) / 2
            if surfaces[middle] < start { low = middle + 1 } else { high = middle }
        }
        var found: [(word: String, distance: Int, frequency: Int)] = []
        var index = low
        while index < surfaces.count, surfaces[index].first == first {
            let candidate = surfaces[index]
            let scalars = Array(candidate.unicodeScalars)
            if abs(scalars.count - typed.count) <= allowed, candidate != word,
               let distance = Self.editDistance(typed, scalars, limit: allowed) {
                found.append((candidate, distance, postings[Int(surfaceTerms[index])].count))
            }
            index += 1
        }
        found.sort { ($0.distance, -$0.frequency, $0.word) < ($1.distance, -$1.frequency, $1.word) }
        var seenTerms = Set<String>()
        return found.filter { seenTerms.insert(EnglishStemmer.stem($0.word)).inserted }.prefix(limit).map(\.word)
    }

    /// The optimal-string-alignment distance between `a` and `b` (insertions, deletions,
    /// substitutions and swaps of neighbours), or nil when it exceeds `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return nil }
        if n == 0 || m == 0 { return max(n, m) <= limit ? max(n, m) : nil }
        var previousPrevious = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return nil }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[m] <= limit ? previous[m] : nil
    }
}
