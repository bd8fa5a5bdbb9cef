import Fluent
import ObservatoryCore
import SQLKit

/// Gives a new site a starter list of synonym groups for public-sector innovation (the
/// `synonyms` vocabulary: one term per group, expressions separated by commas). Editors
/// change, hide and add groups in the administration like any vocabulary.
struct SeedSynonyms: AsyncMigration {
    static let starterLines: [String] = [
        "chatbot, virtual agent, virtual assistant, conversational agent",
        "rules as code, machine-consumable legislation, machine-readable legislation, legislation as code",
        "behavioural insights, behavioral insights, nudge, behavioural economics, behavioural science",
        "participatory budgeting, participatory budget, citizen budget",
        "e-procurement, electronic procurement, online procurement",
        "procurement, public purchasing, tendering",
        "open data, open government data",
        "open government, government transparency",
        "artificial intelligence, ai, machine learning",
        "digital identity, electronic identity, eid, digital id",
        "one-stop shop, single window, one-stop service",
        "hospital at home, home hospitalisation, virtual ward",
        "regulatory sandbox, innovation sandbox, test bed",
        "civic tech, civic technology",
        "crowdsourcing, crowd-sourcing",
        "co-design, co-creation, codesign, human-centred design, user-centred design, service design",
        "public spending, government spending, public expenditure, public money, budget transparency",
        "unmanned aerial vehicle, drone, uav",
        "tax compliance, tax collection, unpaid taxes, tax arrears",
        "fintech, financial technology",
        "startup, start-up, young company",
        "citizen participation, public participation, civic engagement, citizen engagement",
        "deliberative democracy, citizens assembly, citizens jury, mini-public",
        "once-only principle, once only, tell us once",
        "blockchain, distributed ledger",
        "telemedicine, telehealth, remote consultation",
        "climate change, global warming, climate crisis",
        "homelessness, rough sleeping",
        "unemployment, jobless, joblessness",
        "elderly, older people, seniors, ageing population",
        "smart city, smart cities, connected city",
        "cash transfer, conditional cash transfer, social transfer",
        "mobile phone, cell phone, mobile",
        "algorithm register, algorithmic transparency, ai register",
    ]


    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (position, name) in Self.starterLines.enumerated() {
            try await sql.insert(into: "terms")
                .columns("vocabulary", "slug", "name", "position")
                .values(SQLBind(Vocabulary.synonyms.rawValue), SQLBind(Slug.make(from: name)), SQLBind(name), SQLBind(position + 1))
                .ignoringConflicts(with: ["vocabulary", "slug"])
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "terms").where("vocabulary", .equal, Vocabulary.synonyms.rawValue).run()
    }
}
