/// An answer as an API client sends it, in JSON: a text (numbers and booleans accepted
/// too), a list of texts, or rows of texts for groups.
public enum AnswerInput: Sendable, Equatable {
    case text(String)
    case list([String])
    case rows([[String: String]])
    /// Anything else (an object, a nested list, a list mixing rows and texts).
    case unsupported
}

extension AnswerInput: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = Scalar.decode(container) {
            self = .text(text)
        } else if let list = try? container.decode([Scalar].self) {
            self = .list(list.map(\.text))
        } else if let rows = try? container.decode([[String: Scalar]].self) {
            self = .rows(rows.map { $0.mapValues(\.text) })
        } else {
            self = .unsupported
        }
    }

    /// One JSON value that reads as text: a string, a number, or a boolean ("yes" or "no").
    struct Scalar: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            guard let text = Scalar.decode(container) else {
                throw DecodingError.typeMismatch(String.self, .init(codingPath: decoder.codingPath, debugDescription: "not a text"))
            }
            self.text = text
        }

        static func decode(_ container: any SingleValueDecodingContainer) -> String? {
            if let text = try? container.decode(String.self) { return text }
            if let flag = try? container.decode(Bool.self) { return flag ? "yes" : "no" }
            if let number = try? container.decode(Int64.self) { return String(number) }
            if let number = try? container.decode(Double.self), number.isFinite { return String(number) }
            return nil
        }
    }
}

/// Answers sent through the API, turned into the same answers a form would give, so both
/// go through one set of rules.
public enum QuestionnaireInput {
    /// The answers for the fields that were sent, by section; or, when a field does not exist
    /// or cannot take the kind of value sent, the problems by field id (nothing is kept).
    public static func answers(_ inputs: [String: AnswerInput], questionnaire: Questionnaire)
        -> Result<[String: Answers], InputProblems> {
        var problems: [String: AnswerProblem] = [:]
        var pairsBySection: [String: [(name: String, value: String)]] = [:]
        var fieldsBySection: [String: Set<String>] = [:]
        for (id, input) in inputs.sorted(by: { $0.key < $1.key }) {
            guard let section = questionnaire.sections.first(where: { $0.fields.contains { $0.id == id } }),
                  let field = section.fields.first(where: { $0.id == id }), field.kind != .guidance
            else {
                problems[id] = AnswerProblem("answer.unknownField")
                continue
            }
            guard let pairs = pairs(for: field, input) else {
                problems[id] = AnswerProblem(field.kind == .file ? "answer.fileByForm" : "answer.wrongShape")
                continue
            }
            pairsBySection[section.id, default: []].append(contentsOf: pairs)
            fieldsBySection[section.id, default: []].insert(id)
        }
        guard problems.isEmpty else { return .failure(InputProblems(problems: problems)) }
        var result: [String: Answers] = [:]
        for (sectionID, pairs) in pairsBySection {
            guard let section = questionnaire.section(sectionID) else { continue }
            let given = fieldsBySection[sectionID] ?? []
            result[sectionID] = QuestionnaireForm.answers(from: pairs, section: section).filter { given.contains($0.key) }
        }
        return .success(result)
    }

    /// The form fields a browser would post for this answer; nil when the kind of value does
    /// not fit the field.
    static func pairs(for field: QuestionnaireField, _ input: AnswerInput) -> [(name: String, value: String)]? {
        let name = QuestionnaireForm.prefix + field.id
        switch (field.kind, input) {
        case (.file, _), (.guidance, _), (_, .unsupported):
            return nil
        case (.group, .rows(let rows)):
            let subfields = Set((field.fields ?? []).map(\.id))
            var pairs: [(name: String, value: String)] = []
            for (index, row) in rows.enumerated() {
                for (key, value) in row {
                    guard subfields.contains(key) else { return nil }
                    pairs.append(("\(name).\(index).\(key)", value))
                }
            }
            return pairs
        case (.group, .list(let list)) where list.isEmpty:
            // An empty list clears the group.
            return []
        case (.group, _):
            return nil
        case (.multipleChoice, .list(let values)), (.terms, .list(let values)):
            return values.map { (name, $0) }
        case (.multipleChoice, .text(let value)), (.terms, .text(let value)):
            return [(name, value)]
        case (_, .text(let value)):
            return [(name, value)]
        case (_, .list), (_, .rows):
            return nil
        }
    }
}

public struct InputProblems: Error, Sendable, Equatable {
    public let problems: [String: AnswerProblem]
}
