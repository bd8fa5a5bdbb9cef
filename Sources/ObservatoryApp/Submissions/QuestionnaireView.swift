import Foundation
import ObservatoryCore

/// Renders questionnaires: a section as a form, every question as a printable preview, and
/// answers for review. The limits shown (required, lengths, ranges) are the rules' own.
struct QuestionnaireView {
    let questionnaire: Questionnaire
    let context: PageContext
    /// Choices of each vocabulary a field draws from.
    let vocabularyTerms: [String: [String]]
    /// Files already attached, by field.
    var attachments: [String: [AttachmentRecord]] = [:]

    var language: String { context.localizer.language }

    func text(_ value: LocalizedText?) -> String { value?.text(language) ?? "" }

    func options(of field: QuestionnaireField) -> [(value: String, label: String)] {
        if let vocabulary = field.vocabulary { return (vocabularyTerms[vocabulary] ?? []).map { ($0, $0) } }
        if field.kind == .yesNo { return [("yes", context("answer.yes")), ("no", context("answer.no"))] }
        if field.kind == .country { return Countries.all.sorted { $0.name < $1.name }.map { ($0.alpha2, $0.name) } }
        return (field.options ?? []).map { ($0.value, text($0.label)) }
    }

    /// "Only if you answered …" for a conditional question.
    func condition(of field: QuestionnaireField) -> String? {
        guard let condition = field.visibleWhen, let parent = questionnaire.field(condition.field) else { return nil }
        let labels = condition.equals.map { value in options(of: parent).first { $0.value == value }?.label ?? value }
        return context("questionnaire.onlyIf", ["question": text(parent.label), "answer": labels.joined(separator: " / ")])
    }

    func limits(of field: QuestionnaireField) -> String? {
        switch field.kind {
        case .shortText, .longText:
            return field.kind == .longText || field.max != nil ? context("form.maxCharacters", ["count": String(field.maximumLength)]) : nil
        case .number, .year:
            guard let min = field.min, let max = field.max else { return nil }
            return context("questionnaire.between", ["min": QuestionnaireRules.format(min), "max": QuestionnaireRules.format(max)])
        case .multipleChoice, .terms, .group, .file:
            guard let max = field.max else { return nil }
            return context("questionnaire.atMost", ["count": QuestionnaireRules.format(max)])
        default:
            return nil
        }
    }

    // MARK: The form of one section

    /// Fields of a section with the values to show, problems next to their fields and, after a
    /// conflict, what someone else saved meanwhile.
    func form(section: QuestionnaireSection, values: Answers, problems: [String: AnswerProblem], theirs: Answers? = nil) -> HTML {
        let fields: [HTML] = section.fields.map { field in
            fieldHTML(field, value: values[field.id], problems: problems, theirs: theirs?[field.id])
        }
        return "\(fields)"
    }

