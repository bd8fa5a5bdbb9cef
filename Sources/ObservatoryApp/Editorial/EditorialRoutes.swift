extension SiteURL.Routes {
    static let contentList = Address0("/admin/content")
    static let contentNew = Address0("/admin/content/new")
    static let contentItem = Address1<Int64>("/admin/content/:id")
    static let contentHistory = contentItem.appending("history")
    static let contentCompare = contentItem.appending("compare")
    static let contentRestore = Address2<Int64, Int>("/admin/content/:id/revisions/:number/restore")
}
