import ObservatoryCore

/// The frame of every page: the site-identity banner, the header with the main navigation,
/// the page's content and the footer.
enum Layout {
    static let navigationTypes: [ContentType] = [.post, .caseStudy, .toolkit, .publication, .event, .call, .news]

    /// What a page tells machines about itself: its one address, its feeds, its Open Graph type
    /// and any structured data.
    struct Head: Sendable {
        /// The path (and query) of the page's one address; the request's path by default.
        var canonical: String?
        var feeds: [FeedLink] = []
        var openGraphType = "website"
        /// Extra elements (JSON-LD, oEmbed discovery).
        var extra: HTML = ""

        init(canonical: String? = nil, feeds: [FeedLink] = [], openGraphType: String = "website", extra: HTML = "") {
            self.canonical = canonical
            self.feeds = feeds
            self.openGraphType = openGraphType
            self.extra = extra
        }
    }

    static func page(_ context: PageContext, title: String?, description: String? = nil, head: Head = Head(), content: HTML) -> HTML {
        let settings = context.settings
        let fullTitle = title.map { "\($0) – \(settings.siteName)" } ?? settings.siteName
        let canonical = settings.baseURL + (head.canonical ?? context.path)
        let feeds: [HTML] = head.feeds.map {
            "<link rel=\"alternate\" type=\"\($0.format.mediaType)\" title=\"\($0.title)\" href=\"\($0.href)\">"
        }
        let openGraph: HTML = """
        <link rel="canonical" href="\(canonical)">
        <meta property="og:site_name" content="\(settings.siteName)">
        <meta property="og:title" content="\(title ?? settings.siteName)">
        <meta property="og:type" content="\(head.openGraphType)">
        <meta property="og:url" content="\(canonical)">
        \(description.map { "<meta property=\"og:description\" content=\"\($0)\">" as HTML })
        <meta name="twitter:card" content="summary">
        \(feeds)
        \(head.extra)
        """
        let navigation: [HTML] = navigationTypes.map { type in
            let url = SiteURL.archive(type).path
            let current: HTML = context.path == url ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(url)\"\(current)>\(context(type.pluralKey))</a></li>"
        }
        let searchCurrent: HTML = context.path == SiteURL.Routes.search.path ? " aria-current=\"page\"" : ""
        let pageLinks: [HTML] = context.links.navigation.map { link in
            "<li><a href=\"\(link.path)\"\(context.path == link.path ? " aria-current=\"page\"" : "" as HTML)>\(link.title)</a></li>"
        }
        let footerLinks: [HTML] = context.links.footer.map { " · <a href=\"\($0.path)\">\($0.title)</a>" }
        return """
        <!doctype html>
        <html lang="\(context.localizer.language)" dir="\(context.localizer.direction)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(fullTitle)</title>
        \(description.map { "<meta name=\"description\" content=\"\($0)\">" as HTML })
        <link rel="stylesheet" href="\(SiteURL.stylesheet.path)">
        <script src="\(SiteURL.script.path)" defer></script>
        \(openGraph)
        </head>
        <body\(scriptTexts(context))>
        <a class="skip-link" href="#main">\(context("layout.skip"))</a>
        \(identityBanner(context))
        <header class="site-header">
        <div class="wrap">
        <a class="site-name" href="\(SiteURL.home.path)">\(settings.siteName)</a>
        <nav aria-label="\(context("layout.navigation"))">
        <ul>\(navigation)<li><a href="\(SiteURL.Routes.search.path)"\(searchCurrent)>\(context("layout.search"))</a></li>\(pageLinks)</ul>
        </nav>
        \(accountMenu(context))
        </div>
        </header>
        <main id="main" class="wrap">
        \(content)
        </main>
        <footer class="site-footer">
        <div class="wrap">
        <p>\(context("layout.footer", ["site": settings.siteName, "organisation": settings.organisation]))</p>
        <p><a href="\(SiteURL.contact.path)">\(context("layout.contact"))</a> · <a href="\(SiteURL.Routes.openData.path)">\(context("layout.openData"))</a> · <a href="\(SiteURL.Routes.newsletter.path)">\(context("newsletter.footerLink"))</a> · <a href="\(SiteURL.Routes.apiGuide.path)">\(context("layout.api"))</a>\(footerLinks)</p>
        </div>
        </footer>
        </body>
        </html>
        """
    }

    /// The script's sentences, from the localisation table, as data attributes of `<body>`.
    static func scriptTexts(_ context: PageContext) -> HTML {
        let keys = ["charactersLeft", "charactersOver", "autosaved", "autosaveConflict", "autosaveProblems", "autosaveOffline", "yourTime"]
        let attributes: [HTML] = keys.map { key in
            let name = key.reduce(into: "") { result, character in
                if character.isUppercase { result += "-" + character.lowercased() } else { result.append(character) }
            }
            return " data-\(name)=\"\(context(L10nKey("script.\(key)")))\""
        }
        return "\(attributes)"
    }

    /// "Sign in", or for a signed-in person their account, the staff area and "Sign out".
    static func accountMenu(_ context: PageContext) -> HTML {
        guard let viewer = context.viewer else {
            return "<p class=\"account-menu\"><a href=\"\(SiteURL.signIn().path)\">\(context("layout.signIn"))</a></p>"
        }
        let admin: HTML = viewer.role >= .editor && viewer.status == .active
            ? "<li><a href=\"\(SiteURL.admin.path)\">\(context("layout.admin"))</a></li>" : ""
        return """
        <ul class="account-menu">
        <li><a href="\(SiteURL.account.path)">\(context("layout.account", ["name": viewer.name]))</a></li>
        \(admin)
        <li><form method="post" action="\(SiteURL.signOut.path)">\(FormBuilder.csrf(viewer.csrfToken))<button type="submit" class="link-button">\(context("layout.signOut"))</button></form></li>
        </ul>
        """
    }

    /// "An official website of …", expandable without JavaScript.
    static func identityBanner(_ context: PageContext) -> HTML {
        let settings = context.settings
        return """
        <section class="identity-banner" aria-label="\(context("banner.label"))">
        <details class="wrap">
        <summary>\(context("banner.official", ["organisation": settings.organisation])) <span class="banner-more">\(context("banner.more"))</span></summary>
        <div class="banner-body">
        <div>
        <h2>\(context("banner.aboutHeading"))</h2>
        <p>\(settings.bannerAbout)</p>
        </div>
        <div>
        <h2>\(context("banner.validationHeading"))</h2>
        <p>\(settings.bannerValidation)</p>
        \(context.links.validation.map { "<p><a href=\"\($0)\">\(context("banner.validationLink"))</a></p>" as HTML })
        </div>
        </div>
        </details>
        </section>
        """
    }

    /// A list of items with title, type, date, authors and excerpt.
    static func itemList(_ items: [ListedItem], _ context: PageContext, headingLevel: Int = 2) -> HTML {
        let entries: [HTML] = items.map { item in
            let authors: [HTML] = item.authors.map { "<a href=\"\(SiteURL.author(slug: $0.slug).path)\">\($0.name)</a>" }
            let byline: HTML = authors.isEmpty ? "" : " · \(context("item.by")) \(authors.joined(separator: ", "))"
            return """
            <li class="card">
            <p class="card-meta"><span class="type-label type-\(item.type.rawValue)">\(context(item.type.singularKey))</span> · \(context.publicationDate(item.publishedAt))\(byline)</p>
            <h\(headingLevel) class="card-title"><a href="\(SiteURL.item(item.type, slug: item.slug).path)">\(item.title)</a></h\(headingLevel)>
            \(excerpt(snippet: item.snippet, summary: item.summary))
            </li>
            """
        }
        return "<ul class=\"cards\">\(entries)</ul>"
    }

    /// The text around the words a search matched, highlighted, or else the item's summary.
    static func excerpt(snippet: String?, summary: String) -> HTML {
        if let snippet, SearchSnippet.hasMatch(snippet) {
            return "<p class=\"card-excerpt snippet\">\(HTML.trusted(SearchSnippet.html(snippet)))</p>"
        }
        return "<p class=\"card-excerpt\">\(summary)</p>"
    }

    /// Said instead of results on a page number past the last page.
    static func pastEndNotice(page: PageNumber, pages: Int, _ context: PageContext, url: (Int) -> String) -> HTML {
        """
        <p class="notice">\(context("listing.pastEnd", ["page": String(page.value), "pages": String(pages)]))
        <a href="\(url(pages))">\(context("listing.lastPage"))</a></p>
        """
    }

    /// Previous/next links and page numbers around the current page.
    static func pager(current: PageNumber, count: Int, _ context: PageContext, url: (Int) -> String) -> HTML {
        let window = PageWindow(current: current.value, count: count)
        guard !window.slots.isEmpty else { return "" }
        var links: [HTML] = []
        if let previous = window.previous {
            links.append("<li><a rel=\"prev\" href=\"\(url(previous))\">\(context("pager.previous"))</a></li>")
        }
        for slot in window.slots {
            switch slot {
            case .gap:
                links.append("<li class=\"gap\" aria-hidden=\"true\">…</li>")
            case .page(let page, current: true):
                links.append("<li><a aria-current=\"page\" href=\"\(url(page))\">\(page)</a></li>")
            case .page(let page, current: false):
                links.append("<li><a href=\"\(url(page))\" aria-label=\"\(context("pager.page", ["page": String(page)]))\">\(page)</a></li>")
            }
        }
        if let next = window.next {
            links.append("<li><a rel=\"next\" href=\"\(url(next))\">\(context("pager.next"))</a></li>")
        }
        return "<nav class=\"pager\" aria-label=\"\(context("pager.label"))\"><ul>\(links)</ul></nav>"
    }
}
