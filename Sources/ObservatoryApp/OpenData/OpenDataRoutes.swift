extension SiteURL.Routes {
    static let openData = Address0("/data")
    /// The bulk download of every case in one format.
    static func openDataCases(_ format: CaseExporter.Format) -> Address0 { openData.appending("cases.\(format.rawValue)") }
}
