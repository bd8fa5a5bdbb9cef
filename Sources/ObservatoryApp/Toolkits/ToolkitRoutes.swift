extension SiteURL.Routes {
    /// The navigator lives at the toolkits' archive address.
    static var toolkitNavigator: Address0 { archive(.toolkit) }
    static let toolkitMarks = Address1<String>("/toolkits/:slug/marks")
}
