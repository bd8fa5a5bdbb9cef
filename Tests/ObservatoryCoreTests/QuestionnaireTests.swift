import Foundation
import Testing
@testable import ObservatoryCore

@Suite("Questionnaire engine")
struct QuestionnaireTests {
    static func rules(_ questionnaire: Questionnaire) -> QuestionnaireRules {
        QuestionnaireRules(questionnaire, knownCountry: { Countries.code($0) != nil }, knownTerm: { vocabulary, term in
            StandardVocabularies.contains(term, in: Vocabulary(vocabulary))
        })
    }

    static let caseStudy = try! Questionnaire.decode(json: ShippedQuestionnaires.caseStudy)
    static let crisis = try! Questionnaire.decode(json: ShippedQuestionnaires.crisisResponse)

    @Test func shippedQuestionnairesAreValid() throws {
        #expect(Self.caseStudy.sections.map(\.id) == ["owner", "organisation", "summary", "description", "development",
                                                      "reflections", "materials", "feedback"])
        #expect(Self.caseStudy.field("short_explanation")?.maximumLength == 500)
        #expect(Self.caseStudy.field("overview")?.maximumLength == 5_000)
        #expect(Self.caseStudy.field("what_makes_it_innovative")?.maximumLength == 1_000)
        #expect(Self.caseStudy.field("collaborations")?.maximumLength == 500)
        #expect(Self.caseStudy.field("lessons_learned")?.maximumLength == 1_000)
        #expect(Self.crisis.sections.count == 2)
        // Every field a case study is made from exists on the case-study type.
        let caseFields = Set(FieldSchemas.caseStudy.map(\.name) + ["title"])
        for field in Self.caseStudy.fields {
            if let target = field.mapsTo { #expect(caseFields.contains(target), "\(field.id) maps to \(target)") }
        }
        // A definition survives a round trip unchanged: what is stored is what was published.
        #expect(try Questionnaire.decode(json: try Self.caseStudy.encoded()) == Self.caseStudy)
    }

    @Test func badDefinitionsAreRefusedWithTheReason() {
        func definition(_ fields: String) -> String {
            #"{"key":"t","version":1,"title":"T","sections":[{"id":"s","title":"S","fields":[\#(fields)]}]}"#
        }
        let cases: [(String, String)] = [
            (#"{"id":"a","kind":"shortText","label":"A"},{"id":"a","kind":"number","label":"B"}"#, "field id “a” is used twice"),
            (#"{"id":"a","kind":"singleChoice","label":"A"}"#, "“a” has no options and no vocabulary"),
            (#"{"id":"a","kind":"shortText","label":"A","visibleWhen":{"field":"b","equals":["x"]}},{"id":"b","kind":"yesNo","label":"B"}"#,
             "“a” depends on “b”, which is not an earlier field"),
            (#"{"id":"g","kind":"group","label":"G","fields":[{"id":"f","kind":"file","label":"F"}]}"#, "group “g” needs subfields of simple kinds"),
            (#"{"id":"a b","kind":"shortText","label":"A"}"#, "field id “a b” must be letters, digits and underscores"),
        ]
        for (fields, reason) in cases {
            #expect(throws: Questionnaire.DefinitionError(reason)) { try Questionnaire.decode(json: definition(fields)) }
        }
        #expect(throws: (any Error).self) { try Questionnaire.decode(json: #"{"key":"t","version":1,"title":"T","sections":[{"id":"s","title":"S","fields":[{"id":"a","kind":"colour","label":"A"}]}]}"#) }
    }

    /// One field of each kind, in a questionnaire of its own.
    static let everyKind = try! Questionnaire.decode(json: #"""
    {"key":"kinds","version":3,"title":{"en":"Kinds","fr":"Types"},"sections":[{"id":"all","title":"All","fields":[
      {"id":"intro","kind":"guidance","label":"Read this first."},
      {"id":"name","kind":"shortText","label":"Name","required":true,"max":20},
      {"id":"story","kind":"longText","label":"Story","max":50,"min":10},
      {"id":"count","kind":"number","label":"Count","min":1,"max":10},
      {"id":"year","kind":"year","label":"Year","min":1990,"max":2030},
      {"id":"day","kind":"date","label":"Day"},
      {"id":"mail","kind":"email","label":"Mail"},
      {"id":"site","kind":"url","label":"Site"},
      {"id":"colour","kind":"singleChoice","label":"Colour","options":[{"value":"red","label":"Red"},{"value":"blue","label":{"en":"Blue","fr":"Bleu"}}]},
      {"id":"fruits","kind":"multipleChoice","label":"Fruits","min":1,"max":2,"options":[{"value":"apple","label":"Apple"},{"value":"pear","label":"Pear"},{"value":"fig","label":"Fig"}]},
      {"id":"agree","kind":"yesNo","label":"Agree?"},
      {"id":"land","kind":"country","label":"Country"},
      {"id":"sectors","kind":"terms","label":"Sectors","vocabulary":"primary_sector","max":3},
      {"id":"tags","kind":"terms","label":"Tags","vocabulary":"innovation_tag","allowOther":true},
      {"id":"photos","kind":"file","label":"Photos","max":2,"accept":["image/png"]},
      {"id":"links","kind":"group","label":"Links","max":2,"fields":[{"id":"url","kind":"url","label":"URL","required":true},{"id":"note","kind":"shortText","label":"Note","max":5}]}
    ]}]}
    """#)

    func problems(_ answers: Answers, attachments: [String: Int] = [:]) -> [String: String] {
        Self.rules(Self.everyKind).problems(in: Self.everyKind.sections[0], answers: answers, attachments: attachments).mapValues(\.key)
    }

    @Test func everyKindAcceptsGoodAnswers() {
        let answers: Answers = [
            "name": .text("Ana"), "story": .text("Once upon a time."), "count": .text("10"), "year": .text("1990"),
            "day": .text("2024-02-29"), "mail": .text("ana@example.org"), "site": .text("https://example.org/x"),
            "colour": .text("blue"), "fruits": .list(["apple", "fig"]), "agree": .text("no"), "land": .text("KE"),
            "sectors": .list(["Health", "Education"]), "tags": .list(["Open data", "My own tag"]),
            "links": .rows([["url": "https://video.example/1", "note": "short"]]),
        ]
        #expect(problems(answers, attachments: ["photos": 2]) == [:])
        #expect(Self.everyKind.title.text("fr") == "Types" && Self.everyKind.title.text("es") == "Kinds")
    }

    @Test func everyKindRefusesBadAnswers() {
        let answers: Answers = [
            "name": .text(String(repeating: "n", count: 21)), "story": .text("Too short"), "count": .text("11"), "year": .text("1989.5"),
            "day": .text("2023-02-29"), "mail": .text("ana@"), "site": .text("javascript:alert(1)"), "colour": .text("green"),
            "fruits": .list(["apple", "pear", "fig"]), "agree": .text("maybe"), "land": .text("XX"),
            "sectors": .list(["Health", "Astrology"]), "tags": .list([String(repeating: "t", count: 201)]),
            "links": .rows([["url": "not a link", "note": "far too long"], ["url": "https://a.example"], ["url": "https://b.example"]]),
        ]
        #expect(problems(answers, attachments: ["photos": 3]) == [
            "name": "answer.tooLong", "story": "answer.tooShort", "count": "answer.range", "year": "answer.year",
            "day": "answer.date", "mail": "answer.email", "site": "answer.url", "colour": "answer.notAnOption",
            "fruits": "answer.tooMany", "agree": "answer.notAnOption", "land": "answer.country", "sectors": "answer.notAnOption",
            "tags": "answer.tooLong", "photos": "answer.tooMany", "links": "answer.tooMany",
            "links.0.url": "answer.url", "links.0.note": "answer.tooLong",
        ])
        let long = Self.rules(Self.everyKind).problems(in: Self.everyKind.sections[0], answers: ["name": .text(String(repeating: "é", count: 25))])
        #expect(long["name"] == AnswerProblem("answer.tooLong", ["max": "20", "count": "25"]))
        #expect(problems(["count": .text("0")])["count"] == "answer.range")
        #expect(problems(["count": .text("ten")])["count"] == "answer.number")
        #expect(problems(["fruits": .list([])]) == ["name": "answer.required"], "an empty optional multiple choice is fine; min applies to answers given")
    }

    @Test func requiredAnswersAndConditionalVisibility() {
        let rules = Self.rules(Self.caseStudy)
        let owner = Self.caseStudy.section("owner")!
        // Not a public employee: the official's name and address are asked, and required.
        var answers: Answers = ["public_employee": .text("no"), "your_name": .text("Ana"), "your_email": .text("ana@example.org")]
        #expect(rules.problems(in: owner, answers: answers).mapValues(\.key) == ["official_name": "answer.required", "official_email": "answer.required"])
        #expect(rules.isVisible(Self.caseStudy.field("official_name")!, in: answers))
        // A public employee: those questions are hidden, so not required, and their answers are not kept.
        answers["public_employee"] = .text("yes")
        answers["official_name"] = .text("Kept from before")
        #expect(rules.problems(in: owner, answers: answers).isEmpty)
        #expect(rules.visibleAnswers(answers)["official_name"] == nil)
        #expect(rules.visibleAnswers(answers)["your_name"] == .text("Ana"))
        // Nothing answered: every required question of the section is named.
        #expect(Set(rules.problems(in: owner, answers: [:]).keys) == ["public_employee", "your_name", "your_email"])
        // "Other" level of government asks which.
        let organisation = Self.caseStudy.section("organisation")!
        let base: Answers = ["organisation_name": .text("City"), "country": .text("FR"), "primary_sectors": .list(["Health"])]
        #expect(rules.problems(in: organisation, answers: base.merging(["level_of_government": .text("Local government")]) { $1 }).isEmpty)
        #expect(rules.problems(in: organisation, answers: base.merging(["level_of_government": .text("Other")]) { $1 }).mapValues(\.key)
                == ["level_of_government_other": "answer.required"])
        // Whole questionnaire: problems grouped by section.
        #expect(Set(rules.problems(in: [:]).keys) == ["owner", "organisation", "summary", "description", "development", "reflections"])
    }

    @Test func formFieldsBecomeAnswers() {
        let section = Self.everyKind.sections[0]
        let pairs: [(name: String, value: String)] = [
            ("q.name", "  Ana  "), ("q.story", "Line one\r\nLine two"), ("q.fruits", "apple"), ("q.fruits", "fig"), ("q.fruits", "apple"),
            ("q.links.1.url", "https://b.example"), ("q.links.0.url", "https://a.example"), ("q.links.0.note", "first"),
            ("q.links.2.url", ""), ("q.links.2.note", " "), ("q.links.0.evil", "dropped"), ("csrf_token", "x"), ("q.unknown", "dropped"),
        ]
        let answers = QuestionnaireForm.answers(from: pairs, section: section)
        #expect(answers["name"] == .text("Ana"))
        #expect(answers["story"] == .text("Line one\nLine two"))
        #expect(answers["fruits"] == .list(["apple", "fig"]))
        #expect(answers["links"] == .rows([["url": "https://a.example", "note": "first"], ["url": "https://b.example"]]))
        #expect(answers["unknown"] == nil && answers["intro"] == nil && answers["photos"] == nil)
        #expect(answers["count"] == .text(""))
        #expect(AnswersCoding.decode(AnswersCoding.encode(answers)) == answers)
    }
}

@Suite("Submission workflow")
struct SubmissionWorkflowTests {
    @Test func everyTransitionIsTheTableAndEveryOtherIsRefused() throws {
        let allowed: Set<String> = [
            "draft submit submitter", "changes_requested submit submitter", "submitted withdraw submitter",
            "submitted start_review editor", "submitted request_changes editor", "in_review request_changes editor",
            "submitted publish editor", "in_review publish editor", "submitted decline editor", "in_review decline editor",
            "submitted reject editor", "in_review reject editor",
            "draft mark_for_deletion submitter", "changes_requested mark_for_deletion submitter",
            "reviewed_not_published mark_for_deletion submitter", "rejected mark_for_deletion submitter",
            "draft mark_for_deletion editor", "changes_requested mark_for_deletion editor",
            "reviewed_not_published mark_for_deletion editor", "rejected mark_for_deletion editor",
            "pending_deletion restore editor",
        ]
        var seen = Set<String>()
        for status in SubmissionStatus.allCases {
            for action in SubmissionAction.allCases {
                for (actor, name) in [(SubmissionWorkflow.Actor.submitter, "submitter"), (.editor, "editor")] {
                    let key = "\(status.rawValue) \(action.rawValue) \(name)"
                    do {
                        _ = try SubmissionWorkflow.next(from: status, action, by: actor, message: "A message")
                        seen.insert(key)
                    } catch let refusal as SubmissionWorkflow.Refusal {
                        #expect(refusal == .notAllowed(from: status, action: action))
                    }
                }
            }
        }
        #expect(seen == allowed)
        #expect(try SubmissionWorkflow.next(from: .changesRequested, .submit, by: .submitter) == .submitted)
        #expect(try SubmissionWorkflow.next(from: .inReview, .publish, by: .editor) == .published)
        #expect(throws: SubmissionWorkflow.Refusal.messageRequired) {
            try SubmissionWorkflow.next(from: .inReview, .requestChanges, by: .editor, message: "  ")
        }
        #expect(SubmissionWorkflow.actions(from: .submitted, by: .editor) == [.startReview, .requestChanges, .publish, .decline, .reject])
        #expect(!SubmissionStatus.published.isEditableBySubmitter && SubmissionStatus.changesRequested.isEditableBySubmitter)
    }
}

@Suite("Call deadlines")
struct CallScheduleTests {
    /// The instant of a wall-clock time in a zone.
    static func instant(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0, in zone: String) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
        return Int64(date.timeIntervalSince1970)
    }

    @Test(arguments: ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"])
    func oneSecondBeforeIsOnTimeOneSecondAfterIsLate(_ zone: String) {
        let closes = Self.instant(2026, 9, 22, 23, 59, in: zone)
        let schedule = CallSchedule(opensAt: closes - 30 * 86_400, closesAt: closes)
        #expect(schedule.phase(at: closes - 1) == .open)
        #expect(schedule.phase(at: closes) == .closed)
        #expect(schedule.phase(at: closes + 1) == .closed)
        #expect(schedule.phase(at: closes - 30 * 86_400 - 1) == .upcoming)
        #expect(schedule.phase(at: closes - 30 * 86_400) == .open)
    }

    @Test func deadlinesOnDaylightSavingDays() {
        // Paris moves from UTC+2 to UTC+1 at 03:00 on 25 October 2026; New York from -4 to -5 on 1 November.
        let paris = Self.instant(2026, 10, 25, 23, 59, in: "Europe/Paris")
        #expect(paris == Self.instant(2026, 10, 25, 22, 59, in: "UTC"), "after the change Paris is UTC+1")
        let parisBefore = Self.instant(2026, 10, 24, 23, 59, in: "Europe/Paris")
        #expect(paris - parisBefore == 25 * 3_600, "that day has 25 hours")
        let newYork = Self.instant(2026, 3, 8, 12, 0, in: "America/New_York")
        #expect(newYork == Self.instant(2026, 3, 8, 16, 0, in: "UTC"), "after the spring change New York is UTC-4")
        for closes in [paris, newYork] {
            let schedule = CallSchedule(opensAt: nil, closesAt: closes)
            #expect(schedule.phase(at: closes - 1) == .open && schedule.phase(at: closes + 1) == .closed)
        }
    }
}
