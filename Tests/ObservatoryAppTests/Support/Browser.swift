import Foundation
import ObservatoryCore
import Testing
import Vapor
import VaporTesting
@testable import ObservatoryApp

/// A browser for tests: keeps its cookies, comes from its own client address (the test
/// settings trust `X-Forwarded-For`), and submits forms the way a person would, with the
/// hidden fields of the page the form is on.
final class Browser: @unchecked Sendable {
    let app: Application
    var address: String
    private(set) var cookies: [String: String] = [:]
    /// Headers added to every request (e.g. `Origin`).
    var extraHeaders: HTTPHeaders = [:]

    init(_ app: Application, address: String = "192.0.2.\(Int.random(in: 1...254))") {
        self.app = app
        self.address = address
    }

    var sessionToken: String? { cookies[SessionStore.cookieName] }

    func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    func request(_ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, contentType: HTTPMediaType? = nil,
                 headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var all = extraHeaders
        all.add(contentsOf: headers)
        all.replaceOrAdd(name: "X-Forwarded-For", value: address)
        if !cookies.isEmpty {
            all.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { all.contentType = contentType }
        let response = try await app.testing().sendRequest(method, path, headers: all, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            let expired = header.lowercased().contains("max-age=0")
            cookies[name] = expired || value.isEmpty ? nil : value
        }
        return response
    }

    /// Posts a form with a file to `action`, as `multipart/form-data`, with the hidden fields of
    /// the form on `page` and `fields`.
    func upload(_ page: String, action: String, fields: [String: String], file name: String, bytes: [UInt8]) async throws -> TestingHTTPResponse {
        let hidden = Self.hiddenFields(in: try await get(page).body.string, formAction: action)
        let boundary = "----observatory-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        for (field, value) in hidden.merging(fields, uniquingKeysWith: { $1 }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await request(.POST, action, body: body,
                                 contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await request(.GET, path, headers: headers)
    }

    /// Posts exactly `fields` (no hidden fields added).
    func post(_ path: String, _ fields: [String: String], headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await request(.POST, path, body: ByteBuffer(string: Self.encode(fields)), contentType: .urlEncodedForm, headers: headers)
    }

    /// Posts fields in order, names repeated for several values.
    func post(_ path: String, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        return try await request(.POST, path, body: ByteBuffer(string: body), contentType: .urlEncodedForm)
    }

    /// Like `submit`, with fields in order and names repeated for several values.
    func submit(_ page: String, action: String? = nil, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        let form = try await get(page)
        let target = action ?? String(page.split(separator: "?")[0])
        let hidden = Self.hiddenFields(in: form.body.string, formAction: target)
        let given = Set(pairs.map(\.0))
        return try await post(target, pairs: hidden.filter { !given.contains($0.key) }.map { ($0.key, $0.value) } + pairs)
    }

    /// Opens `page`, takes the hidden fields of its form posting to `action` (the page's own
    /// path by default), adds `fields` and posts.
    func submit(_ page: String, action: String? = nil, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        let form = try await get(page)
        let target = action ?? String(page.split(separator: "?")[0])
        var all = Self.hiddenFields(in: form.body.string, formAction: target)
        for (name, value) in fields { all[name] = value }
        return try await post(target, all)
    }

    /// The current form token of this browser (from a page that has a form).
    func csrfToken() async throws -> String {
        let page = try await get(sessionToken == nil ? "/account/sign-in" : "/account")
        guard let token = Self.hiddenFields(in: page.body.string, formAction: nil)[CSRFProtection.fieldName] else {
            throw BrowserError.noForm
        }
        return token
    }

    func signIn(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await submit("/account/sign-in", ["email": email, "password": password])
    }

    enum BrowserError: Error { case noForm }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }
            .map { "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// Hidden inputs (and the honeypot, left empty) of the form posting to `formAction`, or of
    /// the first form with hidden inputs when nil.
    static func hiddenFields(in html: String, formAction: String?) -> [String: String] {
        var fields: [String: String] = [:]
        for form in html.components(separatedBy: "<form").dropFirst() {
            if let formAction, !form.contains("action=\"\(formAction)") { continue }
            let body = form.components(separatedBy: "</form>")[0]
            for input in body.components(separatedBy: "<input").dropFirst() {
                let tag = input.components(separatedBy: ">")[0]
                guard tag.contains("type=\"hidden\""), let name = attribute("name", in: tag) else { continue }
                fields[name] = attribute("value", in: tag)?.htmlUnescaped ?? ""
            }
            if !fields.isEmpty { return fields }
        }
        return fields
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

extension String {
    var htmlUnescaped: String {
        replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Test settings for accounts: cheap bcrypt, no minimum fill time, client addresses from
/// `X-Forwarded-For` so each test browser counts as its own visitor.
func accountTestSettings(_ settings: inout SiteSettings) {
    settings.passwordHashCost = 4
    settings.formMinimumSeconds = 0
    settings.trustForwardedFor = true
}

struct TestAccount {
    let id: Int64
    let email: String
    let password: String
}

extension Application {
    /// Creates an account directly in the database.
    @discardableResult
    func makeAccount(_ email: String, role: Role = .contributor, status: AccountStatus = .active, verified: Bool = true,
                     name: String = "Test Person", password: String = "a sufficiently long test passphrase") async throws -> TestAccount {
        let hash = try await PasswordHashing(self).hash(password)
        let id = try await AccountStore(sql: db as! any SQLDatabase, now: clock.now()).create(
            email: EmailAddress(email)!, name: name, organisation: "Test Organisation", countryCode: "FR", passwordHash: hash,
            role: role, status: status, verified: verified)
        return TestAccount(id: id, email: email, password: password)
    }

    /// A browser signed in as `account` through the sign-in form.
    func browser(signedInAs account: TestAccount) async throws -> Browser {
        let browser = Browser(self)
        let response = try await browser.signIn(account.email, account.password)
        #expect(response.status == .seeOther, "sign-in of \(account.email) answered \(response.status)")
        return browser
    }

    struct OutboxRow: Sendable {
        let recipient: String
        let subject: String
        let body: String
        let kind: String
        let sentAt: Int64?
        let attempts: Int
    }

    func outbox() async throws -> [OutboxRow] {
        try await (db as! any SQLDatabase).select().columns("recipient", "subject", "body", "kind", "sent_at", "attempts")
            .from("outbox").orderBy(SQLColumn("id"), SQLDirection.ascending).all().map {
                OutboxRow(recipient: try $0.decode(column: "recipient", as: String.self),
                          subject: try $0.decode(column: "subject", as: String.self),
                          body: try $0.decode(column: "body", as: String.self),
                          kind: try $0.decode(column: "kind", as: String.self),
                          sentAt: try $0.decode(column: "sent_at", as: Int64?.self),
                          attempts: try $0.decode(column: "attempts", as: Int.self))
            }
    }

    /// The link with `token=` in the newest mail of a kind.
    func linkToken(kind: String) async throws -> String? {
        guard let mail = try await outbox().last(where: { $0.kind == kind }),
              let range = mail.body.range(of: "token=")
        else { return nil }
        return String(mail.body[range.upperBound...].prefix { !$0.isWhitespace })
    }

    func auditActions() async throws -> [String] {
        try await (db as! any SQLDatabase).select().column("action").from("audit_events")
            .orderBy(SQLColumn("id"), SQLDirection.ascending).all().map { try $0.decode(column: "action", as: String.self) }
    }
}

import SQLKit
