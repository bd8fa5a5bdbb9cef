extension SiteURL.Routes {
    static let apiGuide = Address0("/api")
    static let openAPIDocument = Address0("/api/openapi.json")
    static let apiItems = Address0("/api/v1/items")
    static let apiItem = Address2<String, String>("/api/v1/items/:type/:slug")
    static let apiVocabularies = Address0("/api/v1/vocabularies")
    static let apiCalls = Address0("/api/v1/calls")
    static let apiCallSubmissions = Address1<String>("/api/v1/calls/:slug/submissions")
    static let apiSubmissions = Address0("/api/v1/submissions")
    static let apiSubmission = Address1<Int64>("/api/v1/submissions/:id")
    static let apiSubmissionSubmit = apiSubmission.appending("submit")
}
