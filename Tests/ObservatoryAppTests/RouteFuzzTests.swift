import Foundation
import ObservatoryCore
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Every route of the app's own route table, sent hostile values in every parameter the site
/// reads: huge and negative numbers, empty and 100 kB values, quotes and full-text operators,
/// control characters, CR LF, NUL, scripts whose letters join a following quote into one
/// character, and percent-escapes that are not UTF-8. A new route is covered the day it is
/// registered, a new parameter the day the code reads it.
///
/// What must hold: no answer is a 5xx, the process never traps (a trap ends the test run), and
/// the site still answers afterwards.
@Suite("Hostile input on every route")
struct RouteFuzzTests {
    /// A value as it goes into the address: `raw` is put in as written (percent-escapes that
    /// decode to invalid UTF-8), anything else is percent-encoded.
    struct Value: Sendable, CustomStringConvertible {
        let text: String
        let raw: Bool

        var encoded: String {
            if raw { return text }
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            allowed.remove(charactersIn: "\u{0}")
            return text.unicodeScalars.map { scalar in
                scalar.isASCII && allowed.contains(scalar) ? String(scalar)
                    : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
            }.joined()
        }

        var description: String { raw ? text : String(text.prefix(40)).debugDescription + (text.count > 40 ? "…(\(text.count))" : "") }
    }

