import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// A personal API token as its owner sees it (the token itself is shown once, at creation).
struct APITokenRecord: Sendable {
    let id: Int64
    let name: String
    /// The first characters of the token, to recognise it by.
    let prefix: String
    let scopes: Set<APIScope>
    let createdAt: Int64
    let lastUsedAt: Int64?

    /// The columns as stored: the scopes are one text, parsed below.
    fileprivate struct Row: Decodable, Sendable {
        let id: Int64
        let name: String
        let prefix: String
        let scopes: String
        let createdAt: Int64
        let lastUsedAt: Int64?
    }

    fileprivate init(row: Row) {
        id = row.id
        name = row.name
        prefix = row.prefix
        scopes = APIScope.parse(row.scopes)
        createdAt = row.createdAt
        lastUsedAt = row.lastUsedAt
    }
}

/// What a request authenticated by a token may do.
struct APIAccess: Sendable {
    let tokenID: Int64
    let scopes: Set<APIScope>
}

/// Personal API tokens: made and revoked on the account page, stored as SHA-256 only, sent
/// as `Authorization: Bearer …` to `/api/` and nowhere else.
struct APITokenStore {
    /// How stale `last_used_at` may get before a request writes it again.
    static let touchInterval: Int64 = 60

    let sql: any SQLDatabase
    let now: Int64

    /// A token joined with its account, as `authenticate` reads it.
    private struct Bearer: Decodable, Sendable {
        let tokenID: Int64
        let scopes: String
        let lastUsedAt: Int64?
        let accountID: Int64
        let email: String
        let name: String
        let role: String
        let status: String
        let emailVerifiedAt: Int64?
    }

    /// Makes a token and returns it; only its hash is kept.
    func create(accountID: Int64, name: String, scopes: Set<APIScope>) async throws -> (id: Int64, token: String) {
        let token = APITokenFormat.prefix + SecretToken.generate()
        guard let row = try await sql.insert(into: "api_tokens")
            .columns("account_id", "name", "token_hash", "prefix", "scopes", "created_at")
            .values(SQLBind(accountID), SQLBind(name), SQLBind(SecretToken.hash(token)),
                    SQLBind(String(token.prefix(APITokenFormat.prefix.count + APITokenFormat.shownCharacters))),
                    SQLBind(APIScope.text(scopes)), SQLBind(now))
            .returning("id").first()
        else { throw Abort(.internalServerError) }
        return (try row.decode(column: "id", as: Int64.self), token)
    }

    func list(accountID: Int64) async throws -> [APITokenRecord] {
        try await sql.select().columns("id", "name", "prefix", "scopes", "created_at", "last_used_at").from("api_tokens")
            .where("account_id", .equal, accountID).orderBy("id", .descending).all(as: APITokenRecord.Row.self)
            .map(APITokenRecord.init(row:))
    }

    /// Deletes every token of an account (its password changed: whoever knew the old one may have made some).
    func revokeAll(accountID: Int64) async throws {
        try await sql.delete(from: "api_tokens").where("account_id", .equal, accountID).run()
    }

    /// Deletes one of an account's tokens; its name, or nil when the account has no such token.
    func revoke(id: Int64, accountID: Int64) async throws -> String? {
        try await sql.delete(from: "api_tokens").where("id", .equal, id).where("account_id", .equal, accountID)
            .returning("name").first(decodingColumn: "name", as: String.self)
    }

    /// The account and scopes of a token; nil when no token has this hash or its account is
    /// suspended. The last-used time is written at most once a minute.
    func authenticate(_ token: String) async throws -> (SignedIn, APIAccess)? {
        guard APITokenFormat.looksLikeToken(token) else { return nil }
        guard let row = try await sql.raw("""
            SELECT t.id AS token_id, t.scopes, t.last_used_at, a.id AS account_id, a.email, a.name, a.role, a.status, a.email_verified_at \
            FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = \(bind: SecretToken.hash(token))
            """).first(as: Bearer.self)
        else { return nil }
        let status = AccountStatus(rawValue: row.status) ?? .suspended
        guard status != .suspended else { return nil }
        if now - (row.lastUsedAt ?? 0) >= Self.touchInterval {
            try await sql.update("api_tokens").set("last_used_at", to: now).where("id", .equal, row.tokenID).run()
        }
        let signedIn = SignedIn(
            accountID: row.accountID, email: row.email, name: row.name, role: Role(rawValue: row.role) ?? .contributor, status: status,
            emailVerified: row.emailVerifiedAt != nil, sessionHash: "", csrfToken: "")
        return (signedIn, APIAccess(tokenID: row.tokenID, scopes: APIScope.parse(row.scopes)))
    }
}

extension Request {
    private struct APIAccessKey: StorageKey {
        typealias Value = APIAccess
    }

    /// Set when the request was authenticated by a personal API token.
    var apiAccess: APIAccess? {
        get { storage[APIAccessKey.self] }
        set { storage[APIAccessKey.self] = newValue }
    }

    /// A request to the API that carries an `Authorization` header: it is authenticated by
    /// that header alone, never by cookies.
    var isTokenRequest: Bool {
        url.path.hasPrefix("/api/") && headers.first(name: .authorization) != nil
    }
}