    private func fieldHTML(_ field: QuestionnaireField, value: Answer?, problems: [String: AnswerProblem], theirs: Answer?) -> HTML {
        let id = "q-\(field.id)"
        let name = QuestionnaireForm.prefix + field.id
        if field.kind == .guidance { return "<div class=\"guidance\"><p>\(text(field.label))</p></div>" }
        let problem = problems[field.id]
        var described: [String] = []
        var notes: [HTML] = []
        if let help = field.help { notes.append("<p class=\"hint\" id=\"\(id)-help\">\(text(help))</p>"); described.append("\(id)-help") }
        if let condition = condition(of: field) {
            notes.append("<p class=\"hint condition\" id=\"\(id)-condition\">\(condition)</p>"); described.append("\(id)-condition")
        }
        if let example = field.example {
            notes.append("<p class=\"hint\" id=\"\(id)-example\">\(context("questionnaire.example", ["example": text(example)]))</p>")
            described.append("\(id)-example")
        }
        if let limits = limits(of: field) {
            notes.append("<p class=\"hint\" id=\"\(id)-limits\">\(limits)</p>"); described.append("\(id)-limits")
        }
        if let problem {
            notes.append("<p class=\"field-error\" id=\"\(id)-error\">\(context.message(problem))</p>"); described.append("\(id)-error")
        }
        if let theirs, theirs != (value ?? .text("")) {
            notes.append("""
            <div class="conflict-value" id="\(id)-theirs"><p><strong>\(context("submission.conflict.theirs"))</strong></p>\(display(field, theirs))</div>
            """)
            described.append("\(id)-theirs")
        }
        let describedBy: HTML = described.isEmpty ? "" : " aria-describedby=\"\(described.joined(separator: " "))\""
        let invalid: HTML = problem != nil ? " aria-invalid=\"true\"" : ""
        let required: HTML = field.required ? " required" : ""
        let visibleWhen: HTML = field.visibleWhen.map { " data-visible-when=\"\($0.field)\" data-visible-values=\"\($0.equals.joined(separator: "|"))\"" } ?? ""
        let requiredMark: HTML = field.required ? "" : " <span class=\"optional\">\(context("form.optional"))</span>"
        let single = value?.values.first ?? ""
        let wrapperClass = "field question\(problem != nil ? " has-error" : "")"

        switch field.kind {
        case .shortText, .email, .url, .number, .year, .date:
            let type = ["email": "email", "url": "url", "date": "date", "number": "text", "year": "text"][field.kind.rawValue] ?? "text"
            let mode: HTML = field.kind == .number || field.kind == .year ? " inputmode=\"numeric\"" : ""
            let maxLength: HTML = [.shortText, .email, .url].contains(field.kind) ? " maxlength=\"\(field.maximumLength)\"" : ""
            return """
            <div class="\(wrapperClass)"\(visibleWhen)>
            <label for="\(id)">\(text(field.label))\(requiredMark)</label>
            \(notes)
            <input type="\(type)" id="\(id)" name="\(name)" value="\(single)"\(mode)\(maxLength)\(describedBy)\(invalid)>
            </div>
            """
        case .longText:
            // No maxlength attribute: a browser would cut pasted text silently; the server says
            // what is too long instead, and the counter shows what remains.
            return """
            <div class="\(wrapperClass)"\(visibleWhen)>
            <label for="\(id)">\(text(field.label))\(requiredMark)</label>
            \(notes)
            <textarea id="\(id)" name="\(name)" rows="\(field.maximumLength > 1_000 ? 10 : 5)" data-max-length="\(field.maximumLength)"\(describedBy)\(invalid)>\(single)</textarea>
            </div>
            """
        case .singleChoice, .yesNo, .country:
            let choices = options(of: field)
            if field.display == "select" || field.kind == .country || choices.count > 8 {
                let list: [HTML] = [("", context("questionnaire.choose"))].map { "<option value=\"\($0.0)\">\($0.1)</option>" as HTML }
                    + choices.map { "<option value=\"\($0.value)\"\($0.value == single ? " selected" : "" as HTML)>\($0.label)</option>" }
                return """
                <div class="\(wrapperClass)"\(visibleWhen)>
                <label for="\(id)">\(text(field.label))\(requiredMark)</label>
                \(notes)
                <select id="\(id)" name="\(name)"\(describedBy)\(invalid)>\(list)</select>
                </div>
                """
            }
            let radios: [HTML] = choices.enumerated().map { index, choice in
                """
                <div class="choice"><input type="radio" id="\(id)-\(index)" name="\(name)" value="\(choice.value)"\(choice.value == single ? " checked" : "" as HTML)>
                <label for="\(id)-\(index)">\(choice.label)</label></div>
                """
            }
            return """
            <fieldset class="\(wrapperClass)"\(visibleWhen)\(describedBy)>
            <legend>\(text(field.label))\(requiredMark)</legend>
            \(notes)
            \(radios)
            </fieldset>
            """
        case .multipleChoice, .terms:
            let chosen = Set(value?.values ?? [])
            let choices = options(of: field)
            let boxes: [HTML] = choices.enumerated().map { index, choice in
                """
                <div class="choice"><input type="checkbox" id="\(id)-\(index)" name="\(name)" value="\(choice.value)"\(chosen.contains(choice.value) ? " checked" : "" as HTML)>
                <label for="\(id)-\(index)">\(choice.label)</label></div>
                """
            }
            let known = Set(choices.map(\.value))
            let others = (value?.values ?? []).filter { !known.contains($0) }
            let other: HTML = field.allowOther == true ? """
            <div class="other-terms"><label for="\(id)-other">\(context("questionnaire.otherTerms"))</label>
            <textarea id="\(id)-other" name="\(name)" rows="3">\(others.joined(separator: "\n"))</textarea></div>
            """ : ""
            return """
            <fieldset class="\(wrapperClass)"\(visibleWhen)\(describedBy)>
            <legend>\(text(field.label))\(requiredMark)</legend>
            \(notes)
            <div class="choices">\(boxes)</div>
            \(other)
            </fieldset>
            """
        case .group:
            var rows: [[String: String]] = []
            if case .rows(let given)? = value { rows = given }
            let maxRows = Int(saturating: field.max ?? 20)
            if rows.count < maxRows { rows.append([:]) }
            let rendered: [HTML] = rows.enumerated().map { index, row in
                let cells: [HTML] = (field.fields ?? []).map { subfield in
                    let cellID = "\(id)-\(index)-\(subfield.id)"
                    let cellProblem = problems["\(field.id).\(index).\(subfield.id)"]
                    let type = ["email": "email", "url": "url", "date": "date"][subfield.kind.rawValue] ?? "text"
                    return """
                    <div class="field\(cellProblem != nil ? " has-error" : "")">
                    <label for="\(cellID)">\(text(subfield.label))</label>
                    \(cellProblem.map { "<p class=\"field-error\" id=\"\(cellID)-error\">\(context.message($0))</p>" as HTML })
                    <input type="\(type)" id="\(cellID)" name="\(name).\(index).\(subfield.id)" value="\(row[subfield.id] ?? "")"\(cellProblem != nil ? " aria-invalid=\"true\" aria-describedby=\"\(cellID)-error\"" : "" as HTML)>
                    </div>
                    """
                }
                return "<div class=\"group-row\" role=\"group\" aria-label=\"\(context("questionnaire.row", ["number": String(index + 1)]))\">\(cells)</div>"
            }
            return """
            <fieldset class="\(wrapperClass)"\(visibleWhen)\(describedBy)>
            <legend>\(text(field.label))\(requiredMark)</legend>
            \(notes)
            \(rendered)
            <p class="hint">\(context("questionnaire.moreRows"))</p>
            </fieldset>
            """
        case .file:
            return """
            <div class="\(wrapperClass)"\(visibleWhen)>
            <p class="label">\(text(field.label))\(requiredMark)</p>
            \(notes)
            \(fileList(field))
            <p class="hint"><a href="#files-\(field.id)">\(context("attachment.addBelow"))</a></p>
            </div>
            """
        case .guidance:
            return ""
        }
    }

