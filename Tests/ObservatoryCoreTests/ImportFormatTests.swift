import Testing
@testable import ObservatoryCore

@Suite("Import format")
struct ImportFormatTests {
    @Test func parsesEveryTypesFields() throws {
        let line = #"{"id":7,"type":"call","title":"Call for Proposals","slug":"call-for-proposals","body":"Text","excerpt":"Short.","published_at":"2018-01-17T23:24:27Z","country":["Canada"],"sector":["Culture"],"facet":["Adaptive"],"tags":["automation"],"author":"Amara Okafor","fields":{"audience":"Researchers","opens_at":"2018-01-22T12:00:00-05:00","closes_at":"2018-04-12T17:00:00-04:00","timezone":"America/Toronto","criteria":["One.","Two."],"languages":["en","fr"]}}"#
        let record = try ImportFormat.parse(line: Substring(line)).get()
        #expect(record.type == .call)
        #expect(record.slug == "call-for-proposals")
        #expect(record.authors == ["Amara Okafor"])
        #expect(record.terms[.country] == ["Canada"])
        #expect(record.terms[.innovationFacet] == ["Adaptive"])
        #expect(record.fields["audience"] == .terms(["Researchers"]))
        #expect(record.fields["closes_at"] == .dateTime(ZonedTimestamp(rfc3339: "2018-04-12T17:00:00-04:00")!))
        #expect(record.fields["languages"] == .texts(["en", "fr"]))
        #expect(record.status == .published)
    }

    @Test(arguments: [
        (#"{"type":"post","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"colour":"red"}}"#, "unknown field “colour” for type post"),
        (#"{"type":"case_study","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"year_launched":1800}}"#, "field “year_launched” must be a year 1950–2100"),
        (#"{"type":"case_study","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"website":"javascript:alert(1)"}}"#, "field “website” must be a http(s) URL"),
        (#"{"type":"event","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"timezone":"Mars/Base"}}"#, "field “timezone” must be a IANA time zone"),
        (#"{"type":"case_study","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"video_urls":["https://video.example/1","data:text/html,x"]}}"#, "field “video_urls” must be a list of http(s) URLs"),
        (#"{"type":"case_study","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"anything_else":"\#(String(repeating: "a", count: 1001))"}}"#, "field “anything_else” is longer than 1000 characters"),
        (#"{"type":"post","title":"x"}"#, "“published_at” is missing"),
        (#"{"type":"post","title":"x","published_at":"2020-01-01T00:00:00Z","slug":"Not A Slug"}"#, "slug “Not A Slug” may only contain a-z, 0-9 and single hyphens"),
        (#"{"type":"post","title":"x","published_at":"2020-01-01T00:00:00Z","status":"live"}"#, "unknown status “live” (valid: draft, scheduled, published, unpublished)"),
        (#"{"type":"post","title":"x","published_at":"2020-01-01T00:00:00Z","colour":1}"#, "unknown key “colour”"),
        (#"[1,2]"#, "not a JSON object"),
    ])
    func reportsProblems(_ line: String, _ message: String) {
        switch ImportFormat.parse(line: Substring(line)) {
        case .success: Issue.record("accepted: \(line)")
        case .failure(let problem): #expect(problem.message() == message)
        }
    }

    @Test func readsTheWholeCaseQuestionnaire() throws {
        let line = #"{"type":"case_study","title":"x","published_at":"2020-01-01T00:00:00Z","fields":{"level_of_government":"Other","level_of_government_other":"Inter-municipal body","anything_else":"Thanks.","related_url":"https://example.org/report","video_urls":["https://video.example/1","https://video.example/2"]}}"#
        let record = try ImportFormat.parse(line: Substring(line)).get()
        #expect(record.fields["level_of_government"] == .terms(["Other"]))
        #expect(record.fields["level_of_government_other"] == .text("Inter-municipal body"))
        #expect(record.fields["anything_else"] == .text("Thanks."))
        #expect(record.fields["related_url"] == .text("https://example.org/report"))
        #expect(record.fields["video_urls"] == .texts(["https://video.example/1", "https://video.example/2"]))
    }

    @Test func draftsNeedNoPublicationTime() throws {
        let record = try ImportFormat.parse(line: #"{"type":"news","title":"Soon","status":"draft"}"#).get()
        #expect(record.status == .draft)
        #expect(record.publishedAt == nil)
        #expect(record.slug == "soon")
    }

    @Test func fingerprintSourceIsStable() throws {
        let a = try ImportFormat.parse(line: #"{"type":"post","title":"A","published_at":"2020-01-01T00:00:00Z","tags":["x","y"],"country":["Kenya"]}"#).get()
        let b = try ImportFormat.parse(line: #"{"country":["Kenya"],"tags":["x","y"],"published_at":"2020-01-01T00:00:00Z","title":"A","type":"post"}"#).get()
        #expect(a.canonicalDescription == b.canonicalDescription)
        var c = a
        c.terms[.tag] = ["y", "x"]
        #expect(a.canonicalDescription != c.canonicalDescription)
    }
}

@Suite("Localisation")
struct LocalizationTests {
    @Test func everyTypeVocabularyAndFieldHasEnglishText() {
        for type in ContentType.allCases {
            #expect(Localizer.hasText(for: type.singularKey), "\(type.singularKey)")
            #expect(Localizer.hasText(for: type.pluralKey), "\(type.pluralKey)")
            for field in type.fields {
                #expect(Localizer.hasText(for: field.labelKey), "\(field.labelKey)")
                if let vocabulary = field.vocabulary {
                    #expect(Localizer.hasText(for: vocabulary.labelKey), "\(vocabulary.labelKey)")
                }
            }
        }
        for month in 1...12 { #expect(Localizer.hasText(for: L10nKey("month.\(month)"))) }
    }

    @Test func placeholdersAndFallback() {
        let french = Localizer(language: "fr-CA")
        #expect(french.language == "en")
        #expect(Localizer.english("pager.page", ["page": "3"]) == "Page 3")
        #expect(Localizer.english(L10nKey("no.such.key")) == "no.such.key")
        #expect(Localizer(language: "en").direction == "ltr")
    }
}
