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

    private func programmes(_ narrowed: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Programme] {
        var programmes: [Programme] = []
        for row in try await narrowed(sql.select().columns("id", "slug", "name", "description").from("award_programmes")).orderBy("name").all() {
            let id = try row.decode(column: "id", as: Int64.self)
            programmes.append(Programme(id: id, slug: try row.decode(column: "slug", as: String.self), name: try row.decode(column: "name", as: String.self),
                                        description: try row.decode(column: "description", as: String.self), categories: try await categories(id)))
        }
        return programmes
    }

    func categories(_ programmeID: Int64) async throws -> [(id: Int64, name: String)] {
        try await sql.select().columns("id", "name").from("award_categories").where("programme_id", .equal, programmeID)
            .orderBy("position").all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self)) }
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
            """).all().map { row in
            let status = WorkflowStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
            let published = try row.decode(column: "published_at", as: Int64?.self)
            return Entry(id: try row.decode(column: "id", as: Int64.self), year: try row.decode(column: "year", as: Int.self),
                         categoryID: try row.decode(column: "category_id", as: Int64.self), categoryName: try row.decode(column: "category", as: String.self),
                         itemID: try row.decode(column: "item_id", as: Int64.self), slug: try row.decode(column: "slug", as: String.self),
                         title: try row.decode(column: "title", as: String.self),
                         result: AwardResult(rawValue: try row.decode(column: "result", as: String.self)) ?? .shortlisted,
                         isPublic: status.isPublicOnceDue && (published ?? .max) <= now)
        }
    }

    func years(_ programmeID: Int64) async throws -> [Int] {
        try await sql.raw("SELECT DISTINCT year FROM award_entries WHERE programme_id = \(bind: programmeID) ORDER BY year DESC").all()
            .map { try $0.decode(column: "year", as: Int.self) }
    }

    /// Every badge an item has from award entries, given the names of the results.
    func badges(itemID: Int64, resultNames: (AwardResult) -> String) async throws -> Set<String> {
        Set(try await sql.raw("""
            SELECT p.name, e.year, e.result FROM award_entries e JOIN award_programmes p ON p.id = e.programme_id WHERE e.item_id = \(bind: itemID)
            """).all().map { row in
            let result = AwardResult(rawValue: try row.decode(column: "result", as: String.self)) ?? .shortlisted
            return AwardResult.badge(programme: try row.decode(column: "name", as: String.self), year: try row.decode(column: "year", as: Int.self),
                                     result: result, resultName: resultNames(result))
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

    /// Removes an entry; the item it was about.
    func removeEntry(_ id: Int64, programmeID: Int64) async throws -> Int64? {
        try await sql.raw("DELETE FROM award_entries WHERE id = \(bind: id) AND programme_id = \(bind: programmeID) RETURNING item_id").first()?
            .decode(column: "item_id", as: Int64.self)
    }
}
