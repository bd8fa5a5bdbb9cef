extension SiteURL.Routes {
    static let newsletter = Address0("/newsletter")
    static let newsletterConfirm = Address0("/newsletter/confirm")
    static let newsletterUnsubscribe = Address0("/newsletter/unsubscribe")
    static let newsletterAdmin = Address0("/admin/newsletter")
    static let newsletterIssueNew = Address0("/admin/newsletter/issues/new")
    static let newsletterIssue = Address1<Int64>("/admin/newsletter/issues/:id")
    static let newsletterIssueTest = newsletterIssue.appending("test")
    static let newsletterIssueSend = newsletterIssue.appending("send")
    static let newsletterSubscribers = Address0("/admin/newsletter/subscribers")
    static let newsletterSubscribersCSV = Address0("/admin/newsletter/subscribers.csv")
}
