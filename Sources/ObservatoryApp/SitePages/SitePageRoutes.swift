extension SiteURL.Routes {
    static let sitePage = Address1<String>("/pages/:slug")
    static let sitePagesAdmin = Address0("/admin/pages")
    static let sitePageNew = Address0("/admin/pages/new")
    static let sitePageAdmin = Address1<Int64>("/admin/pages/:id")
    static let sitePageDelete = sitePageAdmin.appending("delete")
}
