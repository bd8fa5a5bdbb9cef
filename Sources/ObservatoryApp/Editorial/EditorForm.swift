import Foundation
import ObservatoryCore
import Vapor

/// The editor's form for any content type: which fields it has, how a record fills them,
/// and how what was posted becomes a record (through the importer's checks, so a record
/// is valid the same way whichever door it comes in by).
///
/// Field names: the record's own (`title`, `slug`, `body`…), the classification keys of the
/// import format (`country`, `sector`, `facet`, `tags`), and `field.<name>` for structured
/// fields (`field.<name>.city` and `.country` for places). Lists are typed one per line.
enum EditorForm {
    static let classification: [(key: String, label: L10nKey)] = [
        ("country", "editor.field.country"), ("sector", "editor.field.sector"), ("facet", "editor.field.facet"), ("tags", "editor.field.tags"),
    ]

    /// The last value posted under each name.
    static func posted(_ pairs: [(name: String, value: String)]) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in pairs { values[name] = value.replacingOccurrences(of: "\r\n", with: "\n") }
        return values
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The form's values for a record, times shown in `zone`.
    static func values(of record: ContentRecord, zone: TimeZone) -> [String: String] {
        var values: [String: String] = [
            "title": record.title, "slug": record.slug, "excerpt": record.excerpt ?? "", "body": record.body,
            "status": record.status.rawValue, "language": record.language, "authors": record.authors.joined(separator: "\n"),
            "featured": record.featured ? "on" : "", "timezone": zone.identifier,
        ]
        if record.title.isEmpty { values["slug"] = "" }
        if let published = record.publishedAt {
            values["published_at"] = LocalDateTime.text(published.secondsSince1970, in: zone)
        }
        for (key, vocabulary) in ImportFormat.classificationKeys {
            values[key] = (record.terms[vocabulary] ?? []).joined(separator: "\n")
        }
        for definition in record.type.fields {
            let name = "field.\(definition.name)"
            switch record.fields[definition.name] {
            case .text(let text)?: values[name] = text
            case .integer(let number)?: values[name] = String(number)
            case .boolean(let flag)?: values[name] = flag ? "on" : ""
            case .date(let date)?: values[name] = date.iso8601
            case .dateTime(let moment)?: values[name] = moment.rfc3339
            case .terms(let names)?: values[name] = names.joined(separator: "\n")
            case .texts(let texts)?: values[name] = texts.joined(separator: "\n")
            case .place(let city, let country)?:
                values[name + ".city"] = city
                values[name + ".country"] = country
            case nil: break
            }
        }
        return values
    }

    /// The record the form describes, or the problems by field.
    static func record(type: ContentType, values: [String: String], now: Int64, defaultZone: TimeZone) -> Result<ContentRecord, FormErrors> {
        var errors = FormErrors()
        var object: [String: Any] = ["type": type.rawValue]
        let title = (values["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "editor.error.title") }
        object["title"] = title
        let slug = (values["slug"] ?? "").trimmingCharacters(in: .whitespaces)
        if !slug.isEmpty {
            if Slug.isValid(slug) { object["slug"] = slug } else { errors.add("slug", "editor.error.slug") }
        }
        object["body"] = values["body"] ?? ""
        if let excerpt = values["excerpt"], !excerpt.allSatisfy(\.isWhitespace) { object["excerpt"] = excerpt }
        let status = WorkflowStatus(rawValue: values["status"] ?? "") ?? .draft
        object["status"] = status.rawValue
        object["language"] = (values["language"] ?? "").isEmpty ? "en" : values["language"]
        object["featured"] = values["featured"] == "on"
        object["authors"] = lines(values["authors"])

        let zone = TimeZone(identifier: values["timezone"] ?? "") ?? defaultZone
        let when = (values["published_at"] ?? "").trimmingCharacters(in: .whitespaces)
        if !when.isEmpty {
            do {
                let instant = try LocalDateTime.instant(when, in: zone)
                let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
                object["published_at"] = ZonedTimestamp(secondsSince1970: instant, utcOffsetSeconds: offset).rfc3339
            } catch LocalDateTime.Problem.skipped {
                errors.add("published_at", "editor.error.skippedTime", ["zone": zone.identifier])
            } catch {
                errors.add("published_at", "editor.error.date")
            }
        } else if status == .published {
            // Published now, in the editor's zone.
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now)))
            object["published_at"] = ZonedTimestamp(secondsSince1970: now, utcOffsetSeconds: offset).rfc3339
        } else if status == .scheduled {
            errors.add("published_at", "editor.error.scheduleNeedsTime")
        }
        for (key, _) in classification { object[key] = lines(values[key]) }

