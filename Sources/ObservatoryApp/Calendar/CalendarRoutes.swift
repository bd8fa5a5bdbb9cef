extension SiteURL.Routes {
    static let calendarEvents = Address0("/calendar/events.ics")
    /// One event as a calendar file (`<slug>.ics`).
    static let calendarEvent = Address1<String>("/calendar/events/:file")
}
