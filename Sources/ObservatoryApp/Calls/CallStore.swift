import Foundation
import NIOConcurrencyHelpers
import ObservatoryCore
import SQLKit
import Vapor

/// A call for innovations as submissions see it.
struct CallInfo: Sendable {
    let itemID: Int64
    let slug: String
    let title: String
    let schedule: CallSchedule
    let timeZone: TimeZone
    let questionnaireKey: String
    let questionnaireVersion: Int
    /// Whether the deadline was moved since the call opened.
    let extended: Bool
}

/// Reads calls, their questionnaires and deadline extensions.
struct CallStore {
    /// Calls without settings of their own take the case-study questionnaire's first version.
    static let defaultQuestionnaire = ("case-study", 1)

    let sql: any SQLDatabase
    let now: Int64

    /// A published call by slug.
    func find(slug: String) async throws -> CallInfo? {
        guard let row = try await sql.select().columns("id", "slug", "title").from("items")
            .where("type", .equal, ContentType.call.rawValue).where("slug", .equal, slug)
            .where("status", .in, WorkflowStatus.publicStatuses.map(\.rawValue)).where("published_at", .lessThanOrEqual, now)
            .first()
        else { return nil }
        return try await info(itemID: try row.decode(column: "id", as: Int64.self),
                              slug: try row.decode(column: "slug", as: String.self), title: try row.decode(column: "title", as: String.self))
    }

    /// The slugs of the calls that take entries now, of the newest hundred calls.
    func openSlugs() async throws -> [String] {
        var slugs: [String] = []
        for row in try await sql.select().column("slug").from("items").where("type", .equal, ContentType.call.rawValue)
            .where("status", .in, WorkflowStatus.publicStatuses.map(\.rawValue)).where("published_at", .lessThanOrEqual, now)
            .orderBy("published_at", .descending).limit(100).all() {
            let slug = try row.decode(column: "slug", as: String.self)
            if let call = try await find(slug: slug), call.schedule.phase(at: now) == .open { slugs.append(slug) }
        }
        return slugs
    }

    func find(itemID: Int64) async throws -> CallInfo? {
        guard let row = try await sql.select().columns("id", "slug", "title").from("items")
            .where("type", .equal, ContentType.call.rawValue).where("id", .equal, itemID).first()
        else { return nil }
        return try await info(itemID: itemID, slug: try row.decode(column: "slug", as: String.self),
                              title: try row.decode(column: "title", as: String.self))
    }

