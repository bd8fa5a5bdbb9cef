extension SiteURL.Routes {
    static let vocabularies = Address0("/admin/vocabularies")
    /// A vocabulary's terms, by the vocabulary's raw value.
    static let vocabulary = Address1<String>("/admin/vocabularies/:vocabulary")
    static let vocabularyTerms = vocabulary.appending("terms")
    static let termRename = Address2<String, Int64>("/admin/vocabularies/:vocabulary/terms/:id/rename")
    static let termMerge = Address2<String, Int64>("/admin/vocabularies/:vocabulary/terms/:id/merge")
    static let termVisibility = Address2<String, Int64>("/admin/vocabularies/:vocabulary/terms/:id/visibility")
    static let termIcon = Address2<String, Int64>("/admin/vocabularies/:vocabulary/terms/:id/icon")
}
