extension SiteURL.Routes {
    static let robots = Address0("/robots.txt")
    static let sitemapIndex = Address0("/sitemap.xml")
    static let sitemapPart = Address1<String>("/sitemaps/:file")
    static let oembed = Address0("/oembed")
}
