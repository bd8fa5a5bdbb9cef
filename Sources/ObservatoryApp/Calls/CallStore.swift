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

/// Calls with their settings and deadline extensions, the stored questionnaire versions, and
/// the vocabulary terms questionnaires offer.
struct CallStore {
    /// Calls without settings of their own take the case-study questionnaire's first version.
    static let defaultQuestionnaire = ("case-study", 1)

    let sql: any SQLDatabase
    let now: Int64

    private struct ItemRow: Decodable, Sendable {
        let id: Int64
        let slug: String
        let title: String
    }

    /// A published call by slug.
    func find(slug: String) async throws -> CallInfo? {
        guard let item = try await sql.select().columns("id", "slug", "title").from("items")
            .where("type", .equal, ContentType.call.rawValue).where("slug", .equal, slug)
            .where("status", .in, WorkflowStatus.publicStatuses.map(\.rawValue)).where("published_at", .lessThanOrEqual, now)
            .first(as: ItemRow.self)
        else { return nil }
        return try await info(itemID: item.id, slug: item.slug, title: item.title)
    }

    /// The slugs of the calls that take entries now, of the newest hundred calls.
    func openSlugs() async throws -> [String] {
        var slugs: [String] = []
        for slug in try await sql.select().column("slug").from("items").where("type", .equal, ContentType.call.rawValue)
            .where("status", .in, WorkflowStatus.publicStatuses.map(\.rawValue)).where("published_at", .lessThanOrEqual, now)
            .orderBy("published_at", .descending).limit(100).all(decodingColumn: "slug", as: String.self) {
            if let call = try await find(slug: slug), call.schedule.phase(at: now) == .open { slugs.append(slug) }
        }
        return slugs
    }

    func find(itemID: Int64) async throws -> CallInfo? {
        guard let item = try await sql.select().columns("id", "slug", "title").from("items")
            .where("type", .equal, ContentType.call.rawValue).where("id", .equal, itemID).first(as: ItemRow.self)
        else { return nil }
        return try await info(itemID: itemID, slug: item.slug, title: item.title)
    }

    /// The newest two hundred calls, whatever their status, for editors.
    func newestItemIDs() async throws -> [Int64] {
        try await sql.select().column("id").from("items").where("type", .equal, ContentType.call.rawValue)
            .orderBy(SQLColumn("published_at"), SQLDirection.descending).limit(200).all(decodingColumn: "id", as: Int64.self)
    }

    private struct FieldRow: Decodable, Sendable {
        let name: String
        let textValue: String?
        let numberValue: Int64?
    }

    private struct SettingsRow: Decodable, Sendable {
        let questionnaireKey: String
        let questionnaireVersion: Int
    }

