import Foundation
import ObservatoryCore
import SQLKit

/// Turns an accepted entry into a case study of the library: each answer goes to the case
/// field its question maps to (`mapsTo`); answers to hidden questions are left out.
struct CasePublisher {
    let sql: any SQLDatabase
    let now: Int64

    static func record(from submission: SubmissionRecord, rules: QuestionnaireRules, slug: String, author: String, now: Int64) -> ContentRecord {
        let answers = rules.visibleAnswers(submission.answers)
        var fields: [String: FieldValue] = [:]
        var terms: [Vocabulary: [String]] = [:]
        var title = submission.title
        let caseFields = Dictionary(uniqueKeysWithValues: FieldSchemas.caseStudy.map { ($0.name, $0) })
        for field in rules.questionnaire.fields {
            guard let target = field.mapsTo, let answer = answers[field.id], !answer.isEmpty else { continue }
            if target == "title" {
                title = answer.values.first ?? title
                continue
            }
            guard let definition = caseFields[target] else { continue }
            switch definition.kind {
            case .choice, .multipleChoice:
                fields[target] = .terms(answer.values)
            case .year, .integer:
                if let number = Int(answer.values.first ?? "") { fields[target] = .integer(number) }
            case .urlList, .textList:
                if case .rows(let rows) = answer {
                    fields[target] = .texts(rows.compactMap { row in row.values.first { !$0.isEmpty } })
                } else {
                    fields[target] = .texts(answer.values)
                }
            default:
                fields[target] = .text(answer.values.first ?? "")
            }
        }
        if case .text(let code)? = fields["country_code"], let country = Countries.code(code) {
            terms[.country] = [country.name]
        }
        let overview: String
        if case .text(let text)? = fields["overview"] { overview = text } else { overview = "" }
        let excerpt: String?
        if case .text(let text)? = fields["short_explanation"] { excerpt = text } else { excerpt = nil }
        return ContentRecord(
            type: .caseStudy, title: title, slug: slug, excerpt: excerpt, body: overview, status: .published,
            publishedAt: ZonedTimestamp(secondsSince1970: now), language: "en",
            authors: [author], featured: false, terms: terms, fields: fields)
    }

    /// Creates the case study, or updates the one published before from this entry.
    func publish(_ submission: SubmissionRecord, rules: QuestionnaireRules, author: String) async throws -> (id: Int64, slug: String) {
        var store = ContentStore(sql: sql)
        var slug: String
        if let existing = submission.publishedItemID,
           let published = try await store.slug(of: existing) {
            slug = published
        } else {
            let title = rules.visibleAnswers(submission.answers)["title"]?.values.first ?? submission.title
            slug = try await store.availableSlug(for: title, type: .caseStudy)
        }
        let record = Self.record(from: submission, rules: rules, slug: slug, author: author, now: now)
        let outcome = try await store.save(record, now: now)
        try await store.finish()
        slug = record.slug
        return (outcome.id, slug)
    }
}
