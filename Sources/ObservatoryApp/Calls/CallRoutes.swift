extension SiteURL.Routes {
    static let callsAdmin = Address0("/admin/calls")
    static let callNew = Address0("/admin/calls/new")
    static let callAdmin = Address1<Int64>("/admin/calls/:id")
    static let callExtend = callAdmin.appending("extend")
    /// A call's entries as a spreadsheet and as JSON, for editors.
    static let callEntriesCSV = callAdmin.appending("submissions.csv")
    static let callEntriesJSON = callAdmin.appending("submissions.json")
    /// The questionnaire of a call, readable before starting an entry.
    static let callQuestions = Address1<String>("/calls/:slug/questions")
}
