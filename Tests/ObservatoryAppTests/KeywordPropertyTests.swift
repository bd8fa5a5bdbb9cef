import Foundation
import ObservatoryCore
import PropertyBased
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Any keywords at all, on every endpoint that searches, on both databases: results or a clear
/// 400 that says what to change, never a 500 from a full-text query the database cannot read.
@Suite("Keywords into full-text queries")
struct KeywordPropertyTests {
    /// Pieces of hostile keywords: engine operators of FTS5 and tsquery, quotes of every kind,
    /// scripts whose letters join a following quote into one character, combining marks,
    /// controls, invisible and right-to-left characters, and ordinary words.
    static let pieces: [String] = [
        "health", "open", "data", "budget", "e-government", "citizen's", "\"", "'", "“", "”", "„", "’", "*", ":", "(", ")", "-", "^",
        "NEAR", "NEAR(", "AND", "OR", "NOT", "&", "|", "!", "<->", "<2>", "\\", "{", "}", "[", "]", "+", ".", ",", ";", "title:", "%", "_",
        "\u{0D4E}", "\u{0301}", "\u{200B}", "\u{200D}", "\u{202E}", "\u{FEFF}", "\u{0}", "\r", "\n", "\t", " ", "  ", "🧪", "مرحبا", "東京",
        "İ", "ß", "ﬁ", "Ω", "\u{1F1EB}\u{1F1F7}", "a\u{0308}", "0", "9223372036854775807",
    ]

    /// Half the time a run of pieces, half the time random scalars of the Basic Multilingual
    /// Plane (without surrogates).
    static let keywords = Generator<String, Shrink.None<String>> { rng in
        if Bool.random(using: &rng) {
            let count = Int.random(in: 1...12, using: &rng)
            return (0..<count).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
        }
        let count = Int.random(in: 1...20, using: &rng)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<count {
            if let scalar = Unicode.Scalar(UInt32.random(in: 0...0xD7FF, using: &rng)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static func encode(_ text: String) -> String {
        text.utf8.map { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }

    @Test(arguments: TestDatabase.allCases)
    func anyKeywordsGiveResultsOrAClearRefusal(_ database: TestDatabase) async throws {
        try await withApp(database) { app in
            try await app.importLines([
                importLine(type: "case_study", title: "Open data for health budgets", extra: ["fields": ["country_code": "KE"]]),
                importLine(type: "toolkit", title: "Citizen's e-government guide"),
                importLine(type: "post", title: "Budget transparency"),
            ])
            await propertyCheck(count: 120, input: Self.keywords) { keywords in
                for path in ["/search", "/innovations", "/toolkits", "/api/v1/items", "/api/v1/cases"] {
                    var response = try await app.testing().sendRequest(.GET, "\(path)?q=\(Self.encode(keywords))")
                    // Another spelling of the same search is sent to its one address (in at most two
                    // steps: never a loop).
                    var hops = 0
                    while response.status == .movedPermanently || response.status == .seeOther || response.status == .permanentRedirect,
                          let location = response.headers.first(name: .location), hops < 2 {
                        hops += 1
                        response = try await app.testing().sendRequest(.GET, location)
                    }
                    let body = response.body.string
                    #expect(response.status == .ok || response.status == .badRequest,
                            "\(path) q=\(keywords.debugDescription): \(response.status) \(body.prefix(300))")
                    if response.status == .badRequest {
                        // Too long, or holding NUL (which no database text holds): the answer says which.
                        #expect(body.contains("Keywords are limited") || body.contains("NUL character"),
                                "\(path) q=\(keywords.debugDescription): \(body.prefix(300))")
                    }
                    #expect(!body.localizedCaseInsensitiveContains("syntax error"), "\(path) q=\(keywords.debugDescription)")
                }
            }
            // Typed words still find what they name.
            #expect(try await app.testing().sendRequest(.GET, "/search?q=\(Self.encode("health\u{0D4E}\" budgets"))").status == .ok)
            #expect(try await app.testing().sendRequest(.GET, "/search?q=\(Self.encode("\"open data\""))").body.string.contains("Open data for health budgets"))
        }
    }
}
