import Foundation
import ObservatoryCore
import Vapor

/// The query string as ordered name/value pairs, with repeated names kept
/// (`type=case_study&type=toolkit`).
struct QueryParameters {
    let pairs: [(name: String, value: String)]

    init(_ request: Request) {
        self.init(query: request.url.query)
    }

    init(query: String?) {
        guard let query, !query.isEmpty else {
            pairs = []
            return
        }
        pairs = query.split(separator: "&").compactMap { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            guard let name = pieces.first.map(decode), !name.isEmpty else { return nil }
            return (name, pieces.count > 1 ? decode(pieces[1]) : "")
        }
    }

    func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
    func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// `page`, a whole number from 1; absent means 1.
    func page(_ localizer: Localizer) throws -> PageNumber {
        guard let raw = first("page"), !raw.isEmpty else { return .first }
        guard let page = PageNumber(parsing: raw) else {
            throw Abort(.badRequest, reason: localizer("error.page", ["value": String(raw.prefix(20))]))
        }
        return page
    }

    /// `type` values, each a known content type; duplicates removed, order kept.
    func types(_ localizer: Localizer) throws -> [ContentType] {
        var types: [ContentType] = []
        for raw in values("type") where !raw.isEmpty {
            guard let type = ContentType(rawValue: raw) else {
                throw Abort(.badRequest, reason: localizer("error.type", ["value": raw, "valid": ContentType.identifierList]))
            }
            if !types.contains(type) { types.append(type) }
        }
        return types
    }

    /// `sort`, one of the listing orders; nil when absent or empty.
    func sort(_ localizer: Localizer) throws -> ListingSort? {
        guard let raw = first("sort"), !raw.isEmpty else { return nil }
        guard let sort = ListingSort(rawValue: raw) else {
            let valid = ListingSort.allCases.map(\.rawValue).joined(separator: ", ")
            throw Abort(.badRequest, reason: localizer("error.sort", ["value": raw, "valid": valid]))
        }
        return sort
    }

    /// `q` without control characters, trimmed; nil when empty.
    func keywords(_ localizer: Localizer) throws -> String? {
        guard let typed = first("q"), let keywords = SearchQuery.cleanedKeywords(typed) else { return nil }
        guard keywords.count <= SearchQuery.maximumKeywordLength else {
            throw Abort(.badRequest, reason: localizer("error.keywordsTooLong"))
        }
        return keywords
    }

    /// `match` (any, all) and `spelling` (on, off): how keywords are matched.
    func searchOptions(_ localizer: Localizer) throws -> SearchOptions {
        var options = SearchOptions()
        for name in ["match", "spelling"] {
            guard let raw = first(name), !raw.isEmpty else { continue }
            guard options.read(name: name, value: raw) else {
                throw Abort(.badRequest, reason: SearchOptions.message(name: name, value: String(raw.prefix(20)), localizer))
            }
        }
        return options
    }
}

extension Request {
    /// `page` on staff lists: a number out of range goes to the nearest page and anything else
    /// to the first, so a mistyped or hostile link still shows a list.
    var lenientPage: PageNumber {
        PageNumber(lenient: try? query.get(String.self, at: "page"))
    }
}
