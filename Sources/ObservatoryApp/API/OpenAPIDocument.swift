import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `/api/openapi.json`: the API described in OpenAPI 3.1. Filters that take terms list the
/// terms that exist now, so a client (or a test generator) knows every accepted value.
struct OpenAPIDocument: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get(SiteURL.Routes.openAPIDocument, use: document)
    }

    /// An address as an OpenAPI path: `/api/v1/items/:type/:slug` becomes `/api/v1/items/{type}/{slug}`.
    private static func openAPIPath(_ address: some SiteAddress) -> String {
        address.address.description.split(separator: "/", omittingEmptySubsequences: false).map { part -> String in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }

    static func string(_ extra: [String: Any] = [:]) -> [String: Any] { ["type": "string"].merging(extra) { $1 } }
    static func integer(_ extra: [String: Any] = [:]) -> [String: Any] { ["type": "integer"].merging(extra) { $1 } }
    static func array(_ items: [String: Any], _ extra: [String: Any] = [:]) -> [String: Any] {
        ["type": "array", "items": items].merging(extra) { $1 }
    }
    static func object(_ properties: [String: Any], required: [String]? = nil) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required ?? Array(properties.keys).sorted(), "additionalProperties": false]
    }
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    static func parameter(_ name: String, _ schema: [String: Any], _ description: String, explode: Bool = true) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "description": description, "schema": schema, "style": "form", "explode": explode]
    }

    static func json(_ schema: [String: Any], _ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]],
         "headers": ["ETag": ["schema": string(), "description": "Validator for conditional requests."]]]
    }

    static var problem: [String: Any] { ["description": "The request cannot be answered; `detail` says why.",
                                         "content": ["application/problem+json": ["schema": ref("Problem")]]] }
    static var notModified: [String: Any] { ["description": "Unchanged since the ETag given in If-None-Match."] }

    func document(_ request: Request) async throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: try await Self.build(request), options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func problems(_ codes: [Int], _ descriptions: [Int: String] = [:]) -> [String: Any] {
        var responses: [String: Any] = [:]
        for code in codes {
            var problem = Self.problem
            if let description = descriptions[code] { problem["description"] = description }
            responses[String(code)] = problem
        }
        return responses
    }

    /// The document, built from what exists now (terms, content types).
    static func build(_ request: Request) async throws -> [String: Any] {
        let settings = request.application.siteSettings
        let sql = try request.sql
        let terms = try await ContentQueries(sql: sql, now: request.application.clock.now()).termSlugs()
        func termList(_ vocabulary: Vocabulary) -> [String: Any] {
            Self.array(Self.string(["enum": terms[vocabulary.rawValue] ?? []]), ["maxItems": CaseQuery.maxValuesPerFacet])
        }
        func term(_ vocabulary: Vocabulary) -> [String: Any] { Self.string(["enum": terms[vocabulary.rawValue] ?? []]) }
        let types = ContentType.allCases.map(\.rawValue)
        let keywords = Self.string(["maxLength": SearchQuery.maximumKeywordLength])
        let dateTime = Self.string(["format": "date-time"])

        let itemSummary = Self.object([
            "id": Self.integer(), "type": Self.string(["enum": types]), "slug": Self.string(), "title": Self.string(),
            "summary": Self.string(), "url": Self.string(["format": "uri"]), "published_at": dateTime,
            "authors": Self.array(Self.string()),
        ])
        let itemPage = Self.object([
            "items": Self.array(Self.ref("ItemSummary")), "total": Self.integer(["minimum": 0]),
            "limit": Self.integer(["minimum": 1, "maximum": ItemsAPI.maximumLimit]),
            "next_cursor": Self.string(["description": "Pass as cursor for the next items; absent on the last page."]),
            "links": ["type": "object", "additionalProperties": Self.string(["format": "uri"]), "required": ["self"]],
        ], required: ["items", "total", "limit", "links"])
        let itemDetail = Self.object([
            "id": Self.integer(), "type": Self.string(["enum": types]), "slug": Self.string(), "title": Self.string(),
            "summary": Self.string(), "url": Self.string(["format": "uri"]), "published_at": dateTime, "updated_at": dateTime,
            "language": Self.string(), "authors": Self.array(Self.string()), "body_html": Self.string(),
            "terms": ["type": "object", "additionalProperties": Self.array(Self.string())],
            "fields": ["type": "object", "additionalProperties": Self.array(Self.string())],
        ])
        let vocabulary = Self.object([
            "name": Self.string(),
            "terms": Self.array(Self.object(["slug": Self.string(), "name": Self.string(), "count": Self.integer(["minimum": 0])])),
        ])
        let call = Self.object([
            "slug": Self.string(), "title": Self.string(), "url": Self.string(["format": "uri"]),
            "status": Self.string(["enum": ["upcoming", "open", "closed"]]), "opens_at": dateTime, "closes_at": dateTime,
            "timezone": Self.string(), "extended": ["type": "boolean"], "questionnaire": Self.string(),
        ], required: ["slug", "title", "url", "status", "closes_at", "timezone", "extended", "questionnaire"])
        let fieldError = Self.object(["field": Self.string(), "section": Self.string(), "detail": Self.string()], required: ["field", "detail"])
        let problem = Self.object(["type": Self.string(), "title": Self.string(), "status": Self.integer(), "detail": Self.string(),
                                   "errors": Self.array(fieldError, ["description": "The problem of each answer, when answers were refused."]),
                                   "deadline": Self.string(["format": "date-time", "description": "The call's deadline, when it passed."])],
                                  required: ["type", "title", "status"])
        let textValue: [String: Any] = ["type": ["string", "number", "boolean"]]
        let answerInput: [String: Any] = ["oneOf": [
            textValue, Self.array(textValue),
            Self.array(["type": "object", "additionalProperties": textValue], ["minItems": 1]),
        ], "description": "A text (numbers and booleans are read as text, true as \"yes\"), a list of texts for multiple choices, or rows for a group."]
        let answersInput: [String: Any] = [
            "type": "object", "additionalProperties": false,
            "properties": ["answers": ["type": "object", "additionalProperties": answerInput, "maxProperties": 500,
                                       "description": "Answers by question id; questions left out keep their answers."]],
        ]
        let savedAnswer: [String: Any] = ["oneOf": [
            Self.string(), Self.array(Self.string()), Self.array(["type": "object", "additionalProperties": Self.string()], ["minItems": 1]),
        ]]
        let entry = Self.object([
            "id": Self.integer(), "call": Self.string(), "questionnaire": Self.string(),
            "status": Self.string(["enum": SubmissionStatus.allCases.map(\.rawValue)]), "title": Self.string(),
            "answers": ["type": "object", "additionalProperties": savedAnswer],
            "missing": Self.array(Self.object(["field": Self.string(), "section": Self.string(), "detail": Self.string()]),
                                  ["description": "What must be answered or corrected before the entry can be submitted."]),
            "created_at": dateTime, "updated_at": dateTime, "submitted_at": dateTime,
            "links": Self.object(["self": Self.string(["format": "uri"]), "html": Self.string(["format": "uri"]), "submit": Self.string(["format": "uri"])]),
        ], required: ["id", "call", "questionnaire", "status", "title", "answers", "missing", "created_at", "updated_at", "links"])
        let entryID: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": Self.integer(["minimum": 1])]
        let bearer: [[String: Any]] = [["bearer": [String]()]]
        let private200: (String) -> [String: Any] = { description in
            ["description": description, "content": ["application/json": ["schema": Self.ref("Submission")]]]
        }
        let answersBody: [String: Any] = ["required": true, "content": ["application/json": ["schema": Self.ref("AnswersInput")]]]
        let denied: [Int: String] = [401: "No token, or a token that is not valid (revoked, unknown, account suspended).",
                                     403: "The token lacks the scope, or the account may not contribute (not approved, address not confirmed)."]
        let caseTerm = Self.object(["value": Self.string(), "name": Self.string()])
        let caseResults = Self.object([
            "total": Self.integer(["minimum": 0]), "page": Self.integer(["minimum": 1]),
            "per_page": Self.integer(["enum": CaseQuery.perPageChoices]), "pages": Self.integer(["minimum": 0]),
            "sort": Self.string(["enum": CaseFacet.Sort.allCases.map(\.rawValue)]),
            "links": Self.object(["self": Self.string(), "html": Self.string(), "next": Self.string(), "prev": Self.string()],
                                 required: ["self", "html"]),
            "results": Self.array(Self.object([
                "id": Self.integer(), "slug": Self.string(), "title": Self.string(), "url": Self.string(), "summary": Self.string(),
                "snippet_html": Self.string(), "published_at": dateTime, "year_launched": Self.integer(),
                "terms": ["type": "object", "additionalProperties": Self.array(caseTerm)],
            ], required: ["id", "slug", "title", "url", "summary", "published_at", "terms"])),
            "facets": ["type": "object", "additionalProperties": Self.array(Self.object([
                "value": Self.string(), "name": Self.string(), "count": Self.integer(["minimum": 0]), "selected": ["type": "boolean"],
            ]))],
            "years": Self.array(Self.object(["year": Self.integer(), "count": Self.integer(["minimum": 0])])),
        ])
        let facetParameters: [[String: Any]] = CaseFacet.allCases.map { facet in
            Self.parameter(facet.rawValue, termList(facet.vocabulary), "Only cases with one of these values (several values widen, several filters narrow).")
        }
        let openCalls = try await CallStore(sql: sql, now: request.application.clock.now()).openSlugs()
        var paths: [String: Any] = [
            Self.openAPIPath(SiteURL.Routes.apiItems): ["get": [
                "summary": "Items of every type, newest or oldest first, with keyset paging",
                "operationId": "listItems",
                "parameters": [
                    Self.parameter("type", Self.array(Self.string(["enum": types]), ["uniqueItems": true]), "Only these types."),
                    Self.parameter("q", keywords, "Keywords (full-text, stemmed; \"quoted phrases\")."),
                    Self.parameter("sort", Self.string(["enum": ["newest", "oldest"]]), "Order by publication time."),
                    Self.parameter("limit", Self.integer(["minimum": 1, "maximum": ItemsAPI.maximumLimit]), "Items per answer (default 20)."),
                    Self.parameter("cursor", Self.string(["pattern": ListingCursor.pattern]), "The next_cursor of the previous answer."),
                    Self.parameter("tag", term(.tag), "Only items with this tag."),
                    Self.parameter("country", term(.country), "Only items about this country."),
                    Self.parameter("sector", term(.sector), "Only items of this sector."),
                ],
                "responses": ["200": Self.json(Self.ref("ItemPage"), "A page of items."), "304": Self.notModified, "400": Self.problem],
            ]],
            Self.openAPIPath(SiteURL.Routes.apiItem): ["get": [
                "summary": "One published item with its body, terms and structured fields",
                "operationId": "getItem",
                "parameters": [
                    ["name": "type", "in": "path", "required": true, "schema": Self.string(["enum": types])],
                    ["name": "slug", "in": "path", "required": true, "schema": Self.string(["pattern": "^[a-z0-9-]{1,200}$"])],
                ],
                "responses": ["200": Self.json(Self.ref("ItemDetail"), "The item."), "304": Self.notModified, "404": Self.problem],
            ]],
            Self.openAPIPath(SiteURL.Routes.apiVocabularies): ["get": [
                "summary": "Every vocabulary with its terms and the number of published items per term",
                "operationId": "listVocabularies",
                "responses": ["200": Self.json(Self.array(Self.ref("Vocabulary")), "The vocabularies."), "304": Self.notModified],
            ]],
            Self.openAPIPath(SiteURL.Routes.apiCalls): ["get": [
                "summary": "Calls for innovations with their status and deadline",
                "operationId": "listCalls",
                "responses": ["200": Self.json(Self.array(Self.ref("Call")), "The calls, newest first."), "304": Self.notModified],
            ]],
            Self.openAPIPath(SiteURL.Routes.caseLibraryAPI): ["get": [
                "summary": "The case study library: faceted search with counts, as on \(SiteURL.Routes.caseLibrary.path)",
                "operationId": "searchCases",
                "parameters": [
                    Self.parameter("q", keywords, "Keywords."),
                    Self.parameter("from", Self.integer(["minimum": CaseQuery.years.lowerBound, "maximum": CaseQuery.years.upperBound]), "Launched in this year or later."),
                    Self.parameter("to", Self.integer(["minimum": CaseQuery.years.lowerBound, "maximum": CaseQuery.years.upperBound]), "Launched in this year or earlier."),
                    Self.parameter("sort", Self.string(["enum": CaseFacet.Sort.allCases.map(\.rawValue)]), "Order of the results."),
                    Self.parameter("per_page", Self.integer(["enum": CaseQuery.perPageChoices]), "Results per page."),
                    Self.parameter("page", Self.integer(["minimum": 1, "maximum": 10_000]), "Page number."),
                ] + facetParameters,
                "responses": ["200": ["description": "A page of cases with the counts of every facet.",
                                      "content": ["application/json": ["schema": Self.ref("CaseResults")]]],
                              "400": Self.problem, "404": ["description": "A page past the last one (the body still has the counts).",
                                                          "content": ["application/json": ["schema": Self.ref("CaseResults")]]]],
            ]],
        ]
        paths[Self.openAPIPath(SiteURL.Routes.apiSubmissions)] = ["get": [
            "summary": "Your entries to calls (owned or shared with you), most recently changed first",
            "operationId": "listSubmissions", "security": bearer,
            "responses": ["200": ["description": "Your entries.", "content": ["application/json": ["schema": Self.array(Self.ref("Submission"))]]]]
                .merging(Self.problems([401, 403], denied)) { $1 },
        ]]
        paths[Self.openAPIPath(SiteURL.Routes.apiCallSubmissions)] = ["post": [
            "summary": "Start an entry to an open call, optionally with answers",
            "description": "Answers are checked as the form checks them: an answer that cannot be kept (too long, not a number, not an option) refuses the request and nothing is created; missing answers are listed in `missing`. Needs a token that allows writing.",
            "operationId": "createSubmission", "security": bearer,
            "parameters": [["name": "slug", "in": "path", "required": true, "schema": Self.string(["pattern": "^[a-z0-9-]{1,200}$"]),
                            "examples": Dictionary(uniqueKeysWithValues: openCalls.map { ($0, ["value": $0]) })]],
            "requestBody": ["required": false, "content": ["application/json": ["schema": Self.ref("AnswersInput")]]],
            "responses": ["201": ["description": "The new draft.", "content": ["application/json": ["schema": Self.ref("Submission")]],
                                  "headers": ["Location": ["schema": Self.string(["format": "uri"]), "description": "The entry's address in the API."]],
                                  "links": Dictionary(uniqueKeysWithValues: ["getSubmission", "updateSubmission", "submitSubmission"].map { operation in
                                      (operation, ["operationId": operation, "parameters": ["id": "$response.body#/id"]] as [String: Any])
                                  })]]
                .merging(Self.problems([400, 401, 403, 404, 415, 422], denied.merging([403: "The call is not open (see deadline), or the token or account may not write.", 404: "No such call."]) { $1 })) { $1 },
        ]]
        paths[Self.openAPIPath(SiteURL.Routes.apiSubmission)] = [
            "get": [
                "summary": "One of your entries with its answers and what is still missing",
                "operationId": "getSubmission", "security": bearer, "parameters": [entryID],
                "responses": ["200": private200("The entry; its ETag goes in If-Match to change it safely.")]
                    .merging(Self.problems([401, 403, 404], denied.merging([404: "No such entry among yours."]) { $1 })) { $1 },
            ],
            "patch": [
                "summary": "Change answers of a draft (or of an entry sent back for changes)",
                "description": "Only the questions sent change. Send the ETag of the entry you read in If-Match to be told (412) when someone changed it meanwhile.",
                "operationId": "updateSubmission", "security": bearer,
                "parameters": [entryID, ["name": "If-Match", "in": "header", "required": false, "schema": Self.string(),
                                         "description": "The ETag of the entry as read."]],
                "requestBody": answersBody,
                "responses": ["200": private200("The entry as saved.")]
                    .merging(Self.problems([400, 401, 403, 404, 409, 412, 415, 422], denied.merging([
                        404: "No such entry among yours.", 409: "The entry cannot be changed now (submitted, in review…) or was saved by someone else meanwhile.",
                        412: "If-Match does not match the entry.", 422: "Answers that cannot be kept; see errors.",
                    ]) { $1 })) { $1 },
            ],
        ]
        paths[Self.openAPIPath(SiteURL.Routes.apiSubmissionSubmit)] = ["post": [
            "summary": "Submit an entry before the call's deadline",
            "description": "The deadline is checked on the server, in UTC, to the second. Every required answer must be given.",
            "operationId": "submitSubmission", "security": bearer, "parameters": [entryID],
            "responses": ["200": private200("The entry, now submitted.")]
                .merging(Self.problems([401, 403, 404, 409, 422], denied.merging([
                    403: "The deadline passed (see deadline), or the token or account may not write.", 404: "No such entry among yours.",
                    409: "The entry was already submitted or cannot be submitted in its status.", 422: "Answers are missing or wrong; see errors.",
                ]) { $1 })) { $1 },
        ]]
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "\(settings.siteName) API", "version": "1",
                     "description": "Read access to everything published on the site, without a key: answers carry an ETag; send it back in If-None-Match to get 304 when nothing changed, and any site may read (CORS). Contributors also send entries to calls for innovations, with a personal token (Authorization: Bearer) made on their account page. Errors are RFC 9457 problem details.",
                     "license": ["name": settings.dataLicence, "url": settings.dataLicenceURL]],
            "servers": [["url": settings.baseURL]],
            "paths": paths,
            "components": ["schemas": [
                "ItemSummary": itemSummary, "ItemPage": itemPage, "ItemDetail": itemDetail, "Vocabulary": vocabulary, "Call": call,
                "Problem": problem, "CaseResults": caseResults, "Submission": entry, "AnswersInput": answersInput,
            ], "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer",
                           "description": "A personal API token, made on the account page. Tokens that allow reading see your entries; tokens that also allow writing start, change and submit them."],
            ]],
        ]
        return document
    }
}
