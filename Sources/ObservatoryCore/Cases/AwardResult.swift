/// What a case became in an award programme's year. A winner counts as shortlisted too.
public enum AwardResult: String, CaseIterable, Sendable {
    case shortlisted
    case winner

    public var nameKey: L10nKey { L10nKey("award.result.\(rawValue)") }

    /// The name of the recognition badge (a term of the recognition vocabulary, which the
    /// case library facets on) of a programme's year and result.
    public static func badge(programme: String, year: Int, result: AwardResult, resultName: String) -> String {
        "\(programme) \(year): \(resultName)"
    }
}
