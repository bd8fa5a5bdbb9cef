import Foundation
import ObservatoryCore
import Vapor

/// `/api`: the API for people: how to authenticate, page, cache and read errors, then every
/// endpoint with its parameters and answers, read from the same OpenAPI document that
/// `/api/openapi.json` serves, so the two never disagree.
struct APIGuidePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.everyone).get(SiteURL.Routes.apiGuide, use: page)
    }

    func page(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        let document = try await OpenAPIDocument.build(request)
        let base = context.settings.baseURL
        let paths = (document["paths"] as? [String: Any]) ?? [:]
        let methods = ["get", "post", "patch", "put", "delete"]
        var toc: [HTML] = []
        var sections: [HTML] = []
        for (path, value) in paths.sorted(by: { $0.key < $1.key }) {
            guard let operations = value as? [String: Any] else { continue }
            for method in methods {
                guard let operation = operations[method] as? [String: Any] else { continue }
                let id = (operation["operationId"] as? String) ?? "\(method)-\(path)"
                let summary = (operation["summary"] as? String) ?? ""
                toc.append("<li><a href=\"#\(id)\"><code>\(method.uppercased()) \(path)</code></a>: \(summary)</li>")
                sections.append(Self.operation(id: id, method: method, path: path, operation, context))
            }
        }
        let content: HTML = """
        <h1>\(context("apiGuide.title"))</h1>
        <p class="lead">\(context("apiGuide.lead"))</p>
        <p><a href="\(SiteURL.Routes.openAPIDocument.path)">\(context("apiGuide.document"))</a> · <a href="\(SiteURL.Routes.openData.path)">\(context("apiGuide.bulk"))</a></p>
        <h2>\(context("apiGuide.start"))</h2>
        <pre><code>curl \(base)\(SiteURL.Routes.apiItems.path(query: [("type", "case_study"), ("limit", "5")]))</code></pre>
        <p>\(context("apiGuide.paging"))</p>
        <p>\(context("apiGuide.caching"))</p>
        <p>\(context("apiGuide.errors"))</p>
        <h2>\(context("apiGuide.auth"))</h2>
        <p>\(context("apiGuide.authText")) <a href="\(SiteURL.account.path)#api-tokens-heading">\(context("apiGuide.authLink"))</a></p>
        <pre><code>curl -X POST -H "Authorization: Bearer obs_…" -H "Content-Type: application/json" \\
          -d '{"answers": {"title": "Open budget"}}' \(base)/api/v1/calls/&lt;call&gt;/submissions</code></pre>
        <p>\(context("apiGuide.authRules"))</p>
        <h2>\(context("apiGuide.endpoints"))</h2>
        <ul>\(toc)</ul>
        \(sections)
        """
        return Layout.page(context, title: context("apiGuide.title"), description: context("apiGuide.lead"), content: content)
    }

    static func operation(id: String, method: String, path: String, _ operation: [String: Any], _ context: PageContext) -> HTML {
        let parameters = (operation["parameters"] as? [[String: Any]]) ?? []
        let rows: [HTML] = parameters.map { parameter in
            let name = (parameter["name"] as? String) ?? ""
            let place = (parameter["in"] as? String) ?? ""
            let required = (parameter["required"] as? Bool) == true
            return """
            <tr><td><code>\(name)</code></td><td>\(context(L10nKey("apiGuide.in.\(place)")))\(required ? " (\(context("apiGuide.required")))" : "")</td>
            <td>\(schemaText(parameter["schema"] as? [String: Any], context))</td><td>\((parameter["description"] as? String) ?? "")</td></tr>
            """
        }
        let responses = ((operation["responses"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.map { code, value -> HTML in
            let description = ((value as? [String: Any])?["description"] as? String) ?? ""
            return "<li><strong>\(code)</strong>: \(description)</li>"
        }
        let needsToken = operation["security"] != nil
        return """
        <section class="api-operation" aria-labelledby="\(id)">
        <h3 id="\(id)"><code>\(method.uppercased()) \(path)</code></h3>
        <p>\((operation["summary"] as? String) ?? "").\(needsToken ? " " + context("apiGuide.tokenNeeded") : "")</p>
        \((operation["description"] as? String).map { HTML.trusted(Markdown.html(from: $0)) })
        \(rows.isEmpty ? "" as HTML : """
        <table class="data-table"><caption>\(context("apiGuide.parameters"))</caption><thead><tr><th scope="col">\(context("apiGuide.name"))</th>
        <th scope="col">\(context("apiGuide.where"))</th><th scope="col">\(context("apiGuide.values"))</th><th scope="col">\(context("apiGuide.meaning"))</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        \((operation["requestBody"] != nil) ? "<p>\(context("apiGuide.body"))</p>" as HTML : "")
        <h4>\(context("apiGuide.responses"))</h4>
        <ul>\(responses)</ul>
        </section>
        """
    }

    /// A short reading of a schema: its type, limits and (the first few) allowed values.
    static func schemaText(_ schema: [String: Any]?, _ context: PageContext) -> String {
        guard let schema else { return "" }
        var parts: [String] = []
        if let type = schema["type"] as? String {
            if type == "array", let items = schema["items"] as? [String: Any] {
                parts.append(context("apiGuide.schema.list", ["items": schemaText(items, context)]))
            } else {
                parts.append(type)
            }
        }
        if let values = schema["enum"] as? [Any] {
            let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
            parts.append(context("apiGuide.schema.oneOf", ["values": shown + (values.count > 8 ? ", … (\(values.count))" : "")]))
        }
        if let minimum = schema["minimum"] { parts.append("≥ \(minimum)") }
        if let maximum = schema["maximum"] { parts.append("≤ \(maximum)") }
        if let maximum = schema["maxLength"] { parts.append(context("apiGuide.schema.maxLength", ["count": "\(maximum)"])) }
        return parts.joined(separator: ", ")
    }
}
