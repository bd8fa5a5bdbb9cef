import Foundation
import Testing
@testable import ObservatoryCore

/// The domain rules that stand between request data and a trap or an injection: page numbers,
/// return-to addresses, CSV cells, email addresses, search words, numbers from stored data and
/// image sizes.
@Suite("Hostile input: domain rules")
struct HostileInputTests {
    @Test func pageNumbersParseClampAndNeverOverflow() {
        #expect(PageNumber(parsing: "1")?.value == 1)
        #expect(PageNumber(parsing: "1000000")?.value == 1_000_000)
        for refused in ["", "0", "-1", "+2", "1000001", "9223372036854775807", "99999999999999999999", "1.5", "١٢", " 2", "2 ", "0x10"] {
            #expect(PageNumber(parsing: refused) == nil, "\(refused)")
        }
        #expect(PageNumber(clamping: .max).value == PageNumber.maximum)
        #expect(PageNumber(clamping: .min).value == 1)
        #expect(PageNumber(lenient: "9223372036854775807").value == PageNumber.maximum)
        #expect(PageNumber(lenient: "abc").value == 1)
        #expect(PageNumber(lenient: Optional<String>.none).value == 1)
        #expect(PageNumber(lenient: "7").value == 7)
        #expect(PageNumber(clamping: 3).offset(pageSize: 50) == 100)
        // The largest page times any page size fits; an impossible page size saturates.
        #expect(PageNumber(clamping: .max).offset(pageSize: 50_000) == 999_999 * 50_000)
        #expect(PageNumber(clamping: .max).offset(pageSize: .max) == .max)
        #expect(PageNumber(clamping: 5).offset(pageSize: -10) == 0)
        #expect(PageNumber.count(total: 0, pageSize: 20) == 1)
        #expect(PageNumber.count(total: 41, pageSize: 20) == 3)
        #expect(PageNumber.count(total: .max, pageSize: 1) == PageNumber.maximum)
        #expect(PageNumber.count(total: 10, pageSize: 0) == 1)
    }

