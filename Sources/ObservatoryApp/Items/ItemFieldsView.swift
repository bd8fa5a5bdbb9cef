import Foundation
import ObservatoryCore

/// The structured part of an item's page, shaped per type: a case study's facts and
/// narrative, an event's when and where, a call's deadline and status, a toolkit's catalogue entry.
enum ItemFieldsView {
    static func render(_ detail: ItemDetail, _ context: PageContext, extended: Bool = false) -> HTML {
        switch detail.item.type {
        case .caseStudy: caseStudy(detail, context)
        case .event: event(detail, context)
        case .call: call(detail, context, extended: extended)
        case .toolkit: toolkit(detail, context)
        case .publication: publication(detail, context)
        case .post, .news: ""
        }
    }

    // MARK: Case study

    static let narrativeFields = [
        "overview", "what_makes_it_innovative", "status_description", "collaborations", "users_beneficiaries",
        "results", "challenges", "conditions_for_success", "replication", "lessons_learned", "anything_else",
    ]

    static func caseStudy(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        var facts: [HTML] = []
        facts.append(fact("organisation_name", detail.text("organisation_name").map { "\($0)" }, context))
        facts.append(fact("organisation_type", termList(detail.terms(in: .organisationType)), context))
        var level = termList(detail.terms(in: .levelOfGovernment))
        if let other = detail.text("level_of_government_other") { level = "\(level ?? "") (\(other))" }
        facts.append(fact("level_of_government", level, context))
        facts.append(fact("primary_sectors", termList(detail.terms(in: .primarySector)), context))
        facts.append(fact("innovation_tags", termList(detail.terms(in: .innovationTag)), context))
        let stages = detail.terms(in: .innovationStatus)
        facts.append(fact("innovation_status", stages.isEmpty ? nil : "<ol class=\"stages\">\(stages.map { "<li>\($0.name)</li>" as HTML })</ol>", context))
        facts.append(fact("year_launched", detail.number("year_launched").map { "\(Int($0))" }, context))
        facts.append(fact("website", detail.text("website").map(externalLink), context))
        facts.append(fact("related_url", detail.text("related_url").map(externalLink), context))
        let videos = (detail.fields["video_urls"] ?? []).compactMap(\.text)
        facts.append(fact("video_urls", videos.isEmpty ? nil : "<ul>\(videos.map { "<li>\(externalLink($0))</li>" as HTML })</ul>", context))
        // A badge's icon is decorative: the badge's name says what it is.
        let badges: [HTML] = detail.terms(in: .recognition).map { badge in
            let icon: HTML = badge.icon.map { "<img src=\"\($0)\" alt=\"\" width=\"24\" height=\"24\" class=\"badge-icon\">" } ?? ""
            return "<li class=\"badge\">\(icon)\(badge.name)</li>"
        }
        facts.append(fact("recognition", badges.isEmpty ? nil : "<ul class=\"badges\">\(badges)</ul>", context))
        let narrative: [HTML] = narrativeFields.compactMap { name in
            guard let text = detail.text(name) else { return nil }
            return "<section><h2>\(context(L10nKey("field.\(name)")))</h2>\(paragraphs(text))</section>"
        }
        let lead: HTML = detail.text("short_explanation").map { "<p class=\"lead\">\($0)</p>" } ?? ""
        return """
        \(lead)
        <section class="facts" aria-labelledby="facts-heading">
        <h2 id="facts-heading">\(context("item.facts"))</h2>
        <dl>\(facts)</dl>
        </section>
        <div class="narrative">\(narrative)</div>
        """
    }

    // MARK: Event

    enum Phase { case upcoming, ongoing, past }

    static func event(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        let zone = detail.text("timezone").flatMap(TimeZone.init(identifier:)) ?? context.settings.timeZone
        var facts: [HTML] = []
        var phase: Phase?
        if let starts = detail.number("starts_at") {
            let ends = detail.number("ends_at") ?? starts
            context.changes(at: starts)
            context.changes(at: ends)
            phase = context.now < starts ? .upcoming : (context.now < ends ? .ongoing : .past)
            let when: HTML = "\(context.moment(starts, in: zone)) – \(context.moment(ends, in: zone))"
            facts.append(fact("when", when, context))
        }
        let online = detail.number("online") == 1
        var whereParts: [HTML] = []
        if let place = detail.fields["location"]?.first, let city = place.text {
            whereParts.append("\(city)\(place.qualifier.map { ", \($0)" } ?? "")")
        }
        if online { whereParts.append("\(context("event.online"))") }
        facts.append(fact("where", whereParts.isEmpty ? nil : whereParts.joined(separator: " · "), context))
        let format: L10nKey = online ? (whereParts.count > 1 ? "event.format.hybrid" : "event.format.online") : "event.format.inPerson"
        facts.append(fact("format", "\(context(format))", context))
        if let url = detail.text("registration_url"), phase != .past {
            facts.append(fact("registration_url", externalLink(url, label: context("event.register")), context))
        }
        let badge: HTML = switch phase {
        case .upcoming: "<p class=\"status status-open\">\(context("event.upcoming"))</p>"
        case .ongoing: "<p class=\"status status-open\">\(context("event.ongoing"))</p>"
        case .past: "<p class=\"status status-closed\">\(context("event.past"))</p>"
        case nil: ""
        }
        let calendar: HTML = phase != nil && phase != .past
            ? "<p class=\"calendar-link\"><a href=\"\(SiteURL.Routes.calendarEvent.path(detail.item.slug + ".ics"))\" type=\"text/calendar\">\(context("calendar.add"))</a></p>" : ""
        return "\(badge)<section class=\"facts\" aria-label=\"\(context("item.facts"))\"><dl>\(facts)</dl></section>\(calendar)"
    }

