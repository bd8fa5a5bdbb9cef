import Foundation
import Testing
@testable import ObservatoryCore

/// Parsed sample lines shared by the tests (made once).
private enum Fixture {
    static let lines: [String] = Array(SampleContent().lines(count: 2000))
    // Parsed once and never mutated; Foundation's parsed values are immutable.
    nonisolated(unsafe) static let items: [[String: Any]] = lines.map { parse($0) ?? [:] }
    nonisolated(unsafe) static let first200: [[String: Any]] = Array(items.prefix(200))

    static func parse(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The object as JSON with sorted keys, for comparing parsed lines whatever their key order.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func items(of type: ContentType) -> [[String: Any]] {
        items.filter { $0["type"] as? String == type.rawValue }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`.
    static func date(_ text: String?) -> Date? {
        guard let text, text.count == 20 || text.count == 25, let offset = offset(text) else { return nil }
        let characters = Array(text)
        func number(_ range: ClosedRange<Int>) -> Int? { Int(String(characters[range])) }
        guard characters[4] == "-", characters[7] == "-", characters[10] == "T", characters[13] == ":", characters[16] == ":",
              let year = number(0...3), let month = number(5...6), let day = number(8...9),
              let hour = number(11...12), let minute = number(14...15), let second = number(17...18),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CalendarDate.daysSince1970(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(local - offset))
    }

    /// The UTC offset written at the end of an RFC 3339 time, in seconds.
    static func offset(_ text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        let suffix = Array(text.suffix(6))
        guard suffix.count == 6, suffix[0] == "+" || suffix[0] == "-", suffix[3] == ":",
              let hours = Int(String(suffix[1...2])), let minutes = Int(String(suffix[4...5]))
        else { return nil }
        return (hours * 3600 + minutes * 60) * (suffix[0] == "-" ? -1 : 1)
    }

    /// Hour and minute of the local time written in an RFC 3339 string.
    static func localMinute(_ text: String) -> Int? {
        let characters = Array(text)
        guard characters.count >= 16, let hour = Int(String(characters[11...12])), let minute = Int(String(characters[14...15]))
        else { return nil }
        return hour * 60 + minute
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
            && !text.hasPrefix("-") && !text.hasSuffix("-")
    }

    static func words(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.contains { $0.isLetter || $0.isNumber } }.count
    }
}

@Suite struct SampleContentTests {
    static let keyOrder = [
        "id", "type", "title", "slug", "body", "excerpt", "published_at", "country", "sector", "facet", "tags", "author", "featured", "fields",
    ]

    @Test func everyLineIsAJSONObjectWithTheRequiredKeys() throws {
        for (position, line) in Fixture.lines.enumerated() {
            #expect(!line.contains("\n"))
            let object = try #require(Fixture.parse(line), "line \(position + 1) is not a JSON object")
            let keys = Set(object.keys)
            #expect(keys.isSubset(of: Set(Self.keyOrder)), "unexpected keys \(keys)")
            #expect(keys.union(["excerpt", "featured"]) == Set(Self.keyOrder))

            #expect(object["id"] as? Int == position + 1)
            #expect(line.hasPrefix("{\"id\":\(position + 1),\"type\":"))
            let type = try #require(ContentType(rawValue: object["type"] as? String ?? ""))
            let title = try #require(object["title"] as? String)
            #expect((3...12).contains(title.split(separator: " ").count), "\(title)")
            #expect(title.first.map { $0.isUppercase || $0.isNumber } == true, "\(title)")
            #expect(Fixture.isSlug(try #require(object["slug"] as? String)))
            #expect(!(try #require(object["body"] as? String)).isEmpty)
            if let excerpt = object["excerpt"] { #expect(excerpt is String) }
            let published = try #require(object["published_at"] as? String)
            #expect(published.count == 20 && published.hasSuffix("Z"))
            let date = try #require(Fixture.date(published))
            #expect(date >= Fixture.date("2015-01-01T00:00:00Z")! && date <= Fixture.date("2026-10-31T23:59:59Z")!)
            let countries = try #require(object["country"] as? [String])
            #expect((1...3).contains(countries.count) && Set(countries).count == countries.count)
            let sectors = try #require(object["sector"] as? [String])
            #expect((1...2).contains(sectors.count))
            let facets = try #require(object["facet"] as? [String])
            #expect((1...2).contains(facets.count))
            let tags = try #require(object["tags"] as? [String])
            #expect((1...6).contains(tags.count) && tags.allSatisfy(Fixture.isSlug) && Set(tags).count == tags.count)
            #expect(!(try #require(object["author"] as? String)).isEmpty)
            let fields = try #require(object["fields"] as? [String: Any])
            #expect(Set(fields.keys) == Set(type.fields.map(\.name)), "fields of \(type.rawValue)")
        }
    }

    @Test func keysAreWrittenInOrderWithoutSpaces() throws {
        for line in Fixture.lines.prefix(300) {
            #expect(line.hasPrefix("{\"id\":"))
            var position = line.startIndex
            for key in Self.keyOrder {
                guard let range = line.range(of: "\"\(key)\":", range: position..<line.endIndex) else {
                    #expect(key == "excerpt" || key == "featured", "missing \(key)")
                    continue
                }
                position = range.upperBound
            }
            #expect(!line.contains("\": ") && !line.contains(", \""))
        }
    }

    @Test func allSevenTypesAppearInTwoHundredItems() {
        let types = Set(Fixture.first200.compactMap { $0["type"] as? String })
        #expect(types == Set(ContentType.allCases.map(\.rawValue)))
    }

    @Test func typeMixIsRoughlyAsPlanned() {
        let expected: [ContentType: Double] = [
            .post: 0.35, .caseStudy: 0.25, .toolkit: 0.10, .event: 0.10, .call: 0.05, .publication: 0.08, .news: 0.07,
        ]
        for (type, share) in expected {
            let actual = Double(Fixture.items(of: type).count) / Double(Fixture.items.count)
            #expect(abs(actual - share) < 0.03, "\(type.rawValue): \(actual)")
        }
    }

    @Test func slugsAreUniqueAndWellFormed() {
        let slugs = Fixture.items.compactMap { $0["slug"] as? String }
        #expect(slugs.count == Fixture.items.count)
        #expect(Set(slugs).count == slugs.count)
        #expect(slugs.allSatisfy(Fixture.isSlug))
        #expect(slugs.allSatisfy { $0.count <= 86 })
        // Duplicated titles exist in 2,000 items and got suffixes.
        #expect(slugs.contains { $0.hasSuffix("-2") })
    }

    @Test func sameSeedSameOutput() {
        let again = Array(SampleContent(seed: 1).lines(count: 300))
        #expect(again == Array(Fixture.lines.prefix(300)))
        let other = Array(SampleContent(seed: 2).lines(count: 300))
        #expect(other != again)
        #expect(Array(SampleContent(seed: 7).lines(count: 20)) == Array(SampleContent(seed: 7).lines(count: 40).prefix(20)))
        #expect(SampleContent().item(17) == SampleContent(seed: 1).item(17))
    }

    @Test func itemEqualsTheLineAtItsIndex() throws {
        let content = SampleContent()
        var disambiguated = 0
        for index in 1...Fixture.lines.count {
            let single = content.item(index)
            let line = Fixture.lines[index - 1]
            if single == line { continue }
            // Only the slug may differ: the stream adds -2, -3 … to a slug used earlier.
            var left = try #require(Fixture.parse(single))
            var right = try #require(Fixture.parse(line))
            let base = try #require(left.removeValue(forKey: "slug") as? String)
            let suffixed = try #require(right.removeValue(forKey: "slug") as? String)
            #expect(suffixed.hasPrefix(base + "-"))
            #expect(try Fixture.canonical(left) == Fixture.canonical(right))
            disambiguated += 1
        }
        #expect(disambiguated > 0 && disambiguated < Fixture.lines.count / 4)
    }

    @Test func choiceValuesBelongToTheirVocabularies() throws {
        for object in Fixture.items {
            let type = try #require(ContentType(rawValue: object["type"] as? String ?? ""))
            for (key, vocabulary) in [("country", Vocabulary.country), ("sector", .sector), ("facet", .innovationFacet)] {
                for term in object[key] as? [String] ?? [] {
                    #expect(StandardVocabularies.terms(of: vocabulary).contains(term), "\(key): \(term)")
                }
            }
            let fields = try #require(object["fields"] as? [String: Any])
            for field in type.fields {
                guard let vocabulary = field.vocabulary else { continue }
                let terms = StandardVocabularies.terms(of: vocabulary)
                switch field.kind {
                case .choice:
                    let value = try #require(fields[field.name] as? String)
                    #expect(terms.contains(value), "\(field.name): \(value)")
                case .multipleChoice:
                    let values = try #require(fields[field.name] as? [String])
                    #expect(Set(values).count == values.count)
                    for value in values { #expect(terms.contains(value), "\(field.name): \(value)") }
                default:
                    Issue.record("unexpected kind for \(field.name)")
                }
            }
        }
    }

    @Test func caseStudiesAnswerTheQuestionnaire() throws {
        let cases = Fixture.items(of: .caseStudy)
        #expect(cases.count > 300)
        let stages = StandardVocabularies.innovationStatuses
        var recognised = 0
        var withoutWebsite = 0
        for object in cases {
            let fields = try #require(object["fields"] as? [String: Any])
            let countries = try #require(object["country"] as? [String])
            #expect(fields["country_code"] as? String == Countries.named(countries[0])?.alpha2)
            let statuses = try #require(fields["innovation_status"] as? [String])
            let positions = statuses.compactMap { stages.firstIndex(of: $0) }
            #expect((1...3).contains(positions.count))
            #expect(zip(positions, positions.dropFirst()).allSatisfy { $1 == $0 + 1 }, "\(statuses)")
            let primary = try #require(fields["primary_sectors"] as? [String])
            #expect((1...3).contains(primary.count))
            #expect((1...4).contains((fields["innovation_tags"] as? [String])?.count ?? 0))
            let published = try #require(object["published_at"] as? String)
            let year = try #require(fields["year_launched"] as? Int)
            #expect(year >= 2003 && year <= Int(published.prefix(4))!)
            #expect(fields["innovation_facets"] as? [String] == object["facet"] as? [String])
            if let website = fields["website"] as? String {
                #expect(website.hasPrefix("https://example.org/") && Fixture.isSlug(String(website.dropFirst(20)).replacingOccurrences(of: "/", with: "-")))
            } else {
                #expect(fields["website"] is NSNull)
                withoutWebsite += 1
            }
            if !((fields["recognition"] as? [String])?.isEmpty ?? true) { recognised += 1 }
            // "Anything else" is the questionnaire's one optional reflection; the sample leaves it out.
            #expect(fields["anything_else"] is NSNull)
            for field in FieldSchemas.caseStudy where field.name != "anything_else" {
                guard case .longText(let maximum) = field.kind else { continue }
                let text = try #require(fields[field.name] as? String)
                let minimum = field.name == "overview" ? 500 : (field.name == "users_beneficiaries" ? 120 : 150)
                #expect((minimum...maximum).contains(text.count), "\(field.name): \(text.count)")
                #expect(text.hasSuffix("."), "\(field.name)")
                #expect(!text.contains("*") && !text.contains("]("), "\(field.name) is plain text")
            }
            #expect((fields["overview"] as? String)?.contains("\n\n") == true)
            #expect((fields["organisation_name"] as? String)?.isEmpty == false)
        }
        #expect(recognised > 0 && recognised < cases.count / 4)
        #expect(withoutWebsite > 0 && withoutWebsite < cases.count / 3)
    }

    @Test func toolkitsArePlausibleCatalogueEntries() throws {
        for object in Fixture.items(of: .toolkit) {
            let fields = try #require(object["fields"] as? [String: Any])
            if fields["licence"] as? String == "All rights reserved" {
                #expect(["basic", "none"].contains(fields["reuse"] as? String ?? ""))
            }
            #expect((fields["url"] as? String)?.hasPrefix("https://example.org/") == true)
            let updated = try #require(fields["last_updated"] as? String)
            let published = try #require(object["published_at"] as? String)
            #expect(updated.count == 10 && updated >= String(published.prefix(10)) && updated <= "2026-10-31")
            #expect(!(fields["publisher"] as? String ?? "").isEmpty)
        }
    }

    @Test func publicationsHavePublisherIsbnUrlAndPages() throws {
        let publications = Fixture.items(of: .publication)
        #expect(!publications.isEmpty)
        var withISBN = 0
        for object in publications {
            let fields = try #require(object["fields"] as? [String: Any])
            #expect(!(fields["publisher"] as? String ?? "").isEmpty)
            #expect((fields["url"] as? String)?.hasPrefix("https://example.org/") == true)
            let pages = try #require(fields["pages"] as? Int)
            #expect(pages > 0)
            if let isbn = fields["isbn"] as? String {
                withISBN += 1
                let digits = isbn.filter(\.isNumber).compactMap(\.wholeNumberValue)
                #expect(digits.count == 13 && isbn.hasPrefix("978-"))
                let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
                #expect(sum % 10 == 0, "ISBN check digit of \(isbn)")
            } else {
                #expect(fields["isbn"] is NSNull)
            }
        }
        #expect(withISBN > 0 && withISBN < publications.count)
    }

    @Test func eventsEndAfterTheyStartInTheirTimeZone() throws {
        let events = Fixture.items(of: .event)
        #expect(events.count > 100)
        var upcoming = 0
        for object in events {
            let fields = try #require(object["fields"] as? [String: Any])
            let startText = try #require(fields["starts_at"] as? String)
            let endText = try #require(fields["ends_at"] as? String)
            let start = try #require(Fixture.date(startText))
            let end = try #require(Fixture.date(endText))
            #expect(end > start, "\(startText) – \(endText)")
            #expect(end.timeIntervalSince(start) <= 5 * 86_400)
            let zone = try #require(TimeZone(identifier: fields["timezone"] as? String ?? ""))
            #expect(Fixture.offset(startText) == zone.secondsFromGMT(for: start), "\(startText) in \(zone.identifier)")
            #expect(Fixture.offset(endText) == zone.secondsFromGMT(for: end), "\(endText) in \(zone.identifier)")
            #expect((Fixture.localMinute(startText) ?? 0) >= 8 * 60 + 30)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            #expect(!calendar.isDateInWeekend(start), "\(startText) is on a weekend")
            let published = try #require(Fixture.date(object["published_at"] as? String))
            let lead = start.timeIntervalSince(published) / 86_400
            #expect(lead > 9 && lead < 184, "starts \(lead) days after publication")
            let countries = try #require(object["country"] as? [String])
            #expect(zone.identifier == Countries.named(countries[0])?.timeZone)
            let online = try #require(fields["online"] as? Bool)
            if let location = fields["location"] as? [String: String] {
                #expect(location["country"] == countries[0])
                #expect(!(location["city"] ?? "").isEmpty)
            } else {
                #expect(fields["location"] is NSNull)
                #expect(online, "an event with no location is online")
            }
            if (object["title"] as? String ?? "").contains("Webinar") {
                #expect(online && fields["location"] is NSNull)
            }
            let registration = try #require(fields["registration_url"] as? String)
            #expect(registration.hasPrefix("https://example.org/events/") && registration.hasSuffix("/register"))
            if startText > "2026-12" { upcoming += 1 }
        }
        #expect(upcoming >= 5, "upcoming events for the demo")
    }

    @Test func callsCloseAfterTheyOpenAndSomeAreOpenNow() throws {
        let calls = Fixture.items(of: .call)
        #expect(calls.count > 50)
        let now = Fixture.date("2026-11-26T12:00:00Z")!
        var openNow = 0
        for object in calls {
            let fields = try #require(object["fields"] as? [String: Any])
            let opensText = try #require(fields["opens_at"] as? String)
            let closesText = try #require(fields["closes_at"] as? String)
            let opens = try #require(Fixture.date(opensText))
            let closes = try #require(Fixture.date(closesText))
            #expect(closes.timeIntervalSince(opens) >= 27 * 86_400)
            let zone = try #require(TimeZone(identifier: fields["timezone"] as? String ?? ""))
            #expect(Fixture.offset(opensText) == zone.secondsFromGMT(for: opens), "\(opensText) in \(zone.identifier)")
            #expect(Fixture.offset(closesText) == zone.secondsFromGMT(for: closes), "\(closesText) in \(zone.identifier)")
            #expect((9 * 60...12 * 60).contains(Fixture.localMinute(opensText) ?? 0))
            #expect([17 * 60, 23 * 60 + 59].contains(Fixture.localMinute(closesText) ?? 0))
            let published = try #require(Fixture.date(object["published_at"] as? String))
            #expect(opens.timeIntervalSince(published) < 16 * 86_400)
            let criteria = try #require(fields["criteria"] as? [String])
            #expect((3...4).contains(criteria.count) && Set(criteria).count == criteria.count)
            let languages = try #require(fields["languages"] as? [String])
            #expect(languages.first == "en" && languages.allSatisfy { (2...3).contains($0.count) })
            if opens < now && closes > now { openNow += 1 }
        }
        #expect(openNow >= 3, "open calls for the demo")
        #expect(calls.contains { ($0["fields"] as? [String: Any])?["closes_at"] as? String ?? "" > "2027" })
    }

    @Test func knownOffsetsIncludingDaylightSaving() {
        func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ zone: String) -> String {
            SampleClock.local(day: CalendarDate.daysSince1970(year: year, month: month, day: day), minute: hour * 60 + minute, zone: zone).text
        }
        #expect(local(2022, 5, 16, 9, 0, "America/Toronto") == "2022-05-16T09:00:00-04:00")
        #expect(local(2022, 1, 17, 9, 0, "America/Toronto") == "2022-01-17T09:00:00-05:00")
        #expect(local(2022, 7, 1, 9, 0, "Europe/Paris") == "2022-07-01T09:00:00+02:00")
        #expect(local(2022, 1, 10, 9, 0, "Europe/Paris") == "2022-01-10T09:00:00+01:00")
        // The days of the changes themselves, after the change.
        #expect(local(2024, 3, 31, 9, 0, "Europe/Berlin") == "2024-03-31T09:00:00+02:00")
        #expect(local(2024, 10, 27, 9, 0, "Europe/Berlin") == "2024-10-27T09:00:00+01:00")
        #expect(local(2024, 3, 10, 9, 0, "America/New_York") == "2024-03-10T09:00:00-04:00")
        // A time inside the spring-forward gap moves on by the gap.
        #expect(local(2024, 3, 31, 2, 30, "Europe/Berlin") == "2024-03-31T03:30:00+02:00")
        #expect(local(2023, 1, 10, 23, 59, "Australia/Sydney") == "2023-01-10T23:59:00+11:00")
        #expect(local(2023, 7, 10, 17, 0, "Australia/Sydney") == "2023-07-10T17:00:00+10:00")
        #expect(local(2023, 12, 4, 9, 0, "Pacific/Auckland") == "2023-12-04T09:00:00+13:00")
        #expect(local(2023, 6, 5, 9, 0, "Asia/Kathmandu") == "2023-06-05T09:00:00+05:45")
        #expect(local(2023, 1, 9, 9, 0, "Europe/London") == "2023-01-09T09:00:00+00:00")
        #expect(local(2025, 2, 3, 8, 30, "America/Sao_Paulo") == "2025-02-03T08:30:00-03:00")
        #expect(SampleClock.utc(0) == "1970-01-01T00:00:00Z")
        #expect(SampleClock.weekday(CalendarDate.daysSince1970(year: 2026, month: 11, day: 26)) == 4)
    }

    @Test func bodiesAreMarkdownOfTheRightLength() throws {
        var links = 0, emphasis = 0, lists = 0
        for object in Fixture.items {
            let body = try #require(object["body"] as? String)
            #expect((150...600).contains(Fixture.words(body)), "\(Fixture.words(body)) words")
            #expect(body.contains("\n\n## "), "a heading")
            #expect(!body.contains("\n\n\n") && !body.hasPrefix("\n") && !body.hasSuffix("\n"))
            #expect(!body.contains("  ") && !body.contains("{") && !body.contains("}"))
            if body.contains("](https://") { links += 1 }
            if body.contains("*") { emphasis += 1 }
            if body.contains("\n- ") { lists += 1 }
        }
        #expect(links > 100 && emphasis > 100 && lists > 100)
    }

    @Test func someExcerptsAreLeftForTheSiteToDerive() throws {
        var missing = 0
        for object in Fixture.items {
            guard let excerpt = object["excerpt"] as? String, !excerpt.isEmpty else {
                missing += 1
                continue
            }
            #expect(!excerpt.contains("*") && !excerpt.contains("\n"))
            let sentences = excerpt.split(separator: ". ").filter { $0.first?.isUppercase == true }.count
            #expect((1...2).contains(sentences) && excerpt.hasSuffix("."), "\(excerpt)")
        }
        let share = Double(missing) / Double(Fixture.items.count)
        #expect(share > 0.06 && share < 0.14, "\(share)")
        #expect(Fixture.items.contains { $0["excerpt"] == nil })
        #expect(Fixture.items.contains { $0["excerpt"] as? String == "" })
    }

    @Test func nonASCIINamesStayUTF8() {
        let joined = Fixture.lines.joined()
        #expect(joined.unicodeScalars.contains { $0.value > 0x7F })
        #expect(!joined.contains("\\u00"))
        for name in ["Københavns Kommune", "Município de São Paulo", "Ville de Montréal"] {
            #expect(SampleData.profiles.contains { $0.organisations.contains { $0.name == name } }, "\(name)")
        }
        #expect(Fixture.lines.contains { $0.contains("Montréal") || $0.contains("São Paulo") || $0.contains("Københavns") })
    }

    @Test func jsonStringsAreEscaped() throws {
        var writer = SampleJSONWriter(capacity: 64)
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} é ø 東京"
        writer.raw("[")
        writer.string(tricky)
        writer.raw("]")
        let text = writer.result
        #expect(text.contains("\\u0007") && text.contains("é ø 東京"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String])
        #expect(parsed == [tricky])
    }

    @Test func everyLineImports() throws {
        for line in Fixture.lines {
            switch ImportFormat.parse(line: Substring(line)) {
            case .success(let record):
                #expect(!record.title.isEmpty && !record.body.isEmpty)
            case .failure(let problem):
                Issue.record("\(problem.key.rawValue) \(problem.arguments): \(line.prefix(120))")
            }
        }
    }

    @Test func slugRule() {
        #expect(sampleSlug("How Estonia Rebuilt Its Permit Service") == "how-estonia-rebuilt-its-permit-service")
        #expect(sampleSlug("Kenya's Telehealth Initiative") == "kenyas-telehealth-initiative")
        #expect(sampleSlug("Município de São Paulo") == "municipio-de-sao-paulo")
        #expect(sampleSlug("Københavns Kommune") == "kobenhavns-kommune")
        #expect(sampleSlug("  A/B testing -- now! ") == "a-b-testing-now")
        let long = sampleSlug(String(repeating: "word ", count: 40))
        #expect(long.count <= 80 && !long.hasSuffix("-"))
    }
}
