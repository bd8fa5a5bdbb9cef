import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Every link and search form the site shows leads somewhere: an administrator walks the
/// sample site from the home page and the staff area, following each internal `href` and the
/// action of each GET form, and no address answers an error. Links are built from
/// `SiteURL`; this checks that what they build is what the routes answer.
@Suite("Every link leads somewhere")
struct LinkCrawlTests {
    /// At most this many addresses of one shape (first two path segments, segment count,
    /// query parameter names) are followed, so a listing of hundreds of items costs a few visits.
    static let visitsPerShape = 3

    static func shape(of target: String) -> String {
        let parts = target.split(separator: "?", maxSplits: 1)
        let segments = parts[0].split(separator: "/")
        let keys = parts.count > 1
            ? parts[1].split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted() : []
        return segments.prefix(2).joined(separator: "/") + "#\(segments.count)?" + keys.joined(separator: "&")
    }

    /// The internal targets of a page: links, and the actions of GET forms.
    static func targets(in html: String) -> [String] {
        var found: [String] = []
        for match in html.matches(of: /href="([^"]*)"/) { found.append(String(match.output.1)) }
        for match in html.matches(of: /<form[^>]*method="get"[^>]*action="([^"]*)"/) { found.append(String(match.output.1)) }
        return found.compactMap { raw in
            let target = raw.replacingOccurrences(of: "&amp;", with: "&").split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard target.hasPrefix("/"), !target.hasPrefix("//") else { return nil }
            return String(target)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyLinkAnswers(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            _ = try await ObservatoryDatabase.loadSampleContentIfEmpty(app, count: 60)
            let admin = try await app.makeAccount("crawler@example.org", role: .admin)
            let browser = try await app.browser(signedInAs: admin)

            var queue = ["/", "/admin", "/account"]
            var seen = Set(queue)
            var visitsByShape: [String: Int] = [:]
            var failures: [String] = []
            var visited: [String] = []
            var referrer: [String: String] = [:]
            while let target = queue.first, visited.count < 700 {
                queue.removeFirst()
                let shape = Self.shape(of: target)
                guard visitsByShape[shape, default: 0] < Self.visitsPerShape else { continue }
                visitsByShape[shape, default: 0] += 1
                visited.append(target)
                let response = try await browser.get(target)
                switch response.status.code {
                case 200:
                    let type = response.headers.contentType?.subType ?? ""
                    guard type == "html" else { continue }
                    for next in Self.targets(in: response.body.string) where !seen.contains(next) {
                        seen.insert(next)
                        referrer[next] = target
                        queue.append(next)
                    }
                case 300..<400:
                    let location = response.headers.first(name: .location) ?? ""
                    if location.hasPrefix("/"), !seen.contains(location) {
                        seen.insert(location)
                        referrer[location] = target
                        queue.append(location)
                    }
                default:
                    failures.append("\(target) (linked from \(referrer[target] ?? "the start")) answered \(response.status.code)")
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            // The walk reached every part of the site, so an empty failure list means something.
            for expected in ["/innovations/", "/toolkits", "/blog/", "/events", "/admin/content/", "/admin/media",
                             "/admin/vocabularies/", "/admin/calls", "/admin/newsletter", "/admin/awards", "/admin/pages",
                             "/admin/accounts/", "/admin/audit", "/data", "/api", "/newsletter", "/search?", "/tags/", "/contact"] {
                #expect(visited.contains { $0.hasPrefix(expected) }, "the walk never reached \(expected)")
            }
            #expect(visited.count > 120)
        }
    }
}
