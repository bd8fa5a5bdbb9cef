import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Every entry of a call for editors, as CSV (RFC 4180, one column per question, UTF-8, a
/// byte-order mark with `?bom=1` for spreadsheet programs) or as JSON.
enum SubmissionExport {
    /// Several values in one cell are joined with this; rows of a group with " | ".
    static let listSeparator = "; "

    static func load(_ request: Request) async throws -> (CallInfo, [SubmissionRecord], [Int64: String]) {
        guard let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let sql = try request.sql
        let now = request.application.clock.now()
        guard let call = try await CallStore(sql: sql, now: now).find(itemID: id) else { throw Abort(.notFound) }
        let store = SubmissionStore(sql: sql, now: now)
        let entries = try await store.entries(ofCall: id)
        return (call, entries, try await store.ownerEmails(of: entries))
    }

    static func cell(_ field: QuestionnaireField, _ answer: Answer?) -> String {
        guard let answer else { return "" }
        switch answer {
        case .text(let text): return text
        case .list(let values): return values.joined(separator: listSeparator)
        case .rows(let rows):
            let ids = (field.fields ?? []).map(\.id)
            return rows.map { row in ids.map { row[$0] ?? "" }.joined(separator: listSeparator) }.joined(separator: " | ")
        }
    }

    static func csv(_ request: Request) async throws -> Response {
        let (call, entries, owners) = try await load(request)
        var questionnaires: [String: Questionnaire] = [:]
        var columns: [(String, QuestionnaireField)] = []
        for entry in entries where questionnaires["\(entry.questionnaireKey)@\(entry.questionnaireVersion)"] == nil {
            let questionnaire = try await request.application.questionnaires.questionnaire(
                key: entry.questionnaireKey, version: entry.questionnaireVersion, on: try request.sql)
            questionnaires["\(entry.questionnaireKey)@\(entry.questionnaireVersion)"] = questionnaire
            for field in questionnaire.fields where field.kind != .guidance && field.kind != .file && !columns.contains(where: { $0.0 == field.id }) {
                columns.append((field.id, field))
            }
        }
        if entries.isEmpty {
            let questionnaire = try await request.application.questionnaires.questionnaire(
                key: call.questionnaireKey, version: call.questionnaireVersion, on: try request.sql)
            columns = questionnaire.fields.filter { $0.kind != .guidance && $0.kind != .file }.map { ($0.id, $0) }
        }
        var bytes: [UInt8] = (try? request.query.get(String.self, at: "bom")) == "1" ? Array("\u{FEFF}".utf8) : []
        CSV.appendRecord(["id", "status", "owner", "created_at", "submitted_at", "questionnaire"] + columns.map(\.0), to: &bytes)
        for entry in entries {
            let fixed = [String(entry.id), entry.status.rawValue, owners[entry.ownerID] ?? "", MomentFormatter.rfc3339(entry.createdAt, in: MomentFormatter.utc),
                         entry.submittedAt.map { MomentFormatter.rfc3339($0, in: MomentFormatter.utc) } ?? "",
                         "\(entry.questionnaireKey)@\(entry.questionnaireVersion)"]
            CSV.appendRecord(fixed + columns.map { cell($0.1, entry.answers[$0.0]) }, to: &bytes)
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8", "header": "present"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(call.slug)-submissions.csv\"")
        return Response(status: .ok, headers: headers, body: .init(data: Data(bytes)))
    }

    struct Entry: Encodable {
        let id: Int64
        let status: String
        let owner: String
        let createdAt: String
        let submittedAt: String?
        let questionnaire: String
        let answers: Answers

        enum CodingKeys: String, CodingKey {
            case id, status, owner, questionnaire, answers
            case createdAt = "created_at"
            case submittedAt = "submitted_at"
        }
    }

    static func json(_ request: Request) async throws -> Response {
        let (_, entries, owners) = try await load(request)
        let utc = TimeZone(identifier: "UTC")!
        let payload = entries.map { entry in
            Entry(id: entry.id, status: entry.status.rawValue, owner: owners[entry.ownerID] ?? "",
                  createdAt: MomentFormatter.rfc3339(entry.createdAt, in: utc), submittedAt: entry.submittedAt.map { MomentFormatter.rfc3339($0, in: utc) },
                  questionnaire: "\(entry.questionnaireKey)@\(entry.questionnaireVersion)", answers: entry.answers)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(payload)))
    }
}
