extension SiteURL.Routes {
    static let mediaLibrary = Address0("/admin/media")
    static let mediaItem = Address1<Int64>("/admin/media/:id")
    static let mediaDelete = mediaItem.appending("delete")
    /// An uploaded file (or one of its sized copies), by storage name.
    static let mediaFile = Address1<String>("/media/:file")
}
