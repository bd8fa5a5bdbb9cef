import Foundation
import Testing
@testable import ObservatoryCore

@Suite struct CountriesTests {
    @Test func sixtyDistinctCountries() {
        #expect(Countries.all.count == 60)
        #expect(Set(Countries.all.map(\.name)).count == 60)
        #expect(Set(Countries.all.map(\.alpha2)).count == 60)
        #expect(Set(Countries.all.map(\.slug)).count == 60)
        #expect(Countries.all.first?.name == "Kenya")
        #expect(Countries.all.last?.name == "Georgia")
    }

    @Test func lookUpByName() throws {
        let vietNam = try #require(Countries.named("Viet Nam"))
        #expect(vietNam.slug == "viet-nam")
        #expect(vietNam.alpha2 == "VN")
        #expect(vietNam.capital == "Hanoi")
        #expect(vietNam.timeZone == "Asia/Ho_Chi_Minh")
        #expect(Countries.named("New Zealand")?.slug == "new-zealand")
        #expect(Countries.named("Costa Rica")?.capital == "San José")
        #expect(Countries.named("United States")?.capital == "Washington, D.C.")
        #expect(Countries.named("Narnia") == nil)
        #expect(Countries.named("kenya") == nil)
    }

    @Test func lookUpByCode() throws {
        let kenya = try #require(Countries.code("KE"))
        #expect(kenya.name == "Kenya")
        #expect(kenya.capital == "Nairobi")
        #expect(kenya.latitude == -1.29)
        #expect(kenya.longitude == 36.82)
        #expect(Countries.code("gb")?.name == "United Kingdom")
        #expect(Countries.code("NP")?.timeZone == "Asia/Kathmandu")
        #expect(Countries.code("XX") == nil)
        #expect(Countries.code("") == nil)
        #expect(Countries.withSlug("south-africa")?.alpha2 == "ZA")
    }

    @Test func slugsFollowTheTermRule() {
        for country in Countries.all {
            #expect(country.slug.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
            #expect(!country.slug.hasPrefix("-") && !country.slug.hasSuffix("-") && !country.slug.contains("--"))
            #expect(country.slug == country.name.lowercased().replacingOccurrences(of: " ", with: "-"))
        }
        #expect(Countries.slug(for: "Côte d'Ivoire") == "c-te-divoire")
        #expect(Countries.slug(for: "  Bosnia & Herzegovina ") == "bosnia-herzegovina")
    }

    @Test func codesAndCoordinatesAreWellFormed() {
        for country in Countries.all {
            #expect(country.alpha2.count == 2 && country.alpha2.allSatisfy { ("A"..."Z").contains($0) })
            #expect((-90.0...90.0).contains(country.latitude))
            #expect((-180.0...180.0).contains(country.longitude))
            #expect(!country.capital.isEmpty)
        }
    }

    @Test func timeZonesAreKnown() throws {
        for country in Countries.all {
            #expect(TimeZone(identifier: country.timeZone) != nil, "\(country.name): \(country.timeZone)")
        }
        let nepal = try #require(Countries.code("NP"))
        let kathmandu = try #require(TimeZone(identifier: nepal.timeZone))
        #expect(kathmandu.secondsFromGMT(for: Date(timeIntervalSince1970: 1_700_000_000)) == 5 * 3600 + 45 * 60)
    }

    // MARK: Standard vocabularies

    @Test func countryVocabularyIsTheSixtyCountries() {
        #expect(StandardVocabularies.terms(of: .country) == Countries.all.map(\.name))
    }

    @Test func vocabularySizes() {
        let expected: [Vocabulary: Int] = [
            .country: 60, .sector: 16, .innovationFacet: 4, .organisationType: 6, .levelOfGovernment: 4,
            .primarySector: 13, .innovationTag: 16, .innovationStatus: 6, .recognition: 2, .licence: 6,
            .toolkitFormat: 6, .discipline: 8, .task: 6, .userType: 4, .level: 3, .reuse: 4, .audience: 9,
        ]
        for (vocabulary, count) in expected {
            let terms = StandardVocabularies.terms(of: vocabulary)
            #expect(terms.count == count, "\(vocabulary.rawValue)")
            #expect(Set(terms).count == terms.count, "duplicates in \(vocabulary.rawValue)")
            #expect(terms.allSatisfy { !$0.isEmpty && $0 == $0.trimmingCharacters(in: .whitespaces) })
        }
        #expect(Set(StandardVocabularies.seeded) == Set(expected.keys))
        #expect(StandardVocabularies.seeded.count == expected.count)
        #expect(StandardVocabularies.terms(of: .tag).isEmpty)
        #expect(!StandardVocabularies.seeded.contains(.tag))
        #expect(StandardVocabularies.terms(of: Vocabulary("no_such_vocabulary")).isEmpty)
    }

    @Test func vocabularyContents() {
        #expect(StandardVocabularies.terms(of: .reuse) == ["editable-source", "remixable", "basic", "none"])
        #expect(StandardVocabularies.terms(of: .recognition) == ["Shortlisted", "Award winner"])
        #expect(StandardVocabularies.terms(of: .innovationStatus).first == "Identifying or discovering problems or opportunities")
        #expect(StandardVocabularies.terms(of: .innovationStatus).last == "Diffusing lessons")
        #expect(StandardVocabularies.terms(of: .level) == ["Basic", "Intermediate", "Extensive"])
        #expect(StandardVocabularies.contains("Digital government", in: .sector))
        #expect(!StandardVocabularies.contains("Digital Government", in: .sector))
        #expect(StandardVocabularies.contains("City governments", in: .audience))
        #expect(StandardVocabularies.contains("Public officials, NGOs, academia and companies", in: .audience))
        #expect(StandardVocabularies.contains("Public servants", in: .audience))
    }

    @Test func choiceFieldsHaveSeededVocabularies() {
        for type in ContentType.allCases {
            for field in type.fields {
                guard let vocabulary = field.vocabulary else { continue }
                #expect(!StandardVocabularies.terms(of: vocabulary).isEmpty, "\(type.rawValue).\(field.name)")
            }
        }
    }
}