    // MARK: Call for innovations

    static func call(_ detail: ItemDetail, _ context: PageContext, extended: Bool = false) -> HTML {
        let zone = detail.text("timezone").flatMap(TimeZone.init(identifier:)) ?? context.settings.timeZone
        var facts: [HTML] = []
        var badge: HTML = ""
        let opens = detail.number("opens_at")
        if let closes = detail.number("closes_at") {
            context.changes(at: closes)
            if let opens { context.changes(at: opens) }
            if let opens, context.now < opens {
                badge = "<p class=\"status status-upcoming\">\(context("call.upcoming", ["date": context.formatter.dateTime(opens, in: zone)]))</p>"
            } else if context.now < closes {
                let days = Int((closes - context.now) / 86_400)
                context.changes(at: closes - Int64(days) * 86_400)
                let extendedNote: HTML = extended ? " · \(context("call.extended"))" : ""
                badge = """
                <p class="status status-open">\(context("call.open")) · \(context("call.closesIn", ["days": String(days)]))\(extendedNote)</p>
                <p class="call-actions"><a class="button" href="\(SiteURL.Routes.callQuestions.path(detail.item.slug))">\(context("call.startLink"))</a></p>
                """
            } else {
                badge = "<p class=\"status status-closed\">\(context("call.closed"))</p>"
            }
            if let opens { facts.append(fact("opens_at", context.moment(opens, in: zone), context)) }
            let deadline: HTML = """
            \(context.deadline(closes, in: zone))<br><span class="secondary">\(context.moment(closes, in: TimeZone(identifier: "UTC")!))</span>
            """
            facts.append(fact("closes_at", deadline, context))
            if context.now < closes {
                facts.append("<div><dt>\(context("call.questions"))</dt><dd><a href=\"\(SiteURL.Routes.callQuestions.path(detail.item.slug))\">\(context("call.previewLink"))</a></dd></div>")
            }
        }
        facts.append(fact("audience", termList(detail.terms(in: .audience)), context))
        let languages = (detail.fields["languages"] ?? []).compactMap(\.text)
        facts.append(fact("languages", languages.isEmpty ? nil : "\(languages.map { Locale(identifier: "en").localizedString(forLanguageCode: $0) ?? $0 }.joined(separator: ", "))", context))
        let criteria = (detail.fields["criteria"] ?? []).compactMap(\.text)
        let criteriaList: HTML = criteria.isEmpty ? "" : """
        <section><h2>\(context("field.criteria"))</h2><ul class="criteria">\(criteria.map { "<li>\($0)</li>" as HTML })</ul></section>
        """
        return "\(badge)<section class=\"facts\" aria-label=\"\(context("item.facts"))\"><dl>\(facts)</dl></section>\(criteriaList)"
    }

    // MARK: Toolkit and publication

    static func toolkit(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        var facts: [HTML] = []
        facts.append(fact("publisher", detail.text("publisher").map { "\($0)" }, context))
        for (name, vocabulary) in [("licence", Vocabulary.licence), ("format", .toolkitFormat), ("discipline", .discipline),
                                   ("task", .task), ("user_type", .userType), ("level", .level)] {
            facts.append(fact(name, termList(detail.terms(in: vocabulary)), context))
        }
        if let reuse = detail.terms(in: .reuse).first {
            facts.append(fact("reuse", "<span class=\"badge\">\(context(L10nKey("reuse.\(reuse.slug)")))</span>", context))
        }
        facts.append(fact("url", detail.text("url").map(externalLink), context))
        if let days = detail.number("last_updated") {
            facts.append(fact("last_updated", "\(context.formatter.dayMonthYear(CalendarDate(daysSince1970: Int(days))))", context))
        }
        return "<section class=\"facts\" aria-label=\"\(context("item.facts"))\"><dl>\(facts)</dl></section>"
    }

    static func publication(_ detail: ItemDetail, _ context: PageContext) -> HTML {
        let facts: [HTML] = [
            fact("publisher", detail.text("publisher").map { "\($0)" }, context),
            fact("isbn", detail.text("isbn").map { "\($0)" }, context),
            fact("pages", detail.number("pages").map { "\(Int($0))" }, context),
            fact("url", detail.text("url").map(externalLink), context),
        ]
        return "<section class=\"facts\" aria-label=\"\(context("item.facts"))\"><dl>\(facts)</dl></section>"
    }

    // MARK: Building blocks

    static func fact(_ name: String, _ value: HTML?, _ context: PageContext) -> HTML {
        guard let value else { return "" }
        return "<div><dt>\(context(L10nKey("field.\(name)")))</dt><dd>\(value)</dd></div>"
    }

    static func termList(_ terms: [TermRef]) -> HTML? {
        guard !terms.isEmpty else { return nil }
        return "\(terms.map(\.name).joined(separator: ", "))"
    }

    static func externalLink(_ url: String) -> HTML { externalLink(url, label: url) }

    static func externalLink(_ url: String, label: String) -> HTML {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return "\(label)" }
        return "<a href=\"\(url)\" rel=\"nofollow noopener\">\(label)</a>"
    }

    /// Plain text with blank-line paragraphs, escaped.
    static func paragraphs(_ text: String) -> HTML {
        let blocks = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return "\(blocks.map { "<p>\($0)</p>" as HTML })"
    }
}
