import ObservatoryCore
import SQLKit

/// What the search index holds for one item, as plain text in three weighted parts.
struct SearchDocument: Sendable, Equatable {
    let itemID: Int64
    /// Weighted highest.
    let title: String
    /// The excerpt or summary: weighted above the body.
    let summary: String
    /// The body's text and the item's narrative fields.
    let body: String

    /// The document of an item: its Markdown body as plain text, followed by the values of its
    /// text fields (organisation name, narrative answers); `fieldText` gives a field's value by name.
    init(itemID: Int64, type: ContentType, title: String, summary: String, markdownBody: String,
         fieldText: (String) -> String?) {
        self.itemID = itemID
        self.title = title
        self.summary = summary
        var parts = [Markdown.plainText(from: markdownBody)]
        for field in type.fields {
            switch field.kind {
            case .text, .longText: if let text = fieldText(field.name), !text.isEmpty { parts.append(text) }
            default: continue
            }
        }
        self.body = parts.joined(separator: "\n")
    }
}

/// Full-text storage and matching in each database's own engine: SQLite FTS5, or a weighted
/// PostgreSQL tsvector with a GIN index. Public search ranks with the in-memory `SearchIndex`
/// (`SearchIndexStore`), which reads the bodies kept here; the engines check quoted phrases
/// word for word.
///
/// Documents are written through the connection that writes the item, so the index changes in
/// the same transaction as the content and is never stale. The index holds every item whatever
/// its status; listings join it to the visibility rules, so drafts and unpublished items never
/// appear and an item is findable the moment it becomes public.
protocol FullTextSearch: Sendable {
    /// Creates the index (run by a migration).
    func createIndex(on sql: any SQLDatabase) async throws
    func dropIndex(on sql: any SQLDatabase) async throws

    /// Adds or replaces the items' documents in the index, one document per item. `newItems`
    /// lists the items that have no document yet, which spares a look-up during imports.
    func index(_ documents: [SearchDocument], newItems: Set<Int64>, on sql: any SQLDatabase) async throws
    func remove(itemID: Int64, on sql: any SQLDatabase) async throws

    /// A parenthesised subquery with the columns `item_id` and `score` (higher is better) of every
    /// indexed item that matches `query`, which must not be empty.
    func matches(_ query: SearchQuery) -> any SQLExpression

    /// The indexed body text (plain text of the body and the narrative fields) of the given
    /// items, by item id: the in-memory index and snippets are made from it.
    func bodies(of itemIDs: [Int64], on sql: any SQLDatabase) async throws -> [Int64: String]
}

enum FullTextSearchEngine {

    /// The engine of the database behind `sql` (kept for the shipped migrations, which call it).
    static func of(_ sql: any SQLDatabase) -> any FullTextSearch { sql.engine.fullText }
}