    @Test func pageWindowsHoldForAnyCurrentPage() {
        let middle = PageWindow(current: 10, count: 20)
        #expect(middle.slots == [.page(1, current: false), .gap, .page(8, current: false), .page(9, current: false),
                                 .page(10, current: true), .page(11, current: false), .page(12, current: false), .gap,
                                 .page(20, current: false)])
        #expect(middle.previous == 9 && middle.next == 11)
        // Far past the end (the request that stopped the server): the last pages, no current one.
        let past = PageWindow(current: 200, count: 3)
        #expect(past.slots == [.page(1, current: false), .page(2, current: false), .page(3, current: false)])
        #expect(past.previous == 3 && past.next == nil)
        for current in [Int.min, -5, 0, 1, 2, 4, 5, 6, 1_000_000, .max] {
            for count in [0, 1, 2, 3, 7, 1_000_000, .max] {
                let window = PageWindow(current: current, count: count)
                let pages = window.slots.compactMap { slot -> Int? in
                    if case .page(let page, _) = slot { return page }
                    return nil
                }
                #expect(pages == pages.sorted() && Set(pages).count == pages.count)
                #expect(pages.allSatisfy { $0 >= 1 && $0 <= min(count, PageNumber.maximum) })
            }
        }
        #expect(PageWindow(current: 1, count: 1).slots.isEmpty)
    }

    @Test func onlyPathsOfThisSiteAreReturnAddresses() {
        for accepted in ["/", "/account", "/innovations?country=kenya&page=2", "/search?q=%22a%22", "/calls/x#y", "/%09/evil.example", "/é"] {
            #expect(LocalPath(accepted)?.value == accepted, "\(accepted)")
        }
        for refused in ["", "account", "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\\evil.example",
                        "/a\\b", "https://evil.example", " /account", "/ /evil.example", "/\u{0}", "/\u{2028}x", "/\u{202E}x",
                        "/\u{200B}/evil.example", "/" + String(repeating: "a", count: 2_000), "javascript:alert(1)"] {
            #expect(LocalPath(refused) == nil, "\(refused.debugDescription)")
        }
    }

    @Test func csvQuotesOnScalarsAndNeutralisesFormulas() {
        // CR CR LF is one Swift character: still two breaks, so the field is quoted.
        let forged = "answer\r\r\n2,forged,row"
        let record = CSV.record(["1", forged, "x"])
        #expect(record == "1,\"answer\r\r\n2,forged,row\",x\r\n")
        #expect(CSV.parse(record) == [["1", forged, "x"]])
        for formula in ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            let line = CSV.record([formula])
            let cell = CSV.parse(line)[0][0]
            #expect(cell == "'" + formula, "\(formula.debugDescription) → \(line.debugDescription)")
        }
        #expect(CSV.record(["plain", "a,b", "say \"hi\"", ""]) == "plain,\"a,b\",\"say \"\"hi\"\"\",\r\n")
        #expect(CSV.record(["\u{0D4E}\","]) == "\"\u{0D4E}\"\",\"\r\n")
        // The open data uses the same writer.
        var bytes: [UInt8] = []
        CSV.appendField("=cmd|' /C calc'!A0", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("'="))
    }

    @Test func emailAddressesRefuseEveryControlCharacter() {
        #expect(EmailAddress("Person@Example.ORG")?.value == "Person@example.org")
        #expect(EmailAddress("  someone@example.org \n")?.value == "someone@example.org")
        #expect(EmailAddress("名前@例え.jp") != nil)
        for refused in ["a@example.org\r\nBcc: victim@example.org", "a@exam\r\nple.org", "a@example.org\rx", "a@exa\u{0}mple.org",
                        "a\u{0}@example.org", "a@example.org\u{2028}x", "a@exa\u{85}mple.org", "a@exa\u{200B}mple.org",
                        "a\u{202E}@example.org", "a b@example.org", "a@exa mple.org", "<a@example.org>", "a@example", "@example.org",
                        "a@.example.org", "a@example..org", "a@example.org.", String(repeating: "a", count: 65) + "@example.org",
                        "a@" + String(repeating: "b", count: 250) + ".org", "a@\u{0D4E}\"@example.org"] {
            #expect(EmailAddress(refused) == nil, "\(refused.debugDescription)")
        }
    }

    @Test func searchWordsNeverCarryQuotesOrOperators() {
        let joined = SearchQuery(parsing: "\u{0D4E}\" health")
        for word in joined.words {
            #expect(word.unicodeScalars.allSatisfy { SearchQuery.isWordScalar($0) }, "\(word.debugDescription)")
        }
        #expect(joined.words.contains("health"))
        for input in ["\u{0D4E}'", "a'b", "x\"y", "NEAR(a,b)", "title:x*", "a\u{301}\u{301}'", "\u{301}\"", "'\u{0D4E}'"] {
            for word in SearchQuery(parsing: input).words {
                #expect(!word.unicodeScalars.contains { "\"'*:()\\".unicodeScalars.contains($0) }, "\(input.debugDescription) → \(word.debugDescription)")
            }
        }
        #expect(SearchQuery.cleanedKeywords("  \u{FEFF}") == nil)
        #expect(SearchQuery.cleanedKeywords("\u{FEFF}budget\u{FEFF} data ") == "budget data")
        #expect(SearchQuery(parsing: "\"digital government\"").terms == [.phrase(["digital", "government"])])
        #expect(SearchQuery(parsing: "e-government").terms == [.phrase(["e", "government"])])
    }

    @Test func numbersFromStoredDataNeverTrap() {
        #expect(Int(saturating: 12.9) == 12)
        #expect(Int(saturating: -12.9) == -12)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: -.infinity) == .min)
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: 9.223372036854775807e18) == .max)
    }

    @Test func imageSizesFromHeadersNeverOverflow() {
        #expect(MediaRules.problem(kind: .png, width: 0xFFFF_FFFF, height: 0xFFFF_FFFF) == .tooManyPixels)
        #expect(MediaRules.problem(kind: .png, width: .max, height: 2) == .tooManyPixels)
        #expect(MediaRules.problem(kind: .png, width: -1, height: 10) == .tooManyPixels)
        #expect(MediaRules.problem(kind: .png, width: 4_000, height: 3_000) == nil)
        // A PNG header claiming 4294967295 × 4294967295, followed by an acTL chunk.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 8, 6, 0, 0, 0, 0, 0, 0, 0]
        png += [0, 0, 0, 8] + Array("acTL".utf8) + [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        let size = try? #require(MediaRules.dimensions(of: png))
        #expect(size?.width == 0xFFFF_FFFF)
        #expect(MediaRules.problem(kind: .png, width: size?.width ?? 0, height: size?.height ?? 0) == .tooManyPixels)
    }
}
