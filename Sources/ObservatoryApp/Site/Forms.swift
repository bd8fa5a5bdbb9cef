import ObservatoryCore
import Vapor

/// Form building blocks with labels, hints and errors tied to their fields, so every form
/// reads well with a screen reader and keeps what was typed when it comes back with errors.
struct FormBuilder {
    let context: PageContext
    let errors: FormErrors
    /// What was posted, to fill the fields again.
    let values: [String: String]

    init(_ context: PageContext, errors: FormErrors = FormErrors(), values: [String: String] = [:]) {
        self.context = context
        self.errors = errors
        self.values = values
    }

    static func csrf(_ token: String) -> HTML {
        "<input type=\"hidden\" name=\"\(CSRFProtection.fieldName)\" value=\"\(token)\">"
    }

    /// "There is a problem" with a link to each field that has one.
    func summary(labels: [String: L10nKey]) -> HTML {
        guard !errors.isEmpty else { return "" }
        let items: [HTML] = errors.order.map { field in
            let label = labels[field].map { context($0) } ?? field
            return "<li><a href=\"#field-\(field)\">\(label): \(context.localizer(L10nKey(errors[field] ?? ""), values: errors.arguments(field)))</a></li>"
        }
        return """
        <div class="error-summary" role="alert" tabindex="-1">
        <h2>\(context("form.problem"))</h2>
        <ul>\(items)</ul>
        </div>
        """
    }

    func input(_ name: String, label: L10nKey, type: String = "text", required: Bool = false, autocomplete: String? = nil,
               hint: L10nKey? = nil, maxLength: Int? = nil, keepValue: Bool = true) -> HTML {
        let id = "field-\(name)"
        let error = errors[name]
        var described: [String] = []
        if hint != nil { described.append("\(id)-hint") }
        if error != nil { described.append("\(id)-error") }
        let value = keepValue ? values[name] ?? "" : ""
        let attributes: HTML = """
        \(required ? " required" : "" as HTML)\(autocomplete.map { " autocomplete=\"\($0)\"" as HTML })\
        \(maxLength.map { " maxlength=\"\($0)\"" as HTML })\
        \(described.isEmpty ? "" : " aria-describedby=\"\(described.joined(separator: " "))\"" as HTML)\
        \(error != nil ? " aria-invalid=\"true\"" : "" as HTML)
        """
        return """
        <div class="field\(error != nil ? " has-error" : "")">
        <label for="\(id)">\(context(label))\(required ? "" : " <span class=\"optional\">\(context("form.optional"))</span>" as HTML)</label>
        \(hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\(context($0))</p>" as HTML })
        \(error.map { "<p class=\"field-error\" id=\"\(id)-error\">\(context.localizer(L10nKey($0), values: errors.arguments(name)))</p>" as HTML })
        <input type="\(type)" id="\(id)" name="\(name)" value="\(value)"\(attributes)>
        </div>
        """
    }

    func select(_ name: String, label: L10nKey, options: [(value: String, label: String)], required: Bool = false,
                hint: L10nKey? = nil, autocomplete: String? = nil) -> HTML {
        let id = "field-\(name)"
        let error = errors[name]
        let current = values[name] ?? ""
        let choices: [HTML] = options.map { option in
            "<option value=\"\(option.value)\"\(option.value == current ? " selected" : "" as HTML)>\(option.label)</option>"
        }
        return """
        <div class="field\(error != nil ? " has-error" : "")">
        <label for="\(id)">\(context(label))\(required ? "" : " <span class=\"optional\">\(context("form.optional"))</span>" as HTML)</label>
        \(hint.map { "<p class=\"hint\" id=\"\(id)-hint\">\(context($0))</p>" as HTML })
        \(error.map { "<p class=\"field-error\" id=\"\(id)-error\">\(context.localizer(L10nKey($0), values: errors.arguments(name)))</p>" as HTML })
        <select id="\(id)" name="\(name)"\(autocomplete.map { " autocomplete=\"\($0)\"" as HTML })\(error != nil ? " aria-invalid=\"true\"" : "" as HTML)>\(choices)</select>
        </div>
        """
    }

    func textarea(_ name: String, label: L10nKey, required: Bool = false, maxLength: Int, rows: Int = 8) -> HTML {
        let id = "field-\(name)"
        let error = errors[name]
        return """
        <div class="field\(error != nil ? " has-error" : "")">
        <label for="\(id)">\(context(label))</label>
        <p class="hint" id="\(id)-hint">\(context("form.maxCharacters", ["count": String(maxLength)]))</p>
        \(error.map { "<p class=\"field-error\" id=\"\(id)-error\">\(context.localizer(L10nKey($0), values: errors.arguments(name)))</p>" as HTML })
        <textarea id="\(id)" name="\(name)" rows="\(rows)" maxlength="\(maxLength)" aria-describedby="\(id)-hint\(error != nil ? " \(id)-error" : "")"\(required ? " required" : "" as HTML)\(error != nil ? " aria-invalid=\"true\"" : "" as HTML)>\(values[name] ?? "")</textarea>
        </div>
        """
    }
}

extension Request {
    /// A posted text field, or "" when absent.
    func formValue(_ name: String) -> String {
        (try? content.get(String.self, at: name)) ?? ""
    }
}
