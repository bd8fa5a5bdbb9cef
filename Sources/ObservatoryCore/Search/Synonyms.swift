/// Groups of expressions that mean the same thing to someone searching ("chatbot", "virtual
/// agent", "conversational agent"). A query that holds one expression of a group also finds
/// items that use another.
///
/// Expressions are kept as stems without stop words, so "rules as code" is `["rule", "code"]`
/// and matches "Rules-as-code" and "rule as code" alike.
public struct SynonymTable: Sendable, Equatable {
    public typealias Expression = [String]

    /// Each group's expressions, each at least one stem long.
    public let groups: [[Expression]]
    /// Groups holding an expression that starts with a stem, by that stem.
    private let groupsByFirstStem: [String: [Int]]

    public static let empty = SynonymTable(groups: [])

    /// A table from groups of expressions as written ("behavioural insights", "nudge"); groups
    /// with fewer than two distinct expressions are dropped.
    public init(lines: [[String]]) {
        self.init(groups: lines.map { $0.map(Self.expression(of:)) })
    }

    public init(groups: [[Expression]]) {
        var kept: [[Expression]] = []
        var byFirst: [String: [Int]] = [:]
        for group in groups {
            var seen = Set<Expression>()
            let expressions = group.filter { !$0.isEmpty && seen.insert($0).inserted }
            guard expressions.count > 1 else { continue }
            for first in Set(expressions.map { $0[0] }) { byFirst[first, default: []].append(kept.count) }
            kept.append(expressions)
        }
        self.groups = kept
        self.groupsByFirstStem = byFirst
    }

    /// The stems of `text` without stop words.
    public static func expression(of text: String) -> Expression {
        SearchTokenizer.words(in: text).filter { !StopWords.english.contains($0) }.map(EnglishStemmer.stem)
    }

    /// A group's expressions written one per comma: "chatbot, virtual agent, conversational agent".
    public static func parse(line: String) -> [String] {
        line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The longest expression of any group that `stems` starts with: its length in stems and the
    /// other expressions of its groups.
    public func longestMatch(at stems: ArraySlice<String>) -> (length: Int, equivalents: [Expression])? {
        guard let first = stems.first, let candidates = groupsByFirstStem[first] else { return nil }
        var best: (length: Int, equivalents: [Expression])?
        for groupIndex in candidates {
            for expression in groups[groupIndex] where expression.count <= stems.count {
                guard stems.prefix(expression.count).elementsEqual(expression) else { continue }
                let others = groups[groupIndex].filter { $0 != expression }
                if expression.count > (best?.length ?? 0) {
                    best = (expression.count, others)
                } else if var same = best, expression.count == same.length {
                    same.equivalents += others.filter { !same.equivalents.contains($0) }
                    best = same
                }
            }
        }
        return best
    }

    public static func == (lhs: SynonymTable, rhs: SynonymTable) -> Bool { lhs.groups == rhs.groups }
}
