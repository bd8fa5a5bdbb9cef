import Foundation
import ObservatoryCore
import SQLKit

/// An item as listings show it.
struct ListedItem: Sendable, Equatable {
    let id: Int64
    let type: ContentType
    let slug: String
    let title: String
    let summary: String
    let publishedAt: Int64
    var authors: [AuthorRef] = []
    /// Text around the words a keyword search matched, with `SearchSnippet` markers.
    var snippet: String?
}

struct AuthorRef: Sendable, Equatable {
    let slug: String
    let name: String
}

struct TermRef: Sendable, Equatable {
    let vocabulary: Vocabulary
    let slug: String
    let name: String
    /// The address of the term's icon (recognition badges), if it has one.
    var icon: String? = nil
}

/// The order of a listing.
enum ListingSort: String, Sendable, CaseIterable {
    /// Best match first; only with keywords.
    case relevance
    case newest
    case oldest
}

/// What a listing shows: any combination of types, keywords, a term, an author and a time range.
struct ListingFilter: Sendable, Equatable {
    var types: [ContentType] = []
    /// The keywords as typed, for display.
    var keywords: String?
    /// The chosen order; by default relevance when searching, otherwise newest first.
    var sort: ListingSort?
    var termID: Int64?
    var authorID: Int64?
    /// Publication time range, `[start, end)` in seconds since 1970.
    var publishedRange: Range<Int64>?
    var page: PageNumber = .first
    var pageSize = 20
    /// Keyset paging (newest and oldest orders): only items after this one in that order.
    var after: ListingCursor?

    /// The keywords as a full-text query; nil without keywords or when nothing searchable is left.
    var searchQuery: SearchQuery? { SearchQuery(keywords: keywords) }

    /// Keywords were given but every word was too common (or punctuation) to search for.
    var keywordsIgnored: Bool { keywords != nil && searchQuery == nil }

    var effectiveSort: ListingSort {
        switch sort {
        case .relevance?, nil: searchQuery == nil ? .newest : .relevance
        case let chosen?: chosen
        }
    }
}

struct Listing: Sendable {
    let items: [ListedItem]
    /// Matching items per type with every filter but the type filter applied.
    let countsByType: [ContentType: Int]
    let filter: ListingFilter

    /// Matching items with the type filter applied too.
    var total: Int {
        let types = filter.types.isEmpty ? ContentType.allCases : filter.types
        return types.reduce(0) { $0 + (countsByType[$1] ?? 0) }
    }

    var pageCount: Int { PageNumber.count(total: total, pageSize: filter.pageSize) }
}

/// One published item with everything its page shows.
struct ItemDetail: Sendable {
    let item: ListedItem
    let body: String
    let bodyHTML: String
    let updatedAt: Int64
    let language: String
    let terms: [TermRef]
    /// Structured field rows by field name, in position order.
    let fields: [String: [FieldRow]]

    func terms(in vocabulary: Vocabulary) -> [TermRef] { terms.filter { $0.vocabulary == vocabulary } }
    func text(_ name: String) -> String? { fields[name]?.first?.text }
    func number(_ name: String) -> Int64? { fields[name]?.first?.number }
}

struct FieldRow: Sendable, Equatable {
    let text: String?
    let number: Int64?
    let qualifier: String?
}

/// A position in a listing ordered by publication time: the last item a client has seen.
struct ListingCursor: Sendable, Equatable {
    let publishedAt: Int64
    let id: Int64

    /// The text clients send back: "publishedAt.id" (each at most 18 digits, so it always fits).
    var token: String { "\(publishedAt).\(id)" }

    init(publishedAt: Int64, id: Int64) {
        self.publishedAt = publishedAt
        self.id = id
    }

    static let pattern = "^-?[0-9]{1,18}\\.[0-9]{1,18}$"

    init?(token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 19, parts[1].count <= 18, parts[1].allSatisfy(\.isASCII),
              let publishedAt = Int64(parts[0]), let id = Int64(parts[1]), id >= 0
        else { return nil }
        self.init(publishedAt: publishedAt, id: id)
    }
}

/// The read path of public pages: hand-written, parameterised SQL over indexed columns,
/// decoding only what a page shows.
struct ContentQueries {
    let sql: any SQLDatabase
    /// The current time in seconds since 1970; items scheduled after it stay hidden.
    let now: Int64

    private static let publicStatuses = WorkflowStatus.publicStatuses.map(\.rawValue)

