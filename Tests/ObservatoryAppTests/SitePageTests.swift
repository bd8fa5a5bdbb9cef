import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Pages editors write, linked from the navigation, the footer and the banner.
@Suite("Site pages")
struct SitePageTests {
    @Test(arguments: TestDatabase.allCases)
    func pagesAppearWhereEditorsChooseOnEveryInstance(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let editor = try await app.browser(signedInAs: try await app.makeAccount("editor@example.org", role: .editor))
            // The home page is in the page cache before the change: it must still show the link after.
            #expect(try await !(Browser(app).get("/").body.string.contains("/pages/about")))

            let missing = try await editor.submit("/admin/pages/new", ["title": "", "body": " "])
            #expect(missing.status == .badRequest && missing.body.string.contains("Give it a title."))
            let preview = try await editor.submit("/admin/pages/new", ["title": "About", "body": "We *study* public sector innovation.", "action": "preview"])
            #expect(preview.body.string.contains("<em>study</em>"))
            let saved = try await editor.submit("/admin/pages/new", ["title": "About us", "slug": "about", "body": "We *study* public sector innovation.",
                                                                     "in_navigation": "on", "position": "1", "action": "save"])
            #expect(saved.status == .seeOther)
            let page = try await Browser(app).get("/pages/about")
            #expect(page.status == .ok && page.body.string.contains("<em>study</em>"))
            let home = try await Browser(app).get("/").body.string
            #expect(home.contains("<li><a href=\"/pages/about\">About us</a></li></ul>"))
            #expect(!home.contains(" · <a href=\"/pages/about\">"))

            // The authenticity page is linked from the banner and the footer, on another instance too.
            #expect(try await editor.submit("/admin/pages/new", ["title": "How to validate authenticity", "body": "Check the address: it ends in example.org.",
                                                                 "in_footer": "on", "action": "save"]).status == .seeOther)
            try await withSecondInstance(of: app) { other in
                let elsewhere = try await Browser(other).get("/blog").body.string
                #expect(elsewhere.contains("<a href=\"/pages/how-to-validate-authenticity\">How to validate authenticity</a></p>"))
                #expect(elsewhere.contains(" · <a href=\"/pages/how-to-validate-authenticity\">How to validate authenticity</a>"))
            }
            let taken = try await editor.submit("/admin/pages/new", ["title": "About again", "slug": "about", "body": "x", "action": "save"])
            #expect(taken.status == .conflict && taken.body.string.contains("Another page has this address."))

            // Taken out of the navigation, then deleted.
            let id = try await (app.db as! any SQLDatabase).select().column("id").from("site_pages").where("slug", .equal, "about").first()!
                .decode(column: "id", as: Int64.self)
            #expect(try await editor.submit("/admin/pages/\(id)", ["title": "About us", "slug": "about", "body": "Text.", "action": "save"]).status == .seeOther)
            #expect(try await !(Browser(app).get("/").body.string.contains("/pages/about")))
            #expect(try await editor.submit("/admin/pages/\(id)", action: "/admin/pages/\(id)/delete", [:]).status == .seeOther)
            #expect(try await Browser(app).get("/pages/about").status == .notFound)
        }
    }
}