    private func info(itemID: Int64, slug: String, title: String) async throws -> CallInfo? {
        var numbers: [String: Int64] = [:]
        var texts: [String: String] = [:]
        for field in try await sql.select().columns("name", "text_value", "number_value").from("item_fields")
            .where("item_id", .equal, itemID).where("name", .in, ["opens_at", "closes_at", "timezone"]).all(as: FieldRow.self) {
            if let number = field.numberValue { numbers[field.name] = number }
            if let text = field.textValue { texts[field.name] = text }
        }
        guard let closes = numbers["closes_at"] else { return nil }
        let settings = try await sql.select().columns("questionnaire_key", "questionnaire_version").from("call_settings")
            .where("item_id", .equal, itemID).first(as: SettingsRow.self)
        let extended = try await sql.select().column("id").from("call_extensions").where("item_id", .equal, itemID).first() != nil
        return CallInfo(
            itemID: itemID, slug: slug, title: title, schedule: CallSchedule(opensAt: numbers["opens_at"], closesAt: closes),
            timeZone: texts["timezone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!,
            questionnaireKey: settings?.questionnaireKey ?? Self.defaultQuestionnaire.0,
            questionnaireVersion: settings?.questionnaireVersion ?? Self.defaultQuestionnaire.1,
            extended: extended)
    }

    /// Sets the questionnaire version a new call takes entries with.
    func setQuestionnaire(of itemID: Int64, key: String, version: Int) async throws {
        try await sql.insert(into: "call_settings").columns("item_id", "questionnaire_key", "questionnaire_version")
            .values(SQLBind(itemID), SQLBind(key), SQLBind(version)).run()
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
        try await ContentState.raiseVersion(on: sql)
    }

    struct Extension: Sendable {
        let at: Int64
        let actor: String
        let from: Int64
        let to: Int64
    }

    private struct ExtensionRow: Decodable, Sendable {
        let at: Int64
        let actorLabel: String
        let fromClosesAt: Int64
        let toClosesAt: Int64
    }

    func extensions(of itemID: Int64) async throws -> [Extension] {
        try await sql.select().columns("at", "actor_label", "from_closes_at", "to_closes_at").from("call_extensions")
            .where("item_id", .equal, itemID).orderBy(SQLColumn("id"), SQLDirection.ascending).all(as: ExtensionRow.self).map {
                Extension(at: $0.at, actor: $0.actorLabel, from: $0.fromClosesAt, to: $0.toClosesAt)
            }
    }

    private struct VersionRow: Decodable, Sendable {
        let key: String
        let version: Int
    }

    /// Every stored questionnaire version, newest first within a key.
    func questionnaireVersions() async throws -> [(key: String, version: Int)] {
        try await sql.select().columns("key", "version").from("questionnaires")
            .orderBy(SQLColumn("key"), SQLDirection.ascending).orderBy(SQLColumn("version"), SQLDirection.descending).all(as: VersionRow.self)
            .map { ($0.key, $0.version) }
    }

    /// The highest version stored under `key`, if any.
    func newestVersion(of key: String) async throws -> Int? {
        try await sql.select().column(SQLFunction("MAX", args: SQLColumn("version")), as: "v").from("questionnaires")
            .where("key", .equal, key).first(decodingColumn: "v", as: Int?.self) ?? nil
    }

    /// Stores a questionnaire version as it is; a stored version is never changed.
    func add(_ questionnaire: Questionnaire) async throws {
        try await sql.insert(into: "questionnaires").columns("key", "version", "definition", "created_at")
            .values(SQLBind(questionnaire.key), SQLBind(questionnaire.version), SQLBind(try questionnaire.encoded()), SQLBind(now)).run()
    }

    private struct TermRow: Decodable, Sendable {
        let vocabulary: String
        let name: String
    }

    /// The term names of each of `vocabularies`, to check answers against.
    func termNames(in vocabularies: Set<String>) async throws -> [String: Set<String>] {
        var terms: [String: Set<String>] = [:]
        guard !vocabularies.isEmpty else { return terms }
        for term in try await sql.select().columns("vocabulary", "name").from("terms").where("vocabulary", .in, Array(vocabularies))
            .all(as: TermRow.self) {
            terms[term.vocabulary, default: []].insert(term.name)
        }
        return terms
    }

    /// The term names of a vocabulary in their order, for choices.
    func termNames(of vocabulary: String) async throws -> [String] {
        try await sql.select().column("name").from("terms").where("vocabulary", .equal, vocabulary)
            .orderBy(SQLColumn("position"), SQLDirection.ascending).orderBy(SQLColumn("name"), SQLDirection.ascending)
            .all(decodingColumn: "name", as: String.self)
    }
}

/// Published questionnaire versions never change, so every instance may keep them once read.
final class QuestionnaireCache: Sendable {
    private let loaded = NIOLockedValueBox<[String: Questionnaire]>([:])

    func questionnaire(key: String, version: Int, on sql: any SQLDatabase) async throws -> Questionnaire {
        let id = "\(key)@\(version)"
        if let known = loaded.withLockedValue({ $0[id] }) { return known }
        guard let definition = try await sql.select().column("definition").from("questionnaires")
            .where("key", .equal, key).where("version", .equal, version).first(decodingColumn: "definition", as: String.self)
        else { throw Abort(.internalServerError, reason: "Questionnaire \(id) is missing.") }
        let questionnaire = try Questionnaire.decode(json: definition)
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
        let known = try await callStore.termNames(in: Set(questionnaire.fields.compactMap(\.vocabulary)))
        return QuestionnaireRules(questionnaire, knownCountry: { Countries.code($0) != nil },
                                  knownTerm: { known[$0]?.contains($1) ?? false })
    }

    /// Terms of a vocabulary in their order, for choices.
    func terms(of vocabulary: String) async throws -> [String] {
        try await callStore.termNames(of: vocabulary)
    }

    private var callStore: CallStore {
        get throws { CallStore(sql: try sql, now: application.clock.now()) }
    }
}
