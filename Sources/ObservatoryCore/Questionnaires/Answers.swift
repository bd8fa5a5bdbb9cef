import Foundation

/// An answer to one field: a text, several values, or rows of a group.
public enum Answer: Codable, Sendable, Hashable {
    case text(String)
    case list([String])
    case rows([[String: String]])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            self = .rows(try container.decode([[String: String]].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let list): try container.encode(list)
        case .rows(let rows): try container.encode(rows)
        }
    }

    /// The values as a list (a text is one value).
    public var values: [String] {
        switch self {
        case .text(let text): [text]
        case .list(let list): list
        case .rows: []
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .text(let text): text.isEmpty
        case .list(let list): list.isEmpty
        case .rows(let rows): rows.isEmpty
        }
    }
}

/// Answers by field id.
public typealias Answers = [String: Answer]

public enum AnswersCoding {
    public static func encode(_ answers: Answers) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(answers)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) -> Answers {
        (try? JSONDecoder().decode(Answers.self, from: Data(text.utf8))) ?? [:]
    }
}

/// Turns what a form posted into answers for one section. Field inputs are named
/// `q.<field>` (repeated for several values) and `q.<group>.<row>.<subfield>` for groups.
public enum QuestionnaireForm {
    public static let prefix = "q."

    public static func answers(from pairs: [(name: String, value: String)], section: QuestionnaireSection) -> Answers {
        var answers: Answers = [:]
        var values: [String: [String]] = [:]
        var rows: [String: [Int: [String: String]]] = [:]
        for (name, value) in pairs where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 3, let row = Int(parts[1]), (0..<200).contains(row) {
                rows[parts[0], default: [:]][row, default: [:]][parts[2]] = normalize(value)
            } else if parts.count == 1 {
                values[parts[0], default: []].append(normalize(value))
            }
        }
        for field in section.fields {
            switch field.kind {
            case .guidance, .file:
                continue
            case .group:
                let subfields = Set((field.fields ?? []).map(\.id))
                let kept = (rows[field.id] ?? [:]).sorted { $0.key < $1.key }.map { $0.value.filter { subfields.contains($0.key) } }
                    .filter { row in row.values.contains { !$0.isEmpty } }
                answers[field.id] = .rows(kept)
            case .multipleChoice, .terms:
                var given = values[field.id] ?? []
                // Own terms are typed one per line.
                if field.allowOther == true { given = given.flatMap { $0.split(separator: "\n").map { normalize(String($0)) } } }
                answers[field.id] = .list(given.filter { !$0.isEmpty }.uniqued())
            default:
                answers[field.id] = .text(values[field.id]?.last ?? "")
            }
        }
        return answers
    }

    /// Trimmed, with line ends made `\n`, so the same text always counts the same length.
    static func normalize(_ value: String) -> String {
        value.replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
