import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Award programmes, their categories and each year's shortlisted cases and winners.
struct AwardStore {
    struct Programme: Sendable {
        let id: Int64
        let slug: String
        let name: String
        let description: String
        let categories: [(id: Int64, name: String)]
    }

    struct Entry: Sendable {
        let id: Int64
        let year: Int
        let categoryID: Int64
        let categoryName: String
        let itemID: Int64
        let slug: String
        let title: String
        let result: AwardResult
        let isPublic: Bool
    }

    enum Problem: Error {
        case emptyName
        case nameTaken
        case noCategories
        case noSuchCase
        case badYear
        case duplicate
    }

    static let years = 1990...2100

    let sql: any SQLDatabase
    let now: Int64

    func programmes() async throws -> [Programme] {
        try await programmes { $0 }
    }

    func programme(slug: String) async throws -> Programme? { try await programmes { $0.where("slug", .equal, slug) }.first }
    func programme(id: Int64) async throws -> Programme? { try await programmes { $0.where("id", .equal, id) }.first }

    private struct ProgrammeRow: Decodable, Sendable {
        let id: Int64
        let slug: String
        let name: String
        let description: String
    }

    private func programmes(_ narrowed: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Programme] {
        let rows = try await narrowed(sql.select().columns("id", "slug", "name", "description").from("award_programmes")).orderBy("name")
            .all(as: ProgrammeRow.self)
        var programmes: [Programme] = []
        for row in rows {
            programmes.append(Programme(id: row.id, slug: row.slug, name: row.name, description: row.description, categories: try await categories(row.id)))
        }
        return programmes
    }

    private struct CategoryRow: Decodable, Sendable {
        let id: Int64
        let name: String
    }

    func categories(_ programmeID: Int64) async throws -> [(id: Int64, name: String)] {
        try await sql.select().columns("id", "name").from("award_categories").where("programme_id", .equal, programmeID)
            .orderBy("position").all(as: CategoryRow.self).map { ($0.id, $0.name) }
    }


    func create(name: String, description: String, categories: [String]) async throws -> Int64 {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Problem.emptyName }
        let categories = categories.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !categories.isEmpty else { throw Problem.noCategories }
        let slug = Slug.make(from: name)
        guard try await sql.select().column("id").from("award_programmes").where("slug", .equal, slug).first() == nil else { throw Problem.nameTaken }
        guard let row = try await sql.insert(into: "award_programmes").columns("slug", "name", "description", "created_at")
            .values(SQLBind(slug), SQLBind(name), SQLBind(description), SQLBind(now)).returning("id").first()
        else { throw Problem.emptyName }
        let id = try row.decode(column: "id", as: Int64.self)
        for (position, category) in categories.enumerated() {
            try await sql.insert(into: "award_categories").columns("programme_id", "name", "position")
                .values(SQLBind(id), SQLBind(category), SQLBind(position)).run()
        }
        return id
    }

    func entries(_ programmeID: Int64, year: Int? = nil) async throws -> [Entry] {
        let yearCondition: SQLQueryString = year.map { "AND e.year = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT e.id, e.year, e.category_id, c.name AS category, e.item_id, i.slug, i.title, e.result, i.status, i.published_at \
            FROM award_entries e JOIN award_categories c ON c.id = e.category_id JOIN items i ON i.id = e.item_id \
            WHERE e.programme_id = \(bind: programmeID) \(yearCondition) \
            ORDER BY e.year DESC, c.position, e.result DESC, i.title
            """).all(as: Entry.Row.self).map { Entry(row: $0, now: now) }
    }

    func years(_ programmeID: Int64) async throws -> [Int] {
        try await sql.raw("SELECT DISTINCT year FROM award_entries WHERE programme_id = \(bind: programmeID) ORDER BY year DESC").all()
            .map { try $0.decode(column: "year", as: Int.self) }
    }

    private struct BadgeRow: Decodable, Sendable {
        let name: String
        let year: Int
        let result: String
    }

    /// Every badge an item has from award entries, given the names of the results.
    func badges(itemID: Int64, resultNames: (AwardResult) -> String) async throws -> Set<String> {
        Set(try await sql.raw("""
            SELECT p.name, e.year, e.result FROM award_entries e JOIN award_programmes p ON p.id = e.programme_id WHERE e.item_id = \(bind: itemID)
            """).all(as: BadgeRow.self).map { row in
            let result = AwardResult(rawValue: row.result) ?? .shortlisted
            return AwardResult.badge(programme: row.name, year: row.year, result: result, resultName: resultNames(result))
        })
    }

    /// The id of the case study at `slug`.
    func caseID(slug: String) async throws -> Int64 {
        guard let item = try await sql.select().column("id").from("items").where("type", .equal, ContentType.caseStudy.rawValue)
            .where("slug", .equal, slug.trimmingCharacters(in: .whitespaces)).first()?.decode(column: "id", as: Int64.self)
        else { throw Problem.noSuchCase }
        return item
    }

    func addEntry(programmeID: Int64, categoryID: Int64, year: Int, itemID item: Int64, result: AwardResult) async throws {
        guard Self.years.contains(year) else { throw Problem.badYear }
        guard try await categories(programmeID).contains(where: { $0.id == categoryID }) else { throw Problem.noCategories }
        if try await sql.select().column("id").from("award_entries").where("programme_id", .equal, programmeID).where("category_id", .equal, categoryID)
            .where("year", .equal, year).where("item_id", .equal, item).first() != nil {
            throw Problem.duplicate
        }
        try await sql.insert(into: "award_entries").columns("programme_id", "category_id", "year", "item_id", "result", "created_at")
            .values(SQLBind(programmeID), SQLBind(categoryID), SQLBind(year), SQLBind(item), SQLBind(result.rawValue), SQLBind(now)).run()
    }

    /// The item an entry of the programme is about; nil when there is no such entry.
    func itemID(ofEntry id: Int64, programmeID: Int64) async throws -> Int64? {
        try await sql.select().column("item_id").from("award_entries").where("id", .equal, id)
            .where("programme_id", .equal, programmeID).first()?.decode(column: "item_id", as: Int64.self)
    }

    /// Removes an entry; the item it was about.
    func removeEntry(_ id: Int64, programmeID: Int64) async throws -> Int64? {
        try await sql.raw("DELETE FROM award_entries WHERE id = \(bind: id) AND programme_id = \(bind: programmeID) RETURNING item_id").first()?
            .decode(column: "item_id", as: Int64.self)
    }
}

extension AwardStore.Entry {
    /// An entry's columns, with its category's name and its case's status and publication.
    fileprivate struct Row: Decodable, Sendable {
        let id: Int64
        let year: Int
        let categoryID: Int64
        let category: String
        let itemID: Int64
        let slug: String
        let title: String
        let result: String
        let status: String
        let publishedAt: Int64?
    }

    fileprivate init(row: Row, now: Int64) {
        let status = WorkflowStatus(rawValue: row.status) ?? .draft
        self.init(id: row.id, year: row.year, categoryID: row.categoryID, categoryName: row.category, itemID: row.itemID, slug: row.slug,
                  title: row.title, result: AwardResult(rawValue: row.result) ?? .shortlisted,
                  isPublic: status.isPublicOnceDue && (row.publishedAt ?? .max) <= now)
    }
}
