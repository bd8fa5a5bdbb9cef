import Foundation
import ObservatoryCore

/// Every public address of the site, spelled once: routes are registered from these and every
/// link is built from them.
enum SiteURL {
    case home
    case search(types: [ContentType] = [], keywords: String? = nil, sort: ListingSort? = nil, page: Int = 1)
    case archive(ContentType, page: Int = 1)
    case item(ContentType, slug: String)
    case month(year: Int, month: Int, page: Int = 1)
    case term(vocabulary: Vocabulary, slug: String, page: Int = 1)
    case author(slug: String, page: Int = 1)
    /// The case library with its filters, order, page and view.
    case cases(CaseQuery)
    case casesAPI(CaseQuery)
    case compare([String])
    case stylesheet
    case script
    case signIn(next: String? = nil)
    case signOut
    case register
    case verifyEmail(token: String)
    case resendVerification
    case passwordReset
    case newPassword(token: String)
    case account
    case changePassword
    case changeEmail
    case confirmEmail(token: String)
    case closeOtherSessions
    case apiTokens
    case revokeAPIToken(Int64)
    case contact
    case admin
    case adminAccounts(status: AccountStatus? = nil, role: Role? = nil, search: String? = nil, page: Int = 1)
    case adminAccount(Int64)
    /// An action on one account: approve, reject, role, status.
    case adminAccountAction(Int64, String)
    case adminAudit(AuditFilter)
    case adminSettings

    /// Vocabularies with public archive pages, and their path segments.
    static let termPathSegments: [Vocabulary: String] = [
        .tag: "tags", .country: "countries", .sector: "sectors", .innovationFacet: "facets",
    ]

    var path: String {
        switch self {
        case .home:
            return "/"
        case .search(let types, let keywords, let sort, let page):
            var query = Self.queryPairs(types: types, keywords: keywords, sort: sort)
            if page > 1 { query.append(("page", String(page))) }
            return "/search" + Self.queryString(query)
        case .archive(let type, let page):
            return "/\(type.pathSegment)" + Self.pageQuery(page)
        case .item(let type, let slug):
            return "/\(type.pathSegment)/\(slug)"
        case .month(let year, let month, let page):
            return "/blog/\(year)/\(month < 10 ? "0" : "")\(month)" + Self.pageQuery(page)
        case .term(let vocabulary, let slug, let page):
            return "/\(Self.termPathSegments[vocabulary] ?? "tags")/\(slug)" + Self.pageQuery(page)
        case .author(let slug, let page):
            return "/authors/\(slug)" + Self.pageQuery(page)
        case .cases(let query):
            return "/\(ContentType.caseStudy.pathSegment)" + Self.queryString(query.parameters.map { ($0.name, $0.value) })
        case .casesAPI(let query):
            return "/api/v1/cases" + Self.queryString(query.parameters.map { ($0.name, $0.value) })
        case .compare(let slugs):
            return "/\(ContentType.caseStudy.pathSegment)/compare" + Self.queryString(slugs.map { ("c", $0) })
        case .stylesheet:
            return "/assets/site-\(Stylesheet.version).css"
        case .script:
            return "/assets/site-\(Script.version).js"
        case .signIn(let next):
            return "/account/sign-in" + Self.queryString(next.map { [("next", $0)] } ?? [])
        case .signOut: return "/account/sign-out"
        case .register: return "/account/register"
        case .verifyEmail(let token): return "/account/verify" + Self.queryString([("token", token)])
        case .resendVerification: return "/account/verify/resend"
        case .passwordReset: return "/account/password-reset"
        case .newPassword(let token): return "/account/password-reset/new" + Self.queryString([("token", token)])
        case .account: return "/account"
        case .changePassword: return "/account/password"
        case .changeEmail: return "/account/email"
        case .confirmEmail(let token): return "/account/email/confirm" + Self.queryString([("token", token)])
        case .closeOtherSessions: return "/account/sessions/close-others"
        case .apiTokens: return "/account/api-tokens"
        case .revokeAPIToken(let id): return "/account/api-tokens/\(id)/revoke"
        case .contact: return "/contact"
        case .admin: return "/admin"
        case .adminAccounts(let status, let role, let search, let page):
            var query: [(String, String)] = []
            if let status { query.append(("status", status.rawValue)) }
            if let role { query.append(("role", role.rawValue)) }
            if let search, !search.isEmpty { query.append(("q", search)) }
            if page > 1 { query.append(("page", String(page))) }
            return "/admin/accounts" + Self.queryString(query)
        case .adminAccount(let id): return "/admin/accounts/\(id)"
        case .adminAccountAction(let id, let action): return "/admin/accounts/\(id)/\(action)"
        case .adminAudit(let filter): return "/admin/audit" + Self.queryString(filter.parameters)
        case .adminSettings: return "/admin/settings"
        }
    }

    /// The search filters as query pairs, in their one order.
    static func queryPairs(types: [ContentType], keywords: String?, sort: ListingSort?) -> [(String, String)] {
        var query: [(String, String)] = types.map { ("type", $0.rawValue) }
        if let keywords, !keywords.isEmpty { query.append(("q", keywords)) }
        if let sort { query.append(("sort", sort.rawValue)) }
        return query
    }

    private static func pageQuery(_ page: Int) -> String { page > 1 ? "?page=\(page)" : "" }

    static func queryString(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "?" + pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// The unreserved characters of RFC 3986, ASCII only: everything else is percent-encoded,
    /// the way browsers send it, so a canonical URL reads back to itself.
    private static let queryAllowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? text
    }
}
