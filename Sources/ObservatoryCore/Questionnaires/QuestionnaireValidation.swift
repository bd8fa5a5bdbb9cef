import Foundation

/// A problem with one answer, as a localisation key and its values.
public struct AnswerProblem: Sendable, Hashable {
    public let key: String
    public let arguments: [String: String]

    public init(_ key: String, _ arguments: [String: String] = [:]) {
        self.key = key
        self.arguments = arguments
    }

    /// Problems a draft may be saved with (an answer is missing) as opposed to answers that
    /// cannot be kept as they are (too long, not a number).
    public var isMissingAnswer: Bool { key == "answer.required" || key == "answer.tooFew" }
}

/// The one set of rules for answers, used by the server and by the rendered form (limits,
/// `required`, visibility).
public struct QuestionnaireRules: Sendable {
    public let questionnaire: Questionnaire
    /// Whether a country code or a vocabulary term exists.
    public let knownCountry: @Sendable (String) -> Bool
    public let knownTerm: @Sendable (_ vocabulary: String, _ term: String) -> Bool

    public init(_ questionnaire: Questionnaire, knownCountry: @escaping @Sendable (String) -> Bool,
                knownTerm: @escaping @Sendable (String, String) -> Bool) {
        self.questionnaire = questionnaire
        self.knownCountry = knownCountry
        self.knownTerm = knownTerm
    }

    /// Whether a field is shown, given every answer so far. A field that depends on a hidden
    /// field is hidden too.
    public func isVisible(_ field: QuestionnaireField, in answers: Answers) -> Bool {
        guard let condition = field.visibleWhen else { return true }
        if let parent = questionnaire.field(condition.field), !isVisible(parent, in: answers) { return false }
        let given = answers[condition.field]?.values ?? []
        return given.contains { condition.equals.contains($0) }
    }

    /// Problems of the answers to one section, by field id (`group.row.subfield` inside
    /// groups). Hidden fields have none: what is not asked is not required.
    public func problems(in section: QuestionnaireSection, answers: Answers, attachments: [String: Int] = [:]) -> [String: AnswerProblem] {
        var problems: [String: AnswerProblem] = [:]
        for field in section.fields where field.kind != .guidance && isVisible(field, in: answers) {
            if field.kind == .file {
                let count = attachments[field.id] ?? 0
                if field.required && count == 0 { problems[field.id] = AnswerProblem("answer.required") }
                if let max = field.max, count > Int(saturating: max) { problems[field.id] = AnswerProblem("answer.tooMany", ["max": String(Int(saturating: max))]) }
                continue
            }
            let answer = answers[field.id]
            if field.kind == .group {
                let rows: [[String: String]]
                if case .rows(let given)? = answer { rows = given } else { rows = [] }
                if field.required && rows.isEmpty { problems[field.id] = AnswerProblem("answer.required") }
                if let max = field.max, rows.count > Int(saturating: max) { problems[field.id] = AnswerProblem("answer.tooMany", ["max": String(Int(saturating: max))]) }
                for (index, row) in rows.enumerated() {
                    for subfield in field.fields ?? [] {
                        if let problem = problem(subfield, .text(row[subfield.id] ?? "")) {
                            problems["\(field.id).\(index).\(subfield.id)"] = problem
                        }
                    }
                }
                continue
            }
            if let problem = problem(field, answer ?? .text("")) { problems[field.id] = problem }
        }
        return problems
    }

    /// Problems of every section, by section id (sections without problems left out).
    public func problems(in answers: Answers, attachments: [String: Int] = [:]) -> [String: [String: AnswerProblem]] {
        var all: [String: [String: AnswerProblem]] = [:]
        for section in questionnaire.sections {
            let found = problems(in: section, answers: answers, attachments: attachments)
            if !found.isEmpty { all[section.id] = found }
        }
        return all
    }

    /// The answers a finished entry keeps: those of visible fields only.
    public func visibleAnswers(_ answers: Answers) -> Answers {
        answers.filter { id, _ in questionnaire.field(id).map { isVisible($0, in: answers) } ?? false }
    }

    func problem(_ field: QuestionnaireField, _ answer: Answer) -> AnswerProblem? {
        let values = answer.values.filter { !$0.isEmpty }
        if values.isEmpty {
            return field.required ? AnswerProblem("answer.required") : nil
        }
        switch field.kind {
        case .shortText, .longText:
            let text = values[0]
            if text.count > field.maximumLength {
                return AnswerProblem("answer.tooLong", ["max": String(field.maximumLength), "count": String(text.count)])
            }
            if let min = field.min, text.count < Int(saturating: min) { return AnswerProblem("answer.tooShort", ["min": String(Int(saturating: min))]) }
        case .email:
            if values[0].count > field.maximumLength || EmailAddress(values[0]) == nil { return AnswerProblem("answer.email") }
        case .url:
            guard values[0].count <= field.maximumLength, let url = URL(string: values[0]),
                  ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false
            else { return AnswerProblem("answer.url") }
        case .number, .year:
            guard let number = Double(values[0].replacingOccurrences(of: ",", with: ".")), number.isFinite else {
                return AnswerProblem(field.kind == .year ? "answer.year" : "answer.number")
            }
            if field.kind == .year, number.rounded() != number { return AnswerProblem("answer.year") }
            if let min = field.min, number < min {
                return AnswerProblem("answer.range", ["min": Self.format(min), "max": field.max.map(Self.format) ?? "…"])
            }
            if let max = field.max, number > max {
                return AnswerProblem("answer.range", ["min": field.min.map(Self.format) ?? "…", "max": Self.format(max)])
            }
        case .date:
            if Self.date(values[0]) == nil { return AnswerProblem("answer.date") }
        case .singleChoice:
            if !isOption(values[0], of: field) { return AnswerProblem("answer.notAnOption") }
        case .yesNo:
            if !["yes", "no"].contains(values[0]) { return AnswerProblem("answer.notAnOption") }
        case .country:
            if !knownCountry(values[0]) { return AnswerProblem("answer.country") }
        case .multipleChoice, .terms:
            if field.allowOther != true, values.contains(where: { !isOption($0, of: field) }) {
                return AnswerProblem("answer.notAnOption")
            }
            if values.contains(where: { $0.count > 200 }) { return AnswerProblem("answer.tooLong", ["max": "200", "count": "200+"]) }
            if let min = field.min, values.count < Int(saturating: min) { return AnswerProblem("answer.tooFew", ["min": String(Int(saturating: min))]) }
            if let max = field.max, values.count > Int(saturating: max) { return AnswerProblem("answer.tooMany", ["max": String(Int(saturating: max))]) }
        case .group, .guidance, .file:
            break
        }
        return nil
    }

    /// Whether `value` is one of the field's options or a term of its vocabulary.
    func isOption(_ value: String, of field: QuestionnaireField) -> Bool {
        if let vocabulary = field.vocabulary { return knownTerm(vocabulary, value) }
        return (field.options ?? []).contains { $0.value == value }
    }

    public static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(saturating: number)) : String(number)
    }

    /// A `YYYY-MM-DD` date that exists.
    public static func date(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day
        else { return nil }
        return DateComponents(year: year, month: month, day: day)
    }
}