        var fields: [String: Any] = [:]
        for definition in type.fields {
            let name = "field.\(definition.name)"
            let text = (values[name] ?? "").trimmingCharacters(in: .whitespaces)
            switch definition.kind {
            case .boolean:
                fields[definition.name] = values[name] == "on"
            case .integer, .year:
                guard !text.isEmpty else { continue }
                if let number = Int(text) { fields[definition.name] = number } else { fields[definition.name] = text }
            case .multipleChoice, .textList, .urlList:
                let list = lines(values[name])
                if !list.isEmpty { fields[definition.name] = list }
            case .place:
                let city = (values[name + ".city"] ?? "").trimmingCharacters(in: .whitespaces)
                let country = (values[name + ".country"] ?? "").trimmingCharacters(in: .whitespaces)
                if !city.isEmpty || !country.isEmpty { fields[definition.name] = ["city": city, "country": country] }
            case .longText:
                if !(values[name] ?? "").allSatisfy(\.isWhitespace) { fields[definition.name] = values[name] ?? "" }
            default:
                if !text.isEmpty { fields[definition.name] = text }
            }
        }
        object["fields"] = fields
        guard errors.isEmpty else { return .failure(errors) }
        switch ContentRecord.parse(object: object) {
        case .success(let record):
            return .success(record)
        case .failure(let problem):
            let field: String = if let name = problem.arguments["field"] { "field.\(name)" } else { problem.arguments["key"] ?? "title" }
            errors.add(field, problem.key.rawValue, problem.arguments)
            return .failure(errors)
        }
    }

    /// Labels of every field, for the error summary.
    static func labels(for type: ContentType) -> [String: L10nKey] {
        var labels: [String: L10nKey] = [
            "title": "editor.field.title", "slug": "editor.field.slug", "excerpt": "editor.field.excerpt", "body": "editor.field.body",
            "status": "editor.field.status", "published_at": "editor.field.publishedAt", "timezone": "editor.field.timezone",
            "authors": "editor.field.authors", "language": "editor.field.language",
        ]
        for (key, label) in classification { labels[key] = label }
        for definition in type.fields { labels["field.\(definition.name)"] = definition.labelKey }
        return labels
    }

    /// Labels of the keys of `RevisionDiff`.
    static func diffLabels(for type: ContentType) -> [String: L10nKey] {
        var labels = labels(for: type)
        labels["featured"] = "editor.field.featured"
        labels["status"] = "editor.field.status"
        let terms = Dictionary(uniqueKeysWithValues: ImportFormat.classificationKeys.map { ($0.key, $0.vocabulary) })
        for (key, label) in classification { if let vocabulary = terms[key] { labels["terms.\(vocabulary.rawValue)"] = label } }
        for definition in type.fields { labels["fields.\(definition.name)"] = definition.labelKey }
        return labels
    }

    static func textarea(_ form: FormBuilder, _ name: String, label: L10nKey, hint: L10nKey? = nil, rows: Int = 4, required: Bool = false) -> HTML {
        let id = "field-\(name)"
        let error = form.errors[name]
        var described: [String] = []
        if hint != nil { described.append("\(id)-hint") }
        if error != nil { described.append("\(id)-error") }
        return """
        <div class="field\(error != nil ? " has-error" : "")">
        <label for="\(id)">\(form.context(label))\(required ? "" : " <span class=\"optional\">\(form.context("form.optional"))</span>" as HTML)</label>
        \(hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\(form.context($0))</p>" as HTML })
        \(error.map { "<p class=\"field-error\" id=\"\(id)-error\">\(form.context.localizer(L10nKey($0), values: form.errors.arguments(name)))</p>" as HTML })
        <textarea id="\(id)" name="\(name)" rows="\(rows)"\(described.isEmpty ? "" : " aria-describedby=\"\(described.joined(separator: " "))\"" as HTML)\
        \(required ? " required" : "" as HTML)\(error != nil ? " aria-invalid=\"true\"" : "" as HTML)>\(form.values[name] ?? "")</textarea>
        </div>
        """
    }

    static func checkbox(_ form: FormBuilder, _ name: String, label: L10nKey) -> HTML {
        """
        <div class="field checkbox"><input type="checkbox" id="field-\(name)" name="\(name)"\(form.values[name] == "on" ? " checked" : "" as HTML)>
        <label for="field-\(name)">\(form.context(label))</label></div>
        """
    }

    /// Every field of the form for a type, in fieldsets.
    static func fields(type: ContentType, form: FormBuilder, context: PageContext, slugWarning: Bool) -> HTML {
        let statuses = WorkflowStatus.allCases.map { (value: $0.rawValue, label: context(L10nKey("editor.status.\($0.rawValue)"))) }
        let zones = TimeZone.knownTimeZoneIdentifiers.sorted().map { (value: $0, label: $0) }
        let structured: [HTML] = type.fields.map { definition in
            let name = "field.\(definition.name)"
            switch definition.kind {
            case .longText: return textarea(form, name, label: definition.labelKey, rows: 4)
            case .multipleChoice, .textList, .urlList: return textarea(form, name, label: definition.labelKey, hint: "editor.onePerLine", rows: 3)
            case .boolean: return checkbox(form, name, label: definition.labelKey)
            case .integer, .year: return form.input(name, label: definition.labelKey, type: "number")
            case .date: return form.input(name, label: definition.labelKey, type: "date")
            case .url: return form.input(name, label: definition.labelKey, type: "url")
            case .dateTime: return form.input(name, label: definition.labelKey, hint: "editor.dateTimeHint")
            case .place:
                return """
                <fieldset class="place"><legend>\(context(definition.labelKey))</legend>
                \(form.input(name + ".city", label: "editor.field.city"))
                \(form.input(name + ".country", label: "editor.field.placeCountry"))
                </fieldset>
                """
            case .text, .timeZone, .choice: return form.input(name, label: definition.labelKey)
            }
        }
        let classification: [HTML] = classification.map { textarea(form, $0.key, label: $0.label, hint: "editor.onePerLine", rows: 2) }
        return """
        <fieldset><legend>\(context("editor.section.content"))</legend>
        \(form.input("title", label: "editor.field.title", required: true, maxLength: 300))
        \(form.input("slug", label: "editor.field.slug", hint: slugWarning ? "editor.slugWarning" : "editor.slugHint", maxLength: 200))
        \(textarea(form, "excerpt", label: "editor.field.excerpt", hint: "editor.excerptHint", rows: 3))
        \(textarea(form, "body", label: "editor.field.body", hint: "editor.bodyHint", rows: 16))
        </fieldset>
        <fieldset><legend>\(context("editor.section.publishing"))</legend>
        \(form.select("status", label: "editor.field.status", options: statuses, required: true, hint: "editor.statusHint"))
        \(form.input("published_at", label: "editor.field.publishedAt", type: "datetime-local", hint: "editor.publishedAtHint"))
        \(form.select("timezone", label: "editor.field.timezone", options: zones, required: true))
        \(checkbox(form, "featured", label: "editor.field.featured"))
        </fieldset>
        <fieldset><legend>\(context("editor.section.classification"))</legend>
        \(textarea(form, "authors", label: "editor.field.authors", hint: "editor.onePerLine", rows: 2))
        \(classification)
        </fieldset>
        \(structured.isEmpty ? "" as HTML : "<fieldset><legend>\(context("editor.section.details", ["type": context(type.singularKey)]))</legend>\(structured)</fieldset>")
        """
    }
}
