import Foundation
import ObservatoryCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// Every registered route against every kind of visitor. The expected rule of each route is
/// written here by hand: a new route without a line below fails the test, and so does a
/// route whose declared rule differs from this table or whose answers do not follow it.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    static let expected: [String: AccessLevel] = [
        "GET /": .everyone,
        "GET /assets/:file": .everyone,
        "GET /search": .everyone,
        "GET /blog": .everyone, "GET /innovations": .everyone, "GET /toolkits": .everyone, "GET /publications": .everyone,
        "GET /events": .everyone, "GET /calls": .everyone, "GET /news": .everyone,
        "GET /blog/:slug": .everyone, "GET /innovations/:slug": .everyone, "GET /toolkits/:slug": .everyone,
        "GET /publications/:slug": .everyone, "GET /events/:slug": .everyone, "GET /calls/:slug": .everyone,
        "GET /news/:slug": .everyone,
        "GET /blog/:slug/:month": .everyone,
        "GET /tags/:slug": .everyone, "GET /countries/:slug": .everyone, "GET /sectors/:slug": .everyone,
        "GET /facets/:slug": .everyone,
        "GET /authors/:slug": .everyone,
        "GET /innovations/compare": .everyone,
        "GET /api/v1/cases": .everyone,
        "GET /account/register": .everyone, "POST /account/register": .everyone,
        "GET /account/sign-in": .everyone, "POST /account/sign-in": .everyone,
        "GET /account/verify": .everyone, "POST /account/verify": .everyone,
        "GET /account/password-reset": .everyone, "POST /account/password-reset": .everyone,
        "GET /account/password-reset/new": .everyone, "POST /account/password-reset/new": .everyone,
        "GET /account/email/confirm": .everyone, "POST /account/email/confirm": .everyone,
        "GET /contact": .everyone, "POST /contact": .everyone,
        "GET /account": .signedIn,
        "POST /account/sign-out": .signedIn,
        "POST /account/verify/resend": .signedIn,
        "POST /account/password": .signedIn,
        "POST /account/email": .signedIn,
        "POST /account/sessions/close-others": .signedIn,
        "POST /account/api-tokens": .signedIn, "POST /account/api-tokens/:id/revoke": .signedIn,
        "GET /admin": .editor,
        "GET /admin/accounts": .editor,
        "GET /admin/accounts/:id": .editor,
        "GET /admin/vocabularies": .editor, "GET /admin/vocabularies/:vocabulary": .editor,
        "POST /admin/vocabularies/:vocabulary/terms": .editor, "POST /admin/vocabularies/:vocabulary/terms/:id/rename": .editor,
        "POST /admin/vocabularies/:vocabulary/terms/:id/merge": .editor, "POST /admin/vocabularies/:vocabulary/terms/:id/visibility": .editor,
        "POST /admin/vocabularies/:vocabulary/terms/:id/icon": .editor,
        "GET /newsletter": .everyone, "POST /newsletter": .everyone, "GET /newsletter/confirm": .everyone, "POST /newsletter/confirm": .everyone,
        "GET /newsletter/unsubscribe": .everyone, "POST /newsletter/unsubscribe": .everyone,
        "GET /admin/newsletter": .editor, "GET /admin/newsletter/issues/new": .editor, "POST /admin/newsletter/issues/new": .editor,
        "GET /admin/newsletter/issues/:id": .editor, "POST /admin/newsletter/issues/:id/test": .editor, "POST /admin/newsletter/issues/:id/send": .editor,
        "GET /admin/newsletter/subscribers": .admin, "GET /admin/newsletter/subscribers.csv": .admin,
        "GET /awards": .everyone, "GET /awards/:programme": .everyone, "GET /awards/:programme/:year": .everyone,
        "GET /admin/awards": .editor, "POST /admin/awards": .editor, "GET /admin/awards/:id": .editor,
        "POST /admin/awards/:id/entries": .editor, "POST /admin/awards/:id/entries/:entry/delete": .editor,
        "GET /pages/:slug": .everyone, "GET /admin/pages": .editor, "GET /admin/pages/new": .editor, "POST /admin/pages/new": .editor,
        "GET /admin/pages/:id": .editor, "POST /admin/pages/:id": .editor, "POST /admin/pages/:id/delete": .editor,
        "GET /media/:file": .everyone, "GET /admin/media": .editor, "POST /admin/media": .editor, "GET /admin/media/:id": .editor,
        "POST /admin/media/:id": .editor, "POST /admin/media/:id/delete": .editor,
        "POST /toolkits/:slug/marks": .signedIn,
        "GET /admin/content": .editor, "GET /admin/content/new": .editor, "POST /admin/content/new": .editor,
        "GET /admin/content/:id": .editor, "POST /admin/content/:id": .editor, "GET /admin/content/:id/history": .editor,
        "GET /admin/content/:id/compare": .editor, "POST /admin/content/:id/revisions/:number/restore": .editor,
        "POST /admin/accounts/:id/approve": .editor,
        "POST /admin/accounts/:id/reject": .editor,
        "POST /admin/accounts/:id/role": .admin,
        "POST /admin/accounts/:id/status": .admin,
        "GET /admin/settings": .admin, "POST /admin/settings": .admin,
        "GET /admin/audit": .admin,
        "GET /calls/:slug/questions": .everyone,
        "GET /account/submissions": .signedIn,
        "POST /calls/:slug/submissions": .contributor,
        "GET /submissions/:id": .contributor,
        "GET /submissions/:id/sections/:section": .contributor,
        "POST /submissions/:id/sections/:section": .contributor,
        "POST /submissions/:id/submit": .contributor,
        "POST /submissions/:id/withdraw": .contributor,
        "GET /api/v1/submissions": .contributor, "POST /api/v1/calls/:slug/submissions": .contributor,
        "GET /api/v1/submissions/:id": .contributor, "PATCH /api/v1/submissions/:id": .contributor,
        "POST /api/v1/submissions/:id/submit": .contributor,
        "POST /submissions/:id/collaborators": .contributor,
        "GET /submissions/invitations/accept": .contributor,
        "POST /submissions/invitations/accept": .contributor,
        "GET /admin/submissions": .editor,
        "GET /admin/submissions/:id": .editor,
        "POST /admin/submissions/:id/transition": .editor,
        "POST /admin/submissions/:id/notes": .editor,
        "GET /admin/calls/:id/submissions.csv": .editor,
        "GET /admin/calls/:id/submissions.json": .editor,
        "GET /admin/calls": .editor,
        "GET /admin/calls/new": .editor,
        "POST /admin/calls/new": .editor,
        "GET /admin/calls/:id": .editor,
        "POST /admin/calls/:id/extend": .editor,
        "POST /submissions/:id/attachments": .contributor,
        "POST /submissions/:id/attachments/:attachment/delete": .contributor,
        "GET /attachments/:key/:name": .everyone,
        "POST /submissions/:id/collaborators/remove": .contributor,
        "POST /admin/submissions/:id/delete": .editor,
        "GET /data": .everyone, "GET /data/cases.csv": .everyone, "GET /data/cases.json": .everyone, "GET /data/cases.ndjson": .everyone,
        "GET /api/v1/items": .everyone, "GET /api/v1/items/:type/:slug": .everyone, "GET /api/v1/vocabularies": .everyone,
        "GET /api/v1/calls": .everyone, "GET /api/openapi.json": .everyone, "GET /api": .everyone,
        "GET /calendar/events.ics": .everyone, "GET /calendar/events/:file": .everyone,
        "GET /robots.txt": .everyone, "GET /sitemap.xml": .everyone, "GET /sitemaps/:file": .everyone, "GET /oembed": .everyone,
    ]

    /// Every listing also answers as RSS, Atom and JSON Feed, to everyone.
    static let feedRoutes: [String: AccessLevel] = {
        let listings = ["", "/search", "/blog", "/toolkits", "/publications", "/events", "/calls", "/news", "/innovations",
                        "/blog/:slug/:month", "/tags/:slug", "/countries/:slug", "/sectors/:slug", "/facets/:slug", "/authors/:slug"]
        var routes: [String: AccessLevel] = [:]
        for listing in listings {
            for format in ["rss", "atom", "json"] { routes["GET \(listing)/feed.\(format)"] = .everyone }
        }
        return routes
    }()

    static var rules: [String: AccessLevel] { expected.merging(feedRoutes) { first, _ in first } }

    enum Visitor: String, CaseIterable {
        case anonymous, pending, unverified, contributor, pendingEditor, editor, admin
    }

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
    }

    @Test(arguments: TestDatabase.allCases)
    func everyRouteAnswersEveryVisitorByItsRule(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let routes = app.routes.all
            let keys = Set(routes.map(Self.key))
            #expect(keys.subtracting(Self.rules.keys).isEmpty, "routes without a line in the matrix: \(keys.subtracting(Self.rules.keys).sorted())")
            #expect(Set(Self.rules.keys).subtracting(keys).isEmpty, "matrix lines without a route: \(Set(Self.rules.keys).subtracting(keys).sorted())")

            let sql = app.db as! any SQLDatabase
            var standings: [Visitor: (account: TestAccount?, standing: Standing?)] = [.anonymous: (nil, nil)]
            let specs: [(Visitor, Role, AccountStatus, Bool)] = [
                (.pending, .contributor, .pending, true), (.unverified, .contributor, .active, false),
                (.contributor, .contributor, .active, true), (.pendingEditor, .editor, .pending, true),
                (.editor, .editor, .active, true), (.admin, .admin, .active, true),
            ]
            for (visitor, role, status, verified) in specs {
                let account = try await app.makeAccount("\(visitor.rawValue)@example.org", role: role, status: status, verified: verified)
                standings[visitor] = (account, Standing(role: role, status: status, emailVerified: verified))
            }
            let target = try await app.makeAccount("target@example.org", status: .pending)

            for route in routes.sorted(by: { Self.key($0) < Self.key($1) }) {
                let key = Self.key(route)
                guard let rule = Self.rules[key] else { continue }
                #expect(route.accessLevel == rule, "\(key) declares \(String(describing: route.accessLevel)), the matrix says \(rule)")
                let path = "/" + route.path.map { component -> String in
                    switch component.description {
                    case ":id": return String(target.id)
                    case ":file": return "site-\(Stylesheet.version).css"
                    case ":month": return "01"
                    default: return component.description.hasPrefix(":") ? "x" : component.description
                    }
                }.joined(separator: "/")
                for visitor in Visitor.allCases {
                    let (account, standing) = standings[visitor]!
                    // A session opened directly, so that actions (signing out, suspending) never
                    // disturb the next request.
                    let browser = Browser(app)
                    if let account {
                        let token = try await SessionStore(sql: sql, settings: app.siteSettings, now: app.clock.now())
                            .open(accountID: account.id, role: standing!.role, ip: "test", userAgent: "test")
                        browser.setCookie(SessionStore.cookieName, token)
                    }
                    let response: TestingHTTPResponse
                    if route.method == .GET {
                        response = try await browser.get(path)
                    } else {
                        let token = account == nil ? try await browser.csrfToken() : try await sessionCSRF(browser, sql: sql)
                        response = try await browser.request(route.method, path, body: ByteBuffer(string: Browser.encode(["csrf_token": token])),
                                                             contentType: .urlEncodedForm)
                    }
                    let status = response.status
                    let location = response.headers.first(name: .location) ?? ""
                    // Pages send visitors to sign in; the API answers 401.
                    let sentToSignIn = path.hasPrefix("/api/") ? status == .unauthorized
                        : status == .seeOther && (location == "/account/sign-in" || location.hasPrefix("/account/sign-in?next="))
                    switch rule.decide(for: standing) {
                    case .allowed:
                        #expect(status != .forbidden && status != .unauthorized && !sentToSignIn,
                                "\(key) as \(visitor): expected access, got \(status) \(location)")
                    case .signInRequired:
                        #expect(sentToSignIn, "\(key) as \(visitor): expected a redirect to sign in, got \(status) \(location)")
                    case .forbidden:
                        #expect(status == .forbidden, "\(key) as \(visitor): expected 403, got \(status)")
                    }
                }
            }
        }
    }

    /// The form token of the session in the browser's cookie, read from the database.
    func sessionCSRF(_ browser: Browser, sql: any SQLDatabase) async throws -> String {
        let hash = SecretToken.hash(browser.sessionToken!)
        return try await sql.select().column("csrf_token").from("sessions").where("id_hash", .equal, hash).first()!
            .decode(column: "csrf_token", as: String.self)
    }

    @Test(arguments: TestDatabase.allCases)
    func everyStateChangingRouteRefusesRequestsWithoutTheFormToken(_ database: TestDatabase) async throws {
        try await withApp(database, adjust: accountTestSettings) { app in
            let admin = try await app.makeAccount("admin@example.org", role: .admin)
            let target = try await app.makeAccount("target@example.org", status: .pending)
            let unsafe = app.routes.all.filter { $0.method != .GET && $0.method != .HEAD }
            #expect(unsafe.count >= 17)
            for route in unsafe {
                let path = "/" + route.path.map { $0.description == ":id" ? String(target.id) : $0.description }.joined(separator: "/")
                // Signed in as an administrator (who may do everything) and anonymous with a form cookie.
                let signedIn = try await app.browser(signedInAs: admin)
                let anonymous = Browser(app)
                _ = try await anonymous.get("/account/sign-in")
                func send(_ browser: Browser, _ fields: [String: String], headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
                    try await browser.request(route.method, path, body: ByteBuffer(string: Browser.encode(fields)), contentType: .urlEncodedForm,
                                              headers: headers)
                }
                if path == "/newsletter/unsubscribe" {
                    // The signed link is the authority there (mail programs post it, RFC 8058):
                    // without a valid signature it is refused all the same.
                    #expect(try await send(anonymous, [:]).status == .badRequest)
                    continue
                }
                for browser in [signedIn, anonymous] {
                    let missing = try await send(browser, ["status": "suspended", "role": "admin"])
                    if path.hasPrefix("/api/") && browser === anonymous {
                        // The API reads no anonymous form cookie: without a session or a token it is 401.
                        #expect(missing.status == .unauthorized, "\(route.method) \(path) anonymous: \(missing.status)")
                        continue
                    }
                    #expect(missing.status == .forbidden, "\(route.method) \(path) without a token: \(missing.status)")
                    #expect(missing.body.string.contains("This form has expired or was sent from another site."))
                    let forged = try await send(browser, ["csrf_token": SecretToken.generate(), "status": "suspended"])
                    #expect(forged.status == .forbidden, "\(route.method) \(path) with a forged token: \(forged.status)")
                }
                // A right token sent from another site is refused too.
                let token = try await signedIn.csrfToken()
                let crossSite = try await send(signedIn, ["csrf_token": token], headers: ["Origin": "https://attacker.example"])
                #expect(crossSite.status == .forbidden, "\(route.method) \(path) from another origin: \(crossSite.status)")
            }
            // Nothing happened to the target account.
            let account = try await AccountStore(sql: app.db as! any SQLDatabase, now: 0).find(id: target.id)
            #expect(account?.status == .pending && account?.role == .contributor)
        }
    }
}
