import Fluent
import ObservatoryCore
import SQLKit

/// Fills the standard vocabularies (countries, sectors, questionnaire choices…) so that forms
/// and facets list every term from the start. Editors may add and rename terms later.
struct SeedVocabularies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for vocabulary in StandardVocabularies.seeded {
            for (position, name) in StandardVocabularies.terms(of: vocabulary).enumerated() {
                try await sql.insert(into: "terms")
                    .columns("vocabulary", "slug", "name", "position")
                    .values(SQLBind(vocabulary.rawValue), SQLBind(Slug.make(from: name)), SQLBind(name), SQLBind(position))
                    .ignoringConflicts(with: ["vocabulary", "slug"])
                    .run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let seeded = StandardVocabularies.seeded.map(\.rawValue)
        try await sql.delete(from: "terms").where("vocabulary", .in, seeded).run()
    }
}
