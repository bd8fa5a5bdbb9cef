import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// What the audit log page filters on; read from and written to the query string.
struct AuditFilter: Sendable, Equatable {
    var action: AuditAction?
    /// Part of the actor's address.
    var actor: String?
    /// Part of the target's label (an address, a title).
    var target: String?
    /// Days in the site's time zone, inclusive, as YYYY-MM-DD.
    var from: String?
    var to: String?
    var page: PageNumber = .first

    static let pageSize = 50

    var parameters: [(String, String)] {
        var pairs: [(String, String)] = []
        if let action { pairs.append(("action", action.rawValue)) }
        if let actor, !actor.isEmpty { pairs.append(("actor", actor)) }
        if let target, !target.isEmpty { pairs.append(("target", target)) }
        if let from { pairs.append(("from", from)) }
        if let to { pairs.append(("to", to)) }
        if page.value > 1 { pairs.append(("page", String(page.value))) }
        return pairs
    }

    static func == (lhs: AuditFilter, rhs: AuditFilter) -> Bool {
        lhs.parameters.map { "\($0.0)=\($0.1)" } == rhs.parameters.map { "\($0.0)=\($0.1)" }
    }
}

/// The audit log for administrators: newest first, filtered by action, actor, target and days.
enum AuditPages {
    @Sendable
    static func list(_ request: Request) async throws -> HTML {
        let context = PageContext(request: request)
        var filter = AuditFilter()
        func text(_ name: String) -> String? {
            guard let value = try? request.query.get(String.self, at: name) else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : String(trimmed.prefix(200))
        }
        if let action = text("action") {
            guard let parsed = AuditAction(rawValue: action) else { throw Abort(.badRequest, reason: context("admin.audit.badAction")) }
            filter.action = parsed
        }
        filter.actor = text("actor")
        filter.target = text("target")
        let zone = context.settings.timeZone
        var start: Int64?
        var end: Int64?
        for (name, isEnd) in [("from", false), ("to", true)] {
            guard let day = text(name) else { continue }
            guard let dayStart = Self.startOfDay(day, in: zone) else {
                throw Abort(.badRequest, reason: context("admin.audit.badDate", ["value": day]))
            }
            if isEnd {
                filter.to = day
                end = dayStart + 86_400
            } else {
                filter.from = day
                start = dayStart
            }
        }
        filter.page = request.lenientPage
        let (total, records) = try await AuditStore(sql: try request.sql).page(filter, start: start, end: end)
        let entries: [HTML] = records.map { record in
            let changes: [HTML] = Set(record.before.keys).union(record.after.keys).sorted().map { key in
                "<li><code>\(key)</code>: \(record.before[key] ?? "—") → \(record.after[key] ?? "—")</li>"
            }
            var target: HTML = "\(record.targetLabel ?? "—")"
            if record.targetType == "account", let id = record.targetID.flatMap(Int64.init) {
                target = "<a href=\"\(SiteURL.adminAccount(id).path)\">\(target)</a>"
            }
            return """
            <tr><td>\(context.moment(record.at, in: zone))</td>
            <td>\(record.action.map { context(L10nKey($0.nameKey)) } ?? "?")</td>
            <td>\(record.actorLabel ?? context("admin.audit.nobody"))</td>
            <td>\(target)</td><td>\(record.ip ?? "")</td>
            <td>\(changes.isEmpty ? "" : "<ul class=\"changes\">\(changes)</ul>" as HTML)</td></tr>
            """
        }
        let form = FormBuilder(context, values: ["action": filter.action?.rawValue ?? "", "actor": filter.actor ?? "",
                                                 "target": filter.target ?? "", "from": filter.from ?? "", "to": filter.to ?? ""])
        let actions = [("", context("admin.any"))] + AuditAction.allCases.map { ($0.rawValue, context(L10nKey($0.nameKey))) }
        let pages = PageNumber.count(total: total, pageSize: AuditFilter.pageSize)
        let content: HTML = """
        <h1>\(context("admin.audit.title"))</h1>
        <form method="get" action="\(SiteURL.Routes.adminAudit.path)" class="filter-row">
        \(form.select("action", label: "admin.audit.action", options: actions))
        \(form.input("actor", label: "admin.audit.actor", type: "search", maxLength: 200))
        \(form.input("target", label: "admin.audit.target", type: "search", maxLength: 200))
        \(form.input("from", label: "admin.audit.from", type: "date"))
        \(form.input("to", label: "admin.audit.to", type: "date"))
        <button type="submit">\(context("admin.filter"))</button>
        </form>
        <p>\(context("admin.audit.count", ["count": String(total)]))</p>
        <table class="data-table">
        <thead><tr><th scope="col">\(context("admin.audit.when"))</th><th scope="col">\(context("admin.audit.action"))</th>
        <th scope="col">\(context("admin.audit.actor"))</th><th scope="col">\(context("admin.audit.target"))</th>
        <th scope="col">\(context("admin.audit.ip"))</th><th scope="col">\(context("admin.audit.changes"))</th></tr></thead>
        <tbody>\(entries)</tbody>
        </table>
        \(Layout.pager(current: filter.page, count: pages, context) { page in
            var paged = filter
            paged.page = PageNumber(clamping: page)
            return SiteURL.adminAudit(paged).path
        })
        """
        return Layout.page(context, title: context("admin.audit.title"), content: content)
    }

    /// Seconds since 1970 at the start of a YYYY-MM-DD day in `zone`.
    static func startOfDay(_ day: String, in zone: TimeZone) -> Int64? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, day.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == parts[2]
        else { return nil }
        return Int64(date.timeIntervalSince1970)
    }
}