    static let hostile: [Value] = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999999", "-1", "0", "1e308", "",
        String(repeating: "a", count: 100_000), "\"", "' OR 1=1 --", "NEAR(a b) title:x* a AND (", "!a & b | c <-> d \\ {a}",
        "\u{0D4E}\"", "\u{0D4E}'", "e\u{301}\u{301}\u{301}\u{202E}\u{200B}مرحبا🧪", "\u{0}", "a\r\r\nb", "\u{1}\u{7F}\u{9F}",
        "\t/evil.example", "//evil.example", "<script>alert(1)</script>", "../../etc/passwd", "2026-02-30", "9999-12-31T23:59",
    ].map { Value(text: $0, raw: false) } + [
        "%FF%FE", "%C3%28", "%E0%B5%8E%22", "%ED%A0%80", "%00", "a%",
    ].map { Value(text: $0, raw: true) }

    /// The values sent to each query parameter alone (the rest go to all parameters at once):
    /// a number past `Int`, and text with a quote joined to a letter, operators and bad UTF-8.
    static let perParameter: [Value] = [
        Value(text: "9223372036854775807", raw: false),
        Value(text: "%E0%B5%8E%22'*:%FF" + String(repeating: "x", count: 300), raw: true),
    ]

    /// Every parameter name the code reads from a query string or a form: found in the
    /// sources (`query.get(…, at: "name")`, `formValue("name")`, `first("name")`,
    /// `values("name")`, `case "name":` in the query parsers) and in the facet definitions.
    static func parameterNames() throws -> (query: [String], form: [String]) {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        var query: Set<String> = [], form: Set<String> = []
        let queryPatterns = [#"at: "([a-z_]+)""#, #"first\("([a-z_]+)"\)"#, #"values\("([a-z_]+)"\)"#, #"case "([a-z_]+)":"#, #"name == "([a-z_]+)""#]
        let formPatterns = [#"formValue\("([a-z_]+)"\)"#, #"values\["([a-z_]+)"\]"#, #"name: "([a-z_]+)""#]
        func scan(_ patterns: [String], _ text: String, into names: inout Set<String>) throws {
            for pattern in patterns {
                let expression = try NSRegularExpression(pattern: pattern)
                for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text) { names.insert(String(text[range])) }
                }
            }
        }
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", !file.path.contains("/Sample/"), !file.path.contains("/Localization/"),
                  !file.path.contains("/ObservatoryImages/")
            else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            try scan(queryPatterns, text, into: &query)
            try scan(formPatterns, text, into: &form)
        }
        query.formUnion(CaseFacet.allCases.map(\.rawValue) + ToolkitFacet.allCases.map(\.rawValue))
        query.formUnion(["page", "q", "type", "sort", "per_page", "from", "to", "view", "cursor", "limit", "when", "c", "url", "next",
                         "token", "done", "bom", "format", "status", "role", "call"])
        form.formUnion(["email", "password", "name", "title", "body", "next", "back", "revision", "token", "slug", "q"])
        #expect(query.count > 30, "the source scan found only \(query.count) query parameter names")
        #expect(form.count > 30, "the source scan found only \(form.count) form field names")
        return (query.sorted(), form.union(query).sorted())
    }

    /// Requests that would end the fuzzing browser's own session.
    static let skipped: Set<String> = ["POST /account/sign-out"]

    @Test(arguments: TestDatabase.allCases)
    func everyRouteSurvivesHostileInput(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            _ = try await ObservatoryDatabase.loadSampleContentIfEmpty(app, count: 80)
            let admin = try await app.makeAccount("fuzz-admin@example.org", role: .admin)
            let browser = try await app.browser(signedInAs: admin)
            let names = try Self.parameterNames()
            var failures: [String: (count: Int, example: String)] = [:]
            var sent = 0
            // The form token of the session, read again for each route (a form may start a new session).
            var token: String?

            /// Sends one request; its status.
            @discardableResult
            func send(_ method: HTTPMethod, _ path: String, pattern: String, form: [(String, Value)] = []) async throws -> HTTPStatus {
                sent += 1
                let response: TestingHTTPResponse
                if method == .GET || method == .HEAD {
                    response = try await browser.request(method, path)
                } else {
                    if token == nil { token = try await browser.csrfToken() }
                    let body = ([(CSRFProtection.fieldName, Value(text: token ?? "", raw: false))] + form)
                        .map { "\($0.0)=\($0.1.encoded)" }.joined(separator: "&")
                    response = try await browser.request(method, path, body: ByteBuffer(string: body), contentType: .urlEncodedForm)
                }
                // oEmbed answers 501 for a format it does not offer, as its specification requires.
                let specified = pattern == "GET /oembed" && response.status == .notImplemented
                if response.status.code >= 500, !specified {
                    let example = "\(method) \(String(path.prefix(200))) → \(response.status.code)"
                    failures["\(pattern) → \(response.status.code)", default: (0, example)].count += 1
                }
                return response.status
            }

            for route in app.routes.all {
                let pattern = "\(route.method) /" + route.path.map(\.description).joined(separator: "/")
                guard !Self.skipped.contains(pattern) else { continue }
                token = nil
                let parameters = route.path.enumerated().filter {
                    if case .constant = $0.element { return false }
                    return true
                }
                func path(_ value: Value?) -> String {
                    "/" + route.path.map { component in
                        switch component {
                        case .constant(let text): text
                        default: value?.encoded ?? "1"
                        }
                    }.joined(separator: "/")
                }
                // The address itself: every path parameter hostile.
                if !parameters.isEmpty {
                    for value in Self.hostile where !value.text.isEmpty && !value.text.hasPrefix("//") {
                        try await send(route.method, path(value), pattern: pattern)
                    }
                }
                // Every parameter at once, one hostile value after another.
                let base = path(nil)
                var refused = false
                for value in Self.hostile {
                    if route.method == .GET {
                        let status = try await send(.GET, base + "?" + names.query.map { "\($0)=\(value.encoded)" }.joined(separator: "&"), pattern: pattern)
                        refused = refused || status == .badRequest
                    } else {
                        try await send(route.method, base, pattern: pattern, form: names.form.map { ($0, value) })
                    }
                }
                // Each parameter alone, where a parameter was refused: the one refused first must
                // not hide the others.
                if route.method == .GET, parameters.isEmpty, refused {
                    for name in names.query {
                        for value in Self.perParameter {
                            try await send(.GET, base + "?" + name + "=" + value.encoded, pattern: pattern)
                        }
                    }
                }
            }
            let report = failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.count) times, e.g. \($0.value.example)" }
                .joined(separator: "\n")
            #expect(failures.isEmpty, "\(failures.values.map(\.count).reduce(0, +)) of \(sent) requests answered 5xx:\n\(report)")
            #expect(sent > 3_000)
            // Still serving, and still signed in.
            #expect(try await Browser(app).get("/").status == .ok)
            #expect(try await browser.get("/admin").status == .ok)
        }
    }
}
