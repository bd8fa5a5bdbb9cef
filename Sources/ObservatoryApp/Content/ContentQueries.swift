import Foundation
import ObservatoryCore
import SQLKit
import Vapor

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
    /// Terms every listed item carries (a term archive's term, the API's tag, country and sector).
    var termIDs: [Int64] = []
    var authorID: Int64?
    /// Publication time range, `[start, end)` in seconds since 1970.
    var publishedRange: Range<Int64>?
    var page: PageNumber = .first
    var pageSize = 20
    /// Keyset paging (newest and oldest orders): only items after this one in that order.
    var after: ListingCursor?

    /// The keywords as a full-text query; nil without keywords or when nothing searchable is left.
    var searchQuery: SearchQuery? { SearchQuery(keywords: keywords) }
    /// Every word must match (`match=all`) rather than ranking items by how many match.
    var matchAll = false
    /// Search the words as typed, without correcting their spelling (`spelling=off`).
    var asTyped = false

    var searchOptions: SearchOptions { SearchOptions(matchAll: matchAll, correctSpelling: !asTyped) }

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
    /// With keywords: corrected words and words that matched nothing.
    var notes = SearchNotes()

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

    /// The items of a listing. With keywords, `search` (this instance's index for the current
    /// content) ranks and filters them in memory, and only the page's rows are read.
    func listing(_ filter: ListingFilter, search: SearchIndexEntry? = nil) async throws -> Listing {
        if let query = filter.searchQuery {
            guard let search else { throw Abort(.internalServerError, reason: "A keyword listing needs the search index.") }
            return try await keywordListing(filter, query: query, search: search)
        }
        var counts = sql.select()
            .column(SQLColumn("type", table: "items")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("items")
        counts = applyCommonFilters(filter, to: counts)
            // Naming every type lets the (type, status, published_at) index deliver the rows
            // already grouped by type, so counting needs neither the item rows nor a sort.
            .where(SQLColumn("type", table: "items"), .in, SQLBind.group(ContentType.allCases.map(\.rawValue)))
        let countRows = try await counts.groupBy(SQLColumn("type", table: "items")).all(as: TypeCountRow.self)
        var countsByType: [ContentType: Int] = [:]
        for row in countRows {
            guard let type = ContentType(rawValue: row.type) else { continue }
            countsByType[type] = row.n
        }

        var select = sql.select().columns(Self.listedColumns).from("items")
        select = applyCommonFilters(filter, to: select)
        if !filter.types.isEmpty {
            select = select.where(SQLColumn("type", table: "items"), .in, SQLBind.group(filter.types.map(\.rawValue)))
        }
        if let after = filter.after {
            let comparison = filter.effectiveSort == .oldest ? SQLBinaryOperator.greaterThan : SQLBinaryOperator.lessThan
            let publishedAt = SQLColumn("published_at", table: "items"), id = SQLColumn("id", table: "items")
            select = select.where {
                $0.where(publishedAt, comparison, SQLBind(after.publishedAt))
                    .orWhere { $0.where(publishedAt, .equal, SQLBind(after.publishedAt)).where(id, comparison, SQLBind(after.id)) }
            }
        }
        let direction = filter.effectiveSort == .oldest ? SQLDirection.ascending : SQLDirection.descending
        let rows = try await select
            .orderBy(SQLColumn("published_at", table: "items"), direction)
            .orderBy(SQLColumn("id", table: "items"), direction)
            .limit(filter.pageSize).offset(filter.page.offset(pageSize: filter.pageSize))
            .all(as: ListedRow.self)
        var items = rows.map(Self.listedItem)
        try await attachAuthors(to: &items)
        return Listing(items: items, countsByType: countsByType, filter: filter)
    }

    /// A listing with keywords: the index's matches, narrowed by the term, author and time
    /// filters, counted per type, ordered and cut to the page in memory.
    private func keywordListing(_ filter: ListingFilter, query: SearchQuery, search: SearchIndexEntry) async throws -> Listing {
        let matches = try await search.matches(query, options: filter.searchOptions, sql: sql)
        let index = search.index
        var allowed: Set<Int64>?
        for termID in filter.termIDs {
            let withTerm = Set(try await sql.select().column("item_id").from("item_terms").where("term_id", .equal, termID)
                .all(as: ItemIDRow.self).map(\.itemID))
            allowed = allowed.map { $0.intersection(withTerm) } ?? withTerm
        }
        if let authorID = filter.authorID {
            let byAuthor = Set(try await sql.select().column("item_id").from("item_authors").where("author_id", .equal, authorID)
                .all(as: ItemIDRow.self).map(\.itemID))
            allowed = allowed.map { $0.intersection(byAuthor) } ?? byAuthor
        }
        let types = Set(filter.types)
        var countsByType: [ContentType: Int] = [:]
        var kept: [(document: Int32, score: Float)] = []
        for match in matches.documents {
            let document = Int(match.document)
            if let range = filter.publishedRange, !range.contains(index.publishedAt[document]) { continue }
            if let allowed, !allowed.contains(index.ids[document]) { continue }
            countsByType[index.types[document], default: 0] += 1
            if types.isEmpty || types.contains(index.types[document]) { kept.append(match) }
        }
        let key = { (document: Int32) in (index.publishedAt[Int(document)], index.ids[Int(document)]) }
        switch filter.effectiveSort {
        case .relevance: break
        case .newest: kept.sort { key($0.document) > key($1.document) }
        case .oldest: kept.sort { key($0.document) < key($1.document) }
        }
        if let after = filter.after, filter.effectiveSort != .relevance {
            let cursor = (after.publishedAt, after.id)
            kept.removeAll { filter.effectiveSort == .oldest ? key($0.document) <= cursor : key($0.document) >= cursor }
        }
        let offset = filter.page.offset(pageSize: filter.pageSize)
        let pageIDs = offset < kept.count
            ? kept[offset..<min(kept.count, offset + filter.pageSize)].map { index.ids[Int($0.document)] }
            : []
        var items: [ListedItem] = []
        if !pageIDs.isEmpty {
            items = try await listed(ids: pageIDs)
            try await attachAuthors(to: &items)
            let snippets = try await search.snippets(matches, itemIDs: pageIDs, sql: sql)
            for position in items.indices { items[position].snippet = snippets[items[position].id] }
        }
        return Listing(items: items, countsByType: countsByType, filter: filter, notes: SearchNotes(matches, index: index))
    }

    /// The public items with the given ids, in that order (ids that are not public are left out).
    func listed(ids: [Int64]) async throws -> [ListedItem] {
        guard !ids.isEmpty else { return [] }
        var select = sql.select().columns(Self.listedColumns).from("items").where(SQLColumn("id", table: "items"), .in, SQLBind.group(ids))
        select = applyVisibility(to: select)
        let byID = Dictionary(try await select.all(as: ListedRow.self).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0].map(Self.listedItem) }
    }

    /// A badge icon's address: its smallest copy, as icons are shown small.
    static func iconPath(storageName: String?, renditions: String?) -> String? {
        storageName.map { SiteURL.Routes.mediaFile.path(ImageRenditions.smallest(of: $0, copyWidths: ImageRenditions.widths(column: renditions) ?? [], atLeast: 48)) }
    }

    /// Latest items of the given types (all when empty), optionally only featured ones.
    func latest(types: [ContentType] = [], featuredOnly: Bool = false, limit: Int) async throws -> [ListedItem] {
        var select = sql.select()
            .columns("id", "type", "slug", "title", "summary", "published_at")
            .from("items")
        select = applyVisibility(to: select)
        if !types.isEmpty { select = select.where("type", .in, types.map(\.rawValue)) }
        if featuredOnly { select = select.where("featured", .equal, true) }
        let rows = try await select.orderBy("published_at", .descending).orderBy("id", .descending).limit(limit).all(as: ListedRow.self)
        var items = rows.map(Self.listedItem)
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
        return try rows.map { (Self.listedItem(try $0.decode(ListedRow.self)), try $0.decode(MomentRow.self).moment) }
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
        let total = try await base().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first(decodingColumn: "n", as: Int.self) ?? 0
        let rows = try await base()
            .column(SQLColumn("id", table: "items")).column("type").column("slug").column("title")
            .column("summary").column("published_at").column(SQLColumn("number_value", table: "f"), as: "moment")
            .orderBy(SQLColumn("number_value", table: "f"), upcoming ? SQLDirection.ascending : SQLDirection.descending)
            .orderBy(SQLColumn("id", table: "items"), SQLDirection.ascending)
            .limit(limit).offset(offset).all()
        var items = try rows.map { Self.listedItem(try $0.decode(ListedRow.self)) }
        try await attachAuthors(to: &items)
        var zones: [Int64: String] = [:]
        if !items.isEmpty {
            for row in try await sql.select().columns("item_id", "text_value").from("item_fields").where("name", .equal, "timezone")
                .where("item_id", .in, items.map(\.id)).all(as: ZoneRow.self) {
                zones[row.itemID] = row.textValue
            }
        }
        return (try zip(items, rows).map { item, row in (item, try row.decode(MomentRow.self).moment, zones[item.id]) }, total)
    }

    func item(type: ContentType, slug: String) async throws -> ItemDetail? {
        var select = sql.select()
            .columns("id", "type", "slug", "title", "summary", "published_at", "body", "body_html", "updated_at", "language")
            .from("items")
            .where("type", .equal, type.rawValue)
            .where("slug", .equal, slug)
        select = applyVisibility(to: select)
        guard let row = try await select.first() else { return nil }
        var items = [Self.listedItem(try row.decode(ListedRow.self))]
        let page = try row.decode(PageRow.self)
        try await attachAuthors(to: &items)
        let id = items[0].id

        let terms = try await sql.select()
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
            .all(as: TermRow.self)
            .map {
                TermRef(vocabulary: Vocabulary($0.vocabulary), slug: $0.slug, name: $0.name,
                        icon: Self.iconPath(storageName: $0.storageName, renditions: $0.renditions))
            }
        let fieldRows = try await sql.select()
            .columns("name", "text_value", "number_value", "qualifier")
            .from("item_fields")
            .where("item_id", .equal, id)
            .orderBy("name").orderBy("position")
            .all(as: ItemFieldRow.self)
        var fields: [String: [FieldRow]] = [:]
        for fieldRow in fieldRows {
            fields[fieldRow.name, default: []].append(FieldRow(text: fieldRow.textValue, number: fieldRow.numberValue, qualifier: fieldRow.qualifier))
        }
        return ItemDetail(item: items[0], body: page.body, bodyHTML: page.bodyHTML, updatedAt: page.updatedAt, language: page.language,
                          terms: terms, fields: fields)
    }

    func term(vocabulary: Vocabulary, slug: String) async throws -> (id: Int64, ref: TermRef)? {
        guard let row = try await sql.select().columns("id", "name").from("terms")
            .where("vocabulary", .equal, vocabulary.rawValue).where("slug", .equal, slug).where("hidden", .equal, false)
            .first(as: NamedRow.self)
        else { return nil }
        return (row.id, TermRef(vocabulary: vocabulary, slug: slug, name: row.name))
    }

    func author(slug: String) async throws -> (id: Int64, ref: AuthorRef)? {
        guard let row = try await sql.select().columns("id", "name").from("authors").where("slug", .equal, slug).first(as: NamedRow.self)
        else { return nil }
        return (row.id, AuthorRef(slug: slug, name: row.name))
    }

    /// Publication times of every public item of a type, newest first, for archives by month.
    func publicationTimes(type: ContentType) async throws -> [Int64] {
        var select = sql.select().column("published_at").from("items").where("type", .equal, type.rawValue)
        select = applyVisibility(to: select)
        return try await select.orderBy("published_at", .descending).all(decodingColumn: "published_at", as: Int64.self)
    }

    /// Slugs of the public items of a type, newest first.
    func slugs(of type: ContentType, limit: Int) async throws -> [String] {
        var select = sql.select().column("slug").from("items").where("type", .equal, type.rawValue)
        select = applyVisibility(to: select)
        return try await select.orderBy(SQLColumn("published_at"), SQLDirection.descending).orderBy(SQLColumn("id"), SQLDirection.descending)
            .limit(limit).all(decodingColumn: "slug", as: String.self)
    }

    // MARK: - Sitemaps

    /// A public item as a sitemap lists it; `type` is the stored raw value.
    struct SitemapRow: Decodable, Sendable {
        let type: String
        let slug: String
        let updatedAt: Int64
    }

    /// How many items are public.
    func publicItemCount() async throws -> Int {
        try await applyVisibility(to: sql.select().from("items"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// One sitemap's share of the public items, in id order, so every item keeps its sitemap.
    func sitemapItems(limit: Int, offset: Int) async throws -> [SitemapRow] {
        try await applyVisibility(to: sql.select().from("items")).columns("type", "slug", "updated_at")
            .orderBy(SQLColumn("id"), SQLDirection.ascending)
            .limit(limit).offset(offset).all(as: SitemapRow.self)
    }

    // MARK: - Vocabularies

    /// A shown term with the number of public items it classifies.
    struct TermCount: Decodable, Sendable {
        let vocabulary: String
        let slug: String
        let name: String
        let itemCount: Int
    }

    /// Every shown term with its public items counted, by vocabulary and then in the editors' order.
    func termCounts() async throws -> [TermCount] {
        try await sql.raw("""
            SELECT t.vocabulary, t.slug, t.name, COUNT(i.id) AS item_count FROM terms t \
            LEFT JOIN item_terms it ON it.term_id = t.id \
            LEFT JOIN items i ON i.id = it.item_id AND i.status IN (\(binds: Self.publicStatuses)) \
            AND i.published_at <= \(bind: now) WHERE t.hidden = \(bind: false) \
            GROUP BY t.vocabulary, t.slug, t.name, t.position ORDER BY t.vocabulary, t.position, t.name
            """).all(as: TermCount.self)
    }

    /// The slugs of every term, hidden ones included, by vocabulary and in slug order.
    func termSlugs() async throws -> [String: [String]] {
        var slugs: [String: [String]] = [:]
        for row in try await sql.select().columns("vocabulary", "slug").from("terms")
            .orderBy(SQLColumn("vocabulary"), SQLDirection.ascending).orderBy(SQLColumn("slug"), SQLDirection.ascending)
            .all(as: VocabularySlugRow.self) {
            slugs[row.vocabulary, default: []].append(row.slug)
        }
        return slugs
    }

    // MARK: - Rows

    /// The item columns a listed item is read from (`listedColumns`).
    private struct ListedRow: Decodable, Sendable {
        let id: Int64
        let type: String
        let slug: String
        let title: String
        let summary: String
        let publishedAt: Int64?
    }

    /// What an item's own page shows beyond its `ListedRow`.
    private struct PageRow: Decodable, Sendable {
        let body: String
        let bodyHTML: String
        let updatedAt: Int64
        let language: String
    }

    /// The value of the date field an item is listed by, selected as `moment`.
    private struct MomentRow: Decodable, Sendable {
        let moment: Int64
    }

    private struct ItemIDRow: Decodable, Sendable {
        let itemID: Int64
    }

    private struct TypeCountRow: Decodable, Sendable {
        let type: String
        let n: Int
    }

    private struct ZoneRow: Decodable, Sendable {
        let itemID: Int64
        let textValue: String?
    }

    private struct TermRow: Decodable, Sendable {
        let vocabulary: String
        let slug: String
        let name: String
        let storageName: String?
        let renditions: String?
    }

    /// A term or an author found by its slug.
    private struct NamedRow: Decodable, Sendable {
        let id: Int64
        let name: String
    }

    private struct AuthorRow: Decodable, Sendable {
        let itemID: Int64
        let slug: String
        let name: String
    }

    private struct VocabularySlugRow: Decodable, Sendable {
        let vocabulary: String
        let slug: String
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

    /// Visibility and every filter but the type filter.
    private func applyCommonFilters(_ filter: ListingFilter, to select: SQLSelectBuilder) -> SQLSelectBuilder {
        var builder = applyVisibility(to: select)
        for termID in filter.termIDs {
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

    private static func listedItem(_ row: ListedRow) -> ListedItem {
        ListedItem(
            id: row.id,
            type: ContentType(rawValue: row.type) ?? .post,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            publishedAt: row.publishedAt ?? 0)
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
            .all(as: AuthorRow.self)
        var byItem: [Int64: [AuthorRef]] = [:]
        for row in rows {
            byItem[row.itemID, default: []].append(AuthorRef(slug: row.slug, name: row.name))
        }
        for index in items.indices { items[index].authors = byItem[items[index].id] ?? [] }
    }
}

/// A row of `item_fields`: the item page and the editor read structured fields this way.
struct ItemFieldRow: Decodable, Sendable {
    let name: String
    let textValue: String?
    let numberValue: Int64?
    let qualifier: String?
}
