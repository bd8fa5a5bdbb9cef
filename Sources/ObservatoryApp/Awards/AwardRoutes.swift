extension SiteURL.Routes {
    static let awards = Address0("/awards")
    static let awardProgramme = Address1<String>("/awards/:programme")
    static let awardYear = Address2<String, Int>("/awards/:programme/:year")
    static let awardsAdmin = Address0("/admin/awards")
    static let awardAdmin = Address1<Int64>("/admin/awards/:id")
    static let awardEntries = awardAdmin.appending("entries")
    static let awardEntryDelete = Address2<Int64, Int64>("/admin/awards/:id/entries/:entry/delete")
}