    func listing(_ filter: ListingFilter) async throws -> Listing {
        let query = filter.searchQuery
        var counts = sql.select()
            .column(SQLColumn("type", table: "items")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("items")
        counts = applyCommonFilters(filter, query: query, to: counts)
            // Naming every type lets the (type, status, published_at) index deliver the rows
            // already grouped by type, so counting needs neither the item rows nor a sort.
            .where(SQLColumn("type", table: "items"), .in, SQLBind.group(ContentType.allCases.map(\.rawValue)))
        let countRows = try await counts.groupBy(SQLColumn("type", table: "items")).all()
        var countsByType: [ContentType: Int] = [:]
        for row in countRows {
            guard let type = ContentType(rawValue: try row.decode(column: "type", as: String.self)) else { continue }
            countsByType[type] = try row.decode(column: "n", as: Int.self)
        }

        var select = sql.select().columns(Self.listedColumns).from("items")
        select = applyCommonFilters(filter, query: query, to: select)
        if !filter.types.isEmpty {
            select = select.where(SQLColumn("type", table: "items"), .in, SQLBind.group(filter.types.map(\.rawValue)))
        }
        if let after = filter.after, filter.effectiveSort != .relevance {
            let comparison = filter.effectiveSort == .oldest ? SQLBinaryOperator.greaterThan : SQLBinaryOperator.lessThan
            let publishedAt = SQLColumn("published_at", table: "items"), id = SQLColumn("id", table: "items")
            select = select.where {
                $0.where(publishedAt, comparison, SQLBind(after.publishedAt))
                    .orWhere { $0.where(publishedAt, .equal, SQLBind(after.publishedAt)).where(id, comparison, SQLBind(after.id)) }
            }
        }
        switch filter.effectiveSort {
        case .relevance: select = select.orderBy(SQLColumn("score", table: "m"), SQLDirection.descending)
            .orderBy(SQLColumn("published_at", table: "items"), SQLDirection.descending)
        case .newest: select = select.orderBy(SQLColumn("published_at", table: "items"), SQLDirection.descending)
        case .oldest: select = select.orderBy(SQLColumn("published_at", table: "items"), SQLDirection.ascending)
        }
        let rows = try await select
            .orderBy(SQLColumn("id", table: "items"), filter.effectiveSort == .oldest ? SQLDirection.ascending : SQLDirection.descending)
            .limit(filter.pageSize).offset(filter.page.offset(pageSize: filter.pageSize))
            .all()
        var items = try rows.map(Self.listedItem)
        try await attachAuthors(to: &items)
        if let query, !items.isEmpty {
            let snippets = try await sql.engine.fullText.snippets(query, itemIDs: items.map { $0.id }, on: sql)
            for index in items.indices { items[index].snippet = snippets[items[index].id] }
        }
        return Listing(items: items, countsByType: countsByType, filter: filter)
    }

    /// A badge icon's address: its smallest copy, as icons are shown small.
    static func iconPath(storageName: String?, renditions: String?) -> String? {
        storageName.map { "/media/" + ImageRenditions.smallest(of: $0, copyWidths: ImageRenditions.widths(column: renditions) ?? [], atLeast: 48) }
    }

    /// Latest items of the given types (all when empty), optionally only featured ones.
    func latest(types: [ContentType] = [], featuredOnly: Bool = false, limit: Int) async throws -> [ListedItem] {
        var select = sql.select()
            .columns("id", "type", "slug", "title", "summary", "published_at")
            .from("items")
        select = applyVisibility(to: select)
        if !types.isEmpty { select = select.where("type", .in, types.map(\.rawValue)) }
        if featuredOnly { select = select.where("featured", .equal, true) }
        let rows = try await select.orderBy("published_at", .descending).orderBy("id", .descending).limit(limit).all()
        var items = try rows.map(Self.listedItem)
        try await attachAuthors(to: &items)
        return items
    }

    /// Published items of a type whose date field lies in `[from, to)`, soonest first — open
    /// calls by deadline, upcoming events by start.
    func upcoming(type: ContentType, field: String, from: Int64, limit: Int) async throws -> [(ListedItem, Int64)] {
        var select = sql.select()
            .column(SQLColumn("id", table: "items")).column("type").column("slug").column("title")
            .column("summary").column("published_at").column(SQLColumn("number_value", table: "f"), as: "moment")
            .from("items")
            .join(SQLAlias(SQLIdentifier("item_fields"), as: SQLIdentifier("f")), method: SQLJoinMethod.inner,
                  on: SQLColumn("item_id", table: "f"), .equal, SQLColumn("id", table: "items"))
        select = applyVisibility(to: select)
        let rows = try await select
            .where("type", .equal, type.rawValue)
            .where(SQLColumn("name", table: "f"), .equal, SQLBind(field))
            .where(SQLColumn("number_value", table: "f"), .greaterThanOrEqual, SQLBind(from))
            .orderBy(SQLColumn("number_value", table: "f"), SQLDirection.ascending)
            .limit(limit)
            .all()
        return try rows.map { (try Self.listedItem($0), try $0.decode(column: "moment", as: Int64.self)) }
    }

    /// Events by their start: upcoming ones (not started yet) soonest first, or past ones
    /// latest first; a page of them with the total and each one's start and time zone.
    func events(upcoming: Bool, now: Int64, limit: Int, offset: Int) async throws -> (events: [(item: ListedItem, startsAt: Int64, zone: String?)], total: Int) {
        func base() -> SQLSelectBuilder {
            let select = sql.select().from("items")
                .join(SQLAlias(SQLIdentifier("item_fields"), as: SQLIdentifier("f")), method: SQLJoinMethod.inner,
                      on: SQLColumn("item_id", table: "f"), .equal, SQLColumn("id", table: "items"))
                .where("type", .equal, ContentType.event.rawValue)
                .where(SQLColumn("name", table: "f"), .equal, SQLBind("starts_at"))
                .where(SQLColumn("number_value", table: "f"), upcoming ? .greaterThanOrEqual : .lessThan, SQLBind(now))
            return applyVisibility(to: select)
        }
        let total = try await base().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await base()
            .column(SQLColumn("id", table: "items")).column("type").column("slug").column("title")
            .column("summary").column("published_at").column(SQLColumn("number_value", table: "f"), as: "moment")
            .orderBy(SQLColumn("number_value", table: "f"), upcoming ? SQLDirection.ascending : SQLDirection.descending)
            .orderBy(SQLColumn("id", table: "items"), SQLDirection.ascending)
            .limit(limit).offset(offset).all()
        var items = try rows.map { try Self.listedItem($0) }
        try await attachAuthors(to: &items)
        var zones: [Int64: String] = [:]
        if !items.isEmpty {
            for row in try await sql.select().columns("item_id", "text_value").from("item_fields").where("name", .equal, "timezone")
                .where("item_id", .in, items.map(\.id)).all() {
                zones[try row.decode(column: "item_id", as: Int64.self)] = try row.decode(column: "text_value", as: String?.self)
            }
        }
        return (try zip(items, rows).map { item, row in (item, try row.decode(column: "moment", as: Int64.self), zones[item.id]) }, total)
    }

    func item(type: ContentType, slug: String) async throws -> ItemDetail? {
        var select = sql.select()
            .columns("id", "type", "slug", "title", "summary", "published_at", "body", "body_html", "updated_at", "language")
            .from("items")
            .where("type", .equal, type.rawValue)
            .where("slug", .equal, slug)
        select = applyVisibility(to: select)
        guard let row = try await select.first() else { return nil }
        var items = [try Self.listedItem(row)]
        try await attachAuthors(to: &items)
        let id = items[0].id

        let termRows = try await sql.select()
            .column(SQLColumn("vocabulary", table: "t")).column(SQLColumn("slug", table: "t")).column(SQLColumn("name", table: "t"))
            .column(SQLColumn("storage_name", table: "m")).column(SQLColumn("renditions", table: "m"))
            .from(SQLAlias(SQLIdentifier("item_terms"), as: SQLIdentifier("it")))
            .join(SQLAlias(SQLIdentifier("terms"), as: SQLIdentifier("t")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "t"), .equal, SQLColumn("term_id", table: "it"))
            .join(SQLAlias(SQLIdentifier("media"), as: SQLIdentifier("m")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "m"), .equal, SQLColumn("icon_media_id", table: "t"))
            .where(SQLColumn("item_id", table: "it"), .equal, SQLBind(id))
            .where(SQLColumn("hidden", table: "t"), .equal, SQLBind(false))
            .orderBy(SQLColumn("vocabulary", table: "t")).orderBy(SQLColumn("position", table: "it"))
            .all()
        let terms = try termRows.map {
            TermRef(vocabulary: Vocabulary(try $0.decode(column: "vocabulary", as: String.self)),
                    slug: try $0.decode(column: "slug", as: String.self),
                    name: try $0.decode(column: "name", as: String.self),
                    icon: try Self.iconPath(storageName: try $0.decode(column: "storage_name", as: String?.self),
                                            renditions: try $0.decode(column: "renditions", as: String?.self)))
        }
        let fieldRows = try await sql.select()
            .columns("name", "text_value", "number_value", "qualifier")
            .from("item_fields")
            .where("item_id", .equal, id)
            .orderBy("name").orderBy("position")
            .all()
        var fields: [String: [FieldRow]] = [:]
        for fieldRow in fieldRows {
            let name = try fieldRow.decode(column: "name", as: String.self)
            fields[name, default: []].append(FieldRow(
                text: try fieldRow.decode(column: "text_value", as: String?.self),
                number: try fieldRow.decode(column: "number_value", as: Int64?.self),
                qualifier: try fieldRow.decode(column: "qualifier", as: String?.self)))
        }
        return ItemDetail(
            item: items[0],
            body: try row.decode(column: "body", as: String.self),
            bodyHTML: try row.decode(column: "body_html", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self),
            language: try row.decode(column: "language", as: String.self),
            terms: terms, fields: fields)
    }

    func term(vocabulary: Vocabulary, slug: String) async throws -> (id: Int64, ref: TermRef)? {
        guard let row = try await sql.select().columns("id", "name").from("terms")
            .where("vocabulary", .equal, vocabulary.rawValue).where("slug", .equal, slug).where("hidden", .equal, false).first()
        else { return nil }
        return (try row.decode(column: "id", as: Int64.self),
                TermRef(vocabulary: vocabulary, slug: slug, name: try row.decode(column: "name", as: String.self)))
    }

    func author(slug: String) async throws -> (id: Int64, ref: AuthorRef)? {
        guard let row = try await sql.select().columns("id", "name").from("authors").where("slug", .equal, slug).first()
        else { return nil }
        return (try row.decode(column: "id", as: Int64.self),
                AuthorRef(slug: slug, name: try row.decode(column: "name", as: String.self)))
    }

    /// Publication times of every public item of a type, newest first, for archives by month.
    func publicationTimes(type: ContentType) async throws -> [Int64] {
        var select = sql.select().column("published_at").from("items").where("type", .equal, type.rawValue)
        select = applyVisibility(to: select)
        return try await select.orderBy("published_at", .descending).all().map {
            try $0.decode(column: "published_at", as: Int64.self)
        }
    }

    // MARK: - Building blocks

    private func applyVisibility<Builder: SQLPredicateBuilder>(to builder: Builder) -> Builder {
        builder
            .where(SQLColumn("status", table: "items"), .in, SQLBind.group(Self.publicStatuses))
            .where(SQLColumn("published_at", table: "items"), .lessThanOrEqual, SQLBind(now))
    }

    /// The columns `listedItem(_:)` reads.
    private static let listedColumns: [any SQLExpression] = ["id", "type", "slug", "title", "summary", "published_at"]
        .map { SQLColumn($0, table: "items") }

    /// Visibility and every filter but the type filter; with a query, joins the matches as `m`.
    private func applyCommonFilters(_ filter: ListingFilter, query: SearchQuery?, to select: SQLSelectBuilder) -> SQLSelectBuilder {
        var builder = applyVisibility(to: select)
        if let query {
            builder = builder.join(SQLAlias(sql.engine.fullText.matches(query), as: SQLIdentifier("m")),
                                   method: SQLJoinMethod.inner,
                                   on: SQLColumn("item_id", table: "m"), .equal, SQLColumn("id", table: "items"))
        }
        if let termID = filter.termID {
            builder = builder.where(SQLColumn("id", table: "items"), .in, SQLSubquery.select {
                $0.column("item_id").from("item_terms").where("term_id", .equal, termID)
            })
        }
        if let authorID = filter.authorID {
            builder = builder.where(SQLColumn("id", table: "items"), .in, SQLSubquery.select {
                $0.column("item_id").from("item_authors").where("author_id", .equal, authorID)
            })
        }
        if let range = filter.publishedRange {
            builder = builder
                .where(SQLColumn("published_at", table: "items"), .greaterThanOrEqual, SQLBind(range.lowerBound))
                .where(SQLColumn("published_at", table: "items"), .lessThan, SQLBind(range.upperBound))
        }
        return builder
    }

    private static func listedItem(_ row: any SQLRow) throws -> ListedItem {
        ListedItem(
            id: try row.decode(column: "id", as: Int64.self),
            type: ContentType(rawValue: try row.decode(column: "type", as: String.self)) ?? .post,
            slug: try row.decode(column: "slug", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            summary: try row.decode(column: "summary", as: String.self),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self) ?? 0)
    }

    private func attachAuthors(to items: inout [ListedItem]) async throws {
        guard !items.isEmpty else { return }
        let rows = try await sql.select()
            .column(SQLColumn("item_id", table: "ia")).column(SQLColumn("slug", table: "a")).column(SQLColumn("name", table: "a"))
            .from(SQLAlias(SQLIdentifier("item_authors"), as: SQLIdentifier("ia")))
            .join(SQLAlias(SQLIdentifier("authors"), as: SQLIdentifier("a")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "a"), .equal, SQLColumn("author_id", table: "ia"))
            .where(SQLColumn("item_id", table: "ia"), .in, SQLBind.group(items.map(\.id)))
            .orderBy(SQLColumn("item_id", table: "ia")).orderBy(SQLColumn("position", table: "ia"))
            .all()
        var byItem: [Int64: [AuthorRef]] = [:]
        for row in rows {
            byItem[try row.decode(column: "item_id", as: Int64.self), default: []].append(
                AuthorRef(slug: try row.decode(column: "slug", as: String.self), name: try row.decode(column: "name", as: String.self)))
        }
        for index in items.indices { items[index].authors = byItem[items[index].id] ?? [] }
    }
}
