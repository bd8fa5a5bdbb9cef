import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// `/api/openapi.json`: the API described in OpenAPI 3.1. Filters that take terms list the
/// terms that exist now, so a client (or a test generator) knows every accepted value.
struct OpenAPIDocument: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get("api", "openapi.json", use: document)
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
        let settings = request.application.siteSettings
        let sql = try request.sql
        var terms: [String: [String]] = [:]
        for row in try await sql.select().columns("vocabulary", "slug").from("terms")
            .orderBy(SQLColumn("vocabulary"), SQLDirection.ascending).orderBy(SQLColumn("slug"), SQLDirection.ascending).all() {
            terms[try row.decode(column: "vocabulary", as: String.self), default: []].append(try row.decode(column: "slug", as: String.self))
        }
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
        let problem = Self.object(["type": Self.string(), "title": Self.string(), "status": Self.integer(), "detail": Self.string()],
                                  required: ["type", "title", "status"])
        let caseTerm = Self.object(["value": Self.string(), "name": Self.string()])
        let caseResults = Self.object([
            "total": Self.integer(["minimum": 0]), "page": Self.integer(["minimum": 1]),
            "per_page": Self.integer(["enum": CaseQuery.perPageChoices]), "pages": Self.integer(["minimum": 0]),
            "sort": Self.string(["enum": CaseSort.allCases.map(\.rawValue)]),
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
        let paths: [String: Any] = [
            "/api/v1/items": ["get": [
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
            "/api/v1/items/{type}/{slug}": ["get": [
                "summary": "One published item with its body, terms and structured fields",
                "operationId": "getItem",
                "parameters": [
                    ["name": "type", "in": "path", "required": true, "schema": Self.string(["enum": types])],
                    ["name": "slug", "in": "path", "required": true, "schema": Self.string(["pattern": "^[a-z0-9-]{1,200}$"])],
                ],
                "responses": ["200": Self.json(Self.ref("ItemDetail"), "The item."), "304": Self.notModified, "404": Self.problem],
            ]],
            "/api/v1/vocabularies": ["get": [
                "summary": "Every vocabulary with its terms and the number of published items per term",
                "operationId": "listVocabularies",
                "responses": ["200": Self.json(Self.array(Self.ref("Vocabulary")), "The vocabularies."), "304": Self.notModified],
            ]],
            "/api/v1/calls": ["get": [
                "summary": "Calls for innovations with their status and deadline",
                "operationId": "listCalls",
                "responses": ["200": Self.json(Self.array(Self.ref("Call")), "The calls, newest first."), "304": Self.notModified],
            ]],
            "/api/v1/cases": ["get": [
                "summary": "The case study library: faceted search with counts, as on /innovations",
                "operationId": "searchCases",
                "parameters": [
                    Self.parameter("q", keywords, "Keywords."),
                    Self.parameter("from", Self.integer(["minimum": CaseQuery.years.lowerBound, "maximum": CaseQuery.years.upperBound]), "Launched in this year or later."),
                    Self.parameter("to", Self.integer(["minimum": CaseQuery.years.lowerBound, "maximum": CaseQuery.years.upperBound]), "Launched in this year or earlier."),
                    Self.parameter("sort", Self.string(["enum": CaseSort.allCases.map(\.rawValue)]), "Order of the results."),
                    Self.parameter("per_page", Self.integer(["enum": CaseQuery.perPageChoices]), "Results per page."),
                    Self.parameter("page", Self.integer(["minimum": 1, "maximum": 10_000]), "Page number."),
                ] + facetParameters,
                "responses": ["200": ["description": "A page of cases with the counts of every facet.",
                                      "content": ["application/json": ["schema": Self.ref("CaseResults")]]],
                              "400": Self.problem, "404": ["description": "A page past the last one (the body still has the counts).",
                                                          "content": ["application/json": ["schema": Self.ref("CaseResults")]]]],
            ]],
        ]
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "\(settings.siteName) API", "version": "1",
                     "description": "Read access to everything published on the site. Answers carry an ETag; send it back in If-None-Match to get 304 when nothing changed. Errors are RFC 9457 problem details. Any site may read (CORS).",
                     "license": ["name": settings.dataLicence, "url": settings.dataLicenceURL]],
            "servers": [["url": settings.baseURL]],
            "paths": paths,
            "components": ["schemas": [
                "ItemSummary": itemSummary, "ItemPage": itemPage, "ItemDetail": itemDetail, "Vocabulary": vocabulary, "Call": call,
                "Problem": problem, "CaseResults": caseResults,
            ]],
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