/// Making and revoking tokens, from the account page.
struct APITokenPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.access(.signedIn)
        signedIn.post(SiteURL.Routes.apiTokens, use: create)
        signedIn.post(SiteURL.Routes.revokeAPIToken, use: revoke)
    }

    func create(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn else { throw Abort(.unauthorized) }
        let context = PageContext(request: request)
        let name = request.formValue("token_name").trimmingCharacters(in: .whitespacesAndNewlines)
        let scope = APIScope(rawValue: request.formValue("token_scope"))
        var errors = FormErrors()
        if name.isEmpty { errors.add("token_name", "apiToken.error.name") }
        if name.count > APITokenFormat.maximumNameLength { errors.add("token_name", "apiToken.error.nameLength") }
        if scope == nil { errors.add("token_scope", "apiToken.error.scope") }
        guard errors.isEmpty, let scope else {
            return try await AccountPages().overviewPage(request, status: .badRequest, tokenErrors: errors,
                                                         tokenValues: ["token_name": name])
        }
        let scopes: Set<APIScope> = scope == .write ? [.read, .write] : [.read]
        let now = request.application.clock.now()
        let (id, token) = try await request.db.transaction { database in
            let sql = try database.sql
            let made = try await APITokenStore(sql: sql, now: now).create(accountID: signedIn.accountID, name: name, scopes: scopes)
            try await request.audit(.apiTokenCreated, target: AuditEntry.Target(type: "api_token", id: String(made.id), label: name),
                                    after: ["scopes": APIScope.text(scopes)], on: sql)
            return made
        }
        _ = id
        let content: HTML = """
        <h1>\(context("apiToken.created.title"))</h1>
        <div class="notice" role="status">
        <p>\(context("apiToken.created.once", ["name": name]))</p>
        <p><label for="new-token">\(context("apiToken.created.label"))</label></p>
        <p><input id="new-token" class="token-value" type="text" readonly value="\(token)" size="60" autocomplete="off" spellcheck="false"></p>
        </div>
        <p>\(context("apiToken.created.usage"))</p>
        <pre><code>curl -H "Authorization: Bearer \(token)" \(context.settings.baseURL)/api/v1/submissions</code></pre>
        <p><a href="\(SiteURL.account.path)#api-tokens-heading">\(context("apiToken.created.back"))</a></p>
        """
        return Layout.page(context, title: context("apiToken.created.title"), content: content).htmlResponse(status: .created)
    }

    func revoke(_ request: Request) async throws -> Response {
        guard let signedIn = request.signedIn, let id = request.parameters.get("id", as: Int64.self) else { throw Abort(.notFound) }
        let now = request.application.clock.now()
        let revoked: String? = try await request.db.transaction { database in
            let sql = try database.sql
            guard let name = try await APITokenStore(sql: sql, now: now).revoke(id: id, accountID: signedIn.accountID) else { return nil }
            try await request.audit(.apiTokenRevoked, target: AuditEntry.Target(type: "api_token", id: String(id), label: name), on: sql)
            return name
        }
        guard revoked != nil else { throw Abort(.notFound) }
        return request.redirect(to: SiteURL.Routes.account.path(query: [("done", "token-revoked")]) + "#api-tokens-heading", redirectType: .normal)
    }

    /// The account page's section: the tokens with their scopes and last use, a form to make one.
    static func section(_ context: PageContext, tokens: [APITokenRecord], form: FormBuilder, csrf: String) -> HTML {
        let zone = context.settings.timeZone
        let rows: [HTML] = tokens.map { token in
            let scopes = APIScope.allCases.filter(token.scopes.contains).map { context(L10nKey($0.nameKey)) }.joined(separator: ", ")
            return """
            <tr><td>\(token.name)</td><td><code>\(token.prefix)…</code></td><td>\(scopes)</td>
            <td>\(context.moment(token.createdAt, in: zone))</td>
            <td>\(token.lastUsedAt.map { context.moment($0, in: zone) } ?? HTML(stringLiteral: context("apiToken.neverUsed")))</td>
            <td><form method="post" action="\(SiteURL.revokeAPIToken(token.id).path)">\(FormBuilder.csrf(csrf))
            <button type="submit" class="secondary" aria-label="\(context("apiToken.revokeNamed", ["name": token.name]))">\(context("apiToken.revoke"))</button></form></td></tr>
            """
        }
        let scopeOptions = APIScope.allCases.map { (value: $0.rawValue, label: context(L10nKey("apiToken.scopeChoice.\($0.rawValue)"))) }
        return """
        <section aria-labelledby="api-tokens-heading">
        <h2 id="api-tokens-heading">\(context("apiToken.title"))</h2>
        <p>\(context("apiToken.intro")) <a href="\(SiteURL.Routes.apiGuide.path)">\(context("apiToken.docs"))</a></p>
        \(tokens.isEmpty ? "<p>\(context("apiToken.none"))</p>" as HTML : """
        <table class="data-table"><thead><tr><th scope="col">\(context("apiToken.name"))</th><th scope="col">\(context("apiToken.prefix"))</th>
        <th scope="col">\(context("apiToken.scopes"))</th><th scope="col">\(context("apiToken.created"))</th>
        <th scope="col">\(context("apiToken.lastUsed"))</th><th scope="col"><span class="visually-hidden">\(context("apiToken.actions"))</span></th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """)
        \(form.summary(labels: ["token_name": "apiToken.name", "token_scope": "apiToken.scopes"]))
        <form method="post" action="\(SiteURL.apiTokens.path)" class="stacked-form">
        \(FormBuilder.csrf(csrf))
        \(form.input("token_name", label: "apiToken.name", required: true, hint: "apiToken.nameHint", maxLength: APITokenFormat.maximumNameLength))
        \(form.select("token_scope", label: "apiToken.scopes", options: scopeOptions, required: true))
        <button type="submit">\(context("apiToken.create"))</button>
        </form>
        </section>
        """
    }
}
