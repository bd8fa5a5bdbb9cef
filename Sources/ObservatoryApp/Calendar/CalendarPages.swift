import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// iCalendar for events: `/calendar/events.ics` (every upcoming event, to subscribe to) and
/// `/calendar/events/<slug>.ics` (one event, to add to a calendar).
struct CalendarPages: RouteCollection {
    static let upcomingLimit = 200

    func boot(routes: any RoutesBuilder) throws {
        let everyone = routes.access(.everyone)
        everyone.get(SiteURL.Routes.calendarEvents, use: upcoming)
        everyone.get(SiteURL.Routes.calendarEvent, use: single)
    }

    static func event(_ detail: ItemDetail, _ context: PageContext) -> ICalendar.Event? {
        guard let starts = detail.number("starts_at") else { return nil }
        let host = URL(string: context.settings.baseURL)?.host ?? "observatory"
        var place: [String] = []
        if let city = detail.text("location") { place.append(city) }
        if let country = detail.fields["location"]?.first?.qualifier, !country.isEmpty { place.append(country) }
        if detail.number("online") == 1 { place.append(context("field.online")) }
        return ICalendar.Event(
            uid: "\(detail.item.type.rawValue)-\(detail.item.id)@\(host)", title: detail.item.title, description: detail.item.summary,
            url: context.settings.baseURL + SiteURL.item(.event, slug: detail.item.slug).path, starts: starts, ends: detail.number("ends_at"),
            location: place.isEmpty ? nil : place.joined(separator: ", "), updated: detail.updatedAt)
    }

    static func response(_ text: String, fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(fileName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    func upcoming(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        let queries = ContentQueries(sql: try request.sql, now: context.now)
        var events: [ICalendar.Event] = []
        for (item, _) in try await queries.upcoming(type: .event, field: "starts_at", from: context.now, limit: Self.upcomingLimit) {
            if let detail = try await queries.item(type: .event, slug: item.slug), let event = Self.event(detail, context) { events.append(event) }
        }
        let name = context("calendar.upcoming", ["site": context.settings.siteName])
        return Self.response(ICalendar.calendar(name: name, events: events, now: context.now), fileName: "events.ics")
    }

    func single(_ request: Request) async throws -> Response {
        let context = PageContext(request: request)
        guard let file = request.parameters.get("file"), file.hasSuffix(".ics"),
              let detail = try await ContentQueries(sql: try request.sql, now: context.now).item(type: .event, slug: String(file.dropLast(4))),
              let event = Self.event(detail, context)
        else { throw Abort(.notFound) }
        return Self.response(ICalendar.calendar(name: detail.item.title, events: [event], now: context.now), fileName: file)
    }
}
