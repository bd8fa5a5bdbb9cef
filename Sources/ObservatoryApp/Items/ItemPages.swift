import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Single pages: `/blog/<slug>`, `/innovations/<slug>`, … Each type shows its structured
/// fields in the way that suits it.
struct ItemPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for type in ContentType.allCases {
            routes.get(SiteURL.Routes.item(type)) { request async throws -> Response in
                do {
                    return try await show(request, type: type).encodeResponse(for: request)
                } catch let abort as Abort where abort.status == .notFound {
                    // An address the item had before its slug changed moves there for good.
                    let now = request.application.clock.now()
                    if let slug = request.parameters.get("slug"),
                       let current = try await Revisions(sql: try request.sql, now: now).redirect(type: type, slug: slug) {
                        return request.redirect(to: SiteURL.item(type, slug: current).path, redirectType: .permanent)
                    }
                    throw abort
                }
            }
        }
    }

    func show(_ request: Request, type: ContentType) async throws -> HTML {
        let context = PageContext(request: request)
        let queries = ContentQueries(sql: try request.sql, now: context.now)
        guard let slug = request.parameters.get("slug"), let detail = try await queries.item(type: type, slug: slug) else {
            throw Abort(.notFound)
        }
        let item = detail.item
        var extended = false
        if type == .call {
            extended = try await CallStore(sql: try request.sql, now: context.now).find(itemID: item.id)?.extended ?? false
        }
        let authors: [HTML] = item.authors.map { "<a href=\"\(SiteURL.author(slug: $0.slug).path)\">\($0.name)</a>" }
        let byline: HTML = authors.isEmpty ? "" : " · \(context("item.by")) \(authors.joined(separator: ", "))"
        let content: HTML = """
        <article class="item item-\(type.rawValue)">
        <header class="item-header">
        <p class="breadcrumb"><a href="\(SiteURL.archive(type).path)">\(context(type.pluralKey))</a></p>
        <h1>\(item.title)</h1>
        <p class="card-meta"><span class="type-label type-\(type.rawValue)">\(context(type.singularKey))</span> · \(context.publicationDate(item.publishedAt))\(byline)</p>
        </header>
        \(ItemFieldsView.render(detail, context, extended: extended))
        <div class="body">\(HTML.trusted(detail.bodyHTML))</div>
        \(classification(detail, context))
        </article>
        \(type == .caseStudy ? try await relatedCases(detail, request, context) : "")
        """
        let head = Layout.Head(canonical: SiteURL.item(type, slug: item.slug).path,
                               openGraphType: type == .post || type == .news ? "article" : "website",
                               extra: "\(StructuredData.item(detail, context))\(StructuredData.oembedLink(detail, context))")
        return Layout.page(context, title: item.title, description: item.summary, head: head, content: content)
    }

    /// Up to five published case studies that share the most telling words and terms with
    /// this one, from the search index.
    private func relatedCases(_ detail: ItemDetail, _ request: Request, _ context: PageContext) async throws -> HTML {
        let search = try await request.searchIndex(now: context.now)
        let index = search.index
        let ids = index.related(title: detail.item.title, terms: detail.terms.map(\.name),
                                text: detail.item.summary + "\n" + Markdown.plainText(from: detail.body),
                                excluding: detail.item.id, limit: 5) { index.types[Int($0)] == .caseStudy }
        guard !ids.isEmpty else { return "" }
        let items = try await ContentQueries(sql: try request.sql, now: context.now).listed(ids: ids)
        guard !items.isEmpty else { return "" }
        let links: [HTML] = items.map { item in
            "<li><a href=\"\(SiteURL.item(.caseStudy, slug: item.slug).path)\">\(item.title)</a></li>"
        }
        return """
        <section class="related" aria-labelledby="related-heading">
        <h2 id="related-heading">\(context("item.relatedCases"))</h2>
        <ul>\(links)</ul>
        </section>
        """
    }

    /// Countries, sectors, facets and tags, each linking to its archive.
    private func classification(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        let groups: [HTML] = [Vocabulary.country, .sector, .innovationFacet, .tag].compactMap { vocabulary in
            let terms = detail.terms(in: vocabulary)
            guard !terms.isEmpty else { return nil }
            let links: [HTML] = terms.map {
                "<li><a href=\"\(SiteURL.term(vocabulary: vocabulary, slug: $0.slug).path)\">\($0.name)</a></li>"
            }
            return "<div><dt>\(context(vocabulary.labelKey))</dt><dd><ul class=\"chips\">\(links)</ul></dd></div>"
        }
        guard !groups.isEmpty else { return "" }
        return """
        <section class="classification" aria-labelledby="classification-heading">
        <h2 id="classification-heading">\(context("item.classification"))</h2>
        <dl>\(groups)</dl>
        </section>
        """
    }
}
