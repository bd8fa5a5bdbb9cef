import Foundation
import ObservatoryCore
import Vapor

/// The three feed formats every listing is offered in.
enum FeedFormat: String, CaseIterable, Sendable {
    case rss
    case atom
    case json

    /// The last path segment of a feed: `/blog/feed.atom`.
    var fileName: String { "feed.\(rawValue)" }

    var mediaType: String {
        switch self {
        case .rss: "application/rss+xml"
        case .atom: "application/atom+xml"
        case .json: "application/feed+json"
        }
    }

    var nameKey: L10nKey { L10nKey("feed.format.\(rawValue)") }

    init?(fileName: String) {
        guard let format = Self.allCases.first(where: { $0.fileName == fileName }) else { return nil }
        self = format
    }
}

/// A feed: the newest items of one listing, with absolute links.
struct Feed: Sendable {
    struct Entry: Sendable {
        let url: String
        let title: String
        let summary: String
        let published: Int64
        let updated: Int64
        let authors: [String]
        let category: String
    }

    let title: String
    let description: String
    /// The page the feed follows.
    let pageURL: String
    let feedURL: String
    let language: String
    let entries: [Entry]

    var updated: Int64 { entries.map(\.updated).max() ?? 0 }

    static let length = 20

    func response(_ format: FeedFormat) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "\(format.mediaType); charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        let body: String
        switch format {
        case .rss: body = rss()
        case .atom: body = atom()
        case .json: body = json()
        }
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    private static let utc = TimeZone(identifier: "UTC")!


    static func rfc3339(_ seconds: Int64) -> String { MomentFormatter.rfc3339(seconds, in: utc) }

    /// Text for XML: escaped, without the control characters XML 1.0 forbids.
    ///
    /// RSS readers take a `<description>` as HTML, so plain text goes there escaped twice
    /// (`Self.xml(text.htmlEscaped)`): once for HTML, once for XML. Atom's `<summary>` without a
    /// type and JSON Feed's `summary` are plain text and are escaped once.
    static func xml(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            scalar == "\t" || scalar == "\n" || scalar == "\r" || (scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
        })).htmlEscaped
    }

    func rss() -> String {
        let items = entries.map { entry in
            """
            <item>
            <title>\(Self.xml(entry.title))</title>
            <link>\(Self.xml(entry.url))</link>
            <guid isPermaLink="true">\(Self.xml(entry.url))</guid>
            <pubDate>\(InternetDate.string(entry.published))</pubDate>
            <description>\(Self.xml(entry.summary.htmlEscaped))</description>
            <category>\(Self.xml(entry.category))</category>
            \(entry.authors.map { "<dc:creator>\(Self.xml($0))</dc:creator>" }.joined())
            </item>
            """
        }.joined(separator: "\n")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel>
        <title>\(Self.xml(title))</title>
        <link>\(Self.xml(pageURL))</link>
        <description>\(Self.xml(description.htmlEscaped))</description>
        <language>\(Self.xml(language))</language>
        <lastBuildDate>\(InternetDate.string(updated))</lastBuildDate>
        <atom:link href="\(Self.xml(feedURL))" rel="self" type="application/rss+xml"/>
        \(items)
        </channel>
        </rss>

        """
    }

    func atom() -> String {
        let items = entries.map { entry in
            """
            <entry>
            <id>\(Self.xml(entry.url))</id>
            <title>\(Self.xml(entry.title))</title>
            <link rel="alternate" type="text/html" href="\(Self.xml(entry.url))"/>
            <published>\(Self.rfc3339(entry.published))</published>
            <updated>\(Self.rfc3339(entry.updated))</updated>
            \(entry.authors.map { "<author><name>\(Self.xml($0))</name></author>" }.joined())
            <category term="\(Self.xml(entry.category))"/>
            <summary>\(Self.xml(entry.summary))</summary>
            </entry>
            """
        }.joined(separator: "\n")
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(Self.xml(language))">
        <id>\(Self.xml(feedURL))</id>
        <title>\(Self.xml(title))</title>
        <subtitle>\(Self.xml(description))</subtitle>
        <updated>\(Self.rfc3339(updated))</updated>
        <link rel="self" type="application/atom+xml" href="\(Self.xml(feedURL))"/>
        <link rel="alternate" type="text/html" href="\(Self.xml(pageURL))"/>
        <author><name>\(Self.xml(title))</name></author>
        \(items)
        </feed>

        """
    }

    struct JSONFeed: Encodable {
        struct Item: Encodable {
            struct Author: Encodable { let name: String }
            let id: String
            let url: String
            let title: String
            let summary: String
            let content_text: String
            let date_published: String
            let date_modified: String
            let authors: [Author]?
            let tags: [String]
        }

        let version = "https://jsonfeed.org/version/1.1"
        let title: String
        let home_page_url: String
        let feed_url: String
        let description: String
        let language: String
        let items: [Item]
    }

    func json() -> String {
        let feed = JSONFeed(title: title, home_page_url: pageURL, feed_url: feedURL, description: description, language: language,
                            items: entries.map { entry in
                                JSONFeed.Item(id: entry.url, url: entry.url, title: entry.title, summary: entry.summary, content_text: entry.summary,
                                              date_published: Self.rfc3339(entry.published), date_modified: Self.rfc3339(entry.updated),
                                              authors: entry.authors.isEmpty ? nil : entry.authors.map { .init(name: $0) }, tags: [entry.category])
                            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(feed)) ?? Data(), as: UTF8.self)
    }
}

/// A feed offered in a page's `<head>`.
struct FeedLink: Sendable {
    let format: FeedFormat
    let title: String
    let href: String
}