    /// Links to the files attached to a field.
    func fileList(_ field: QuestionnaireField) -> HTML {
        let files = attachments[field.id] ?? []
        guard !files.isEmpty else { return "<p class=\"missing\">\(context("attachment.none"))</p>" }
        let items: [HTML] = files.map {
            "<li><a href=\"\($0.path)\">\($0.fileName)</a> (\(ByteCountFormatter.string(fromByteCount: $0.size, countStyle: .file)))</li>"
        }
        return "<ul class=\"files\">\(items)</ul>"
    }

    /// For each file question of a section: its files with a button to remove each, and a
    /// form to add one. Separate forms, placed after the section's form.
    func fileForms(section: QuestionnaireSection, submissionID: Int64, csrf: String) -> HTML {
        let forms: [HTML] = section.fields.filter { $0.kind == .file }.map { field in
            let files: [HTML] = (attachments[field.id] ?? []).map { file in
                """
                <li><a href="\(file.path)">\(file.fileName)</a>
                <form method="post" action="\(SiteURL.Routes.submissionAttachmentDelete.path(submissionID, file.id))" class="inline">\(FormBuilder.csrf(csrf))
                <button type="submit" class="link-button">\(context("attachment.remove", ["name": file.fileName]))</button></form></li>
                """
            }
            let accept = (field.accept ?? []).joined(separator: ",")
            return """
            <section class="file-question" id="files-\(field.id)" aria-labelledby="files-\(field.id)-heading">
            <h2 id="files-\(field.id)-heading">\(text(field.label))</h2>
            \(field.help.map { "<p class=\"hint\">\(text($0))</p>" as HTML })
            <p class="hint">\(context(field.publicFiles == true ? "attachment.visibility.public" : "attachment.visibility.private"))</p>
            \(files.isEmpty ? "<p class=\"missing\">\(context("attachment.none"))</p>" as HTML : "<ul class=\"files\">\(files)</ul>" as HTML)
            <form method="post" action="\(SiteURL.Routes.submissionAttachments.path(submissionID))" enctype="multipart/form-data" class="inline-form">
            \(FormBuilder.csrf(csrf))
            <input type="hidden" name="field" value="\(field.id)">
            <div class="field"><label for="upload-\(field.id)">\(context("attachment.choose"))</label>
            <input type="file" id="upload-\(field.id)" name="file" accept="\(accept)"></div>
            <button type="submit">\(context("attachment.upload"))</button>
            </form>
            </section>
            """
        }
        return "\(forms)"
    }