    private func info(itemID: Int64, slug: String, title: String) async throws -> CallInfo? {
        var numbers: [String: Int64] = [:]
        var texts: [String: String] = [:]
        for row in try await sql.select().columns("name", "text_value", "number_value").from("item_fields")
            .where("item_id", .equal, itemID).where("name", .in, ["opens_at", "closes_at", "timezone"]).all() {
            let name = try row.decode(column: "name", as: String.self)
            if let number = try row.decode(column: "number_value", as: Int64?.self) { numbers[name] = number }
            if let text = try row.decode(column: "text_value", as: String?.self) { texts[name] = text }
        }
        guard let closes = numbers["closes_at"] else { return nil }
        let settings = try await sql.select().columns("questionnaire_key", "questionnaire_version").from("call_settings")
            .where("item_id", .equal, itemID).first()
        let extended = try await sql.select().column("id").from("call_extensions").where("item_id", .equal, itemID).first() != nil
        return CallInfo(
            itemID: itemID, slug: slug, title: title, schedule: CallSchedule(opensAt: numbers["opens_at"], closesAt: closes),
            timeZone: texts["timezone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!,
            questionnaireKey: try settings?.decode(column: "questionnaire_key", as: String.self) ?? Self.defaultQuestionnaire.0,
            questionnaireVersion: try settings?.decode(column: "questionnaire_version", as: Int.self) ?? Self.defaultQuestionnaire.1,
            extended: extended)
    }

    /// Moves a call's deadline and records who moved it, from when to when.
    func extend(_ call: CallInfo, to closesAt: Int64, actorID: Int64?, actorLabel: String) async throws {
        let offset = call.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(closesAt)))
        let moment = ZonedTimestamp(secondsSince1970: closesAt, utcOffsetSeconds: offset)
        try await sql.update("item_fields").set("number_value", to: closesAt).set("text_value", to: moment.rfc3339)
            .where("item_id", .equal, call.itemID).where("name", .equal, "closes_at").run()
        try await sql.insert(into: "call_extensions").columns("item_id", "at", "actor_id", "actor_label", "from_closes_at", "to_closes_at")
            .values(SQLBind(call.itemID), SQLBind(now), SQLBind(actorID), SQLBind(actorLabel), SQLBind(call.schedule.closesAt), SQLBind(closesAt))
            .run()
        try await sql.raw("UPDATE site_state SET content_version = content_version + 1 WHERE id = 1").run()
    }

    struct Extension: Sendable {
        let at: Int64
        let actor: String
        let from: Int64
        let to: Int64
    }

    func extensions(of itemID: Int64) async throws -> [Extension] {
        try await sql.select().columns("at", "actor_label", "from_closes_at", "to_closes_at").from("call_extensions")
            .where("item_id", .equal, itemID).orderBy(SQLColumn("id"), SQLDirection.ascending).all().map {
                Extension(at: try $0.decode(column: "at", as: Int64.self), actor: try $0.decode(column: "actor_label", as: String.self),
                          from: try $0.decode(column: "from_closes_at", as: Int64.self), to: try $0.decode(column: "to_closes_at", as: Int64.self))
            }
    }

    /// Every stored questionnaire version, newest first within a key.
    func questionnaireVersions() async throws -> [(key: String, version: Int)] {
        try await sql.select().columns("key", "version").from("questionnaires")
            .orderBy(SQLColumn("key"), SQLDirection.ascending).orderBy(SQLColumn("version"), SQLDirection.descending).all()
            .map { (try $0.decode(column: "key", as: String.self), try $0.decode(column: "version", as: Int.self)) }
    }
}

/// Published questionnaire versions never change, so every instance may keep them once read.
final class QuestionnaireCache: Sendable {
    private let loaded = NIOLockedValueBox<[String: Questionnaire]>([:])

    func questionnaire(key: String, version: Int, on sql: any SQLDatabase) async throws -> Questionnaire {
        let id = "\(key)@\(version)"
        if let known = loaded.withLockedValue({ $0[id] }) { return known }
        guard let row = try await sql.select().column("definition").from("questionnaires")
            .where("key", .equal, key).where("version", .equal, version).first()
        else { throw Abort(.internalServerError, reason: "Questionnaire \(id) is missing.") }
        let questionnaire = try Questionnaire.decode(json: try row.decode(column: "definition", as: String.self))
        loaded.withLockedValue { $0[id] = questionnaire }
        return questionnaire
    }
}

extension Application {
    private struct QuestionnaireCacheKey: StorageKey {
        typealias Value = QuestionnaireCache
    }

    /// Set once by `configure`.
    var questionnaires: QuestionnaireCache {
        get { storage[QuestionnaireCacheKey.self] ?? QuestionnaireCache() }
        set { storage[QuestionnaireCacheKey.self] = newValue }
    }
}

extension Request {
    /// The rules of a questionnaire with the site's vocabularies and countries.
    func rules(for questionnaire: Questionnaire) async throws -> QuestionnaireRules {
        let vocabularies = Set(questionnaire.fields.compactMap(\.vocabulary))
        var terms: [String: Set<String>] = [:]
        if !vocabularies.isEmpty {
            for row in try await sql.select().columns("vocabulary", "name").from("terms").where("vocabulary", .in, Array(vocabularies)).all() {
                terms[try row.decode(column: "vocabulary", as: String.self), default: []].insert(try row.decode(column: "name", as: String.self))
            }
        }
        let known = terms
        return QuestionnaireRules(questionnaire, knownCountry: { Countries.code($0) != nil },
                                  knownTerm: { known[$0]?.contains($1) ?? false })
    }

    /// Terms of a vocabulary in their order, for choices.
    func terms(of vocabulary: String) async throws -> [String] {
        try await sql.select().column("name").from("terms").where("vocabulary", .equal, vocabulary)
            .orderBy(SQLColumn("position"), SQLDirection.ascending).orderBy(SQLColumn("name"), SQLDirection.ascending).all()
            .map { try $0.decode(column: "name", as: String.self) }
    }
}