    // MARK: Answers for reading

    /// An answer as text for the review page, the receipt and the editors' view.
    func plain(_ field: QuestionnaireField, _ answer: Answer?) -> String {
        guard let answer, !answer.isEmpty else { return "" }
        switch answer {
        case .rows(let rows):
            return rows.map { row in (field.fields ?? []).compactMap { row[$0.id] }.filter { !$0.isEmpty }.joined(separator: " · ") }
                .joined(separator: "\n")
        case .text, .list:
            let labels = Dictionary(options(of: field).map { ($0.value, $0.label) }, uniquingKeysWith: { first, _ in first })
            return answer.values.map { labels[$0] ?? $0 }.joined(separator: field.isMultiple ? ", " : "")
        }
    }

    func display(_ field: QuestionnaireField, _ answer: Answer?) -> HTML {
        let text = plain(field, answer)
        if text.isEmpty { return "<p class=\"missing\">\(context("questionnaire.notAnswered"))</p>" }
        let paragraphs: [HTML] = text.components(separatedBy: "\n").filter { !$0.isEmpty }.map { "<p>\($0)</p>" }
        return "\(paragraphs)"
    }

    /// Every question of the questionnaire, for reading before starting and printing.
    func preview() -> HTML {
        let sections: [HTML] = questionnaire.sections.enumerated().map { index, section in
            let questions: [HTML] = section.fields.map { field in
                if field.kind == .guidance { return "<li class=\"guidance\">\(text(field.label))</li>" }
                var details: [String] = [context(field.required ? "questionnaire.required" : "questionnaire.optional")]
                if let limits = limits(of: field) { details.append(limits) }
                if let condition = condition(of: field) { details.append(condition) }
                let choices = [.singleChoice, .multipleChoice, .terms].contains(field.kind) ? options(of: field).map(\.label) : []
                return """
                <li><p class="question-text">\(text(field.label))</p>
                \(field.help.map { "<p class=\"hint\">\(text($0))</p>" as HTML })
                <p class="hint">\(details.joined(separator: " · "))</p>
                \(choices.isEmpty ? "" : "<ul class=\"choices-preview\">\(choices.map { "<li>\($0)</li>" as HTML })</ul>" as HTML)</li>
                """
            }
            return """
            <section class="preview-section"><h2>\(context("questionnaire.step", ["number": String(index + 1), "count": String(questionnaire.sections.count)])): \(text(section.title))</h2>
            \(section.intro.map { "<p>\(text($0))</p>" as HTML })
            <ol class="questions">\(questions)</ol></section>
            """
        }
        return "\(sections)"
    }
}
