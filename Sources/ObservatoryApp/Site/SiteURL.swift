import Foundation
import ObservatoryCore

/// Every address of the site, spelled once. `SiteURL.Routes` declares each address pattern
/// (features add theirs in an extension beside their pages); routes are registered from those
/// and every link, form action and redirect is built from them. The cases below are the links
/// that carry a query (filters, pages, tokens), built on the same patterns.
enum SiteURL {
    case home
    case search(types: [ContentType] = [], keywords: String? = nil, sort: ListingSort? = nil, options: SearchOptions = SearchOptions(), page: Int = 1)
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
            return Routes.home.path
        case .search(let types, let keywords, let sort, let options, let page):
            var query = Self.queryPairs(types: types, keywords: keywords, sort: sort, options: options)
            if page > 1 { query.append(("page", String(page))) }
            return Routes.search.path(query: query)
        case .archive(let type, let page):
            return Routes.archive(type).path(query: Self.pageQuery(page))
        case .item(let type, let slug):
            return Routes.item(type).path(slug)
        case .month(let year, let month, let page):
            return Routes.month.path(String(year), (month < 10 ? "0" : "") + String(month), query: Self.pageQuery(page))
        case .term(let vocabulary, let slug, let page):
            return Routes.term(vocabulary).path(slug, query: Self.pageQuery(page))
        case .author(let slug, let page):
            return Routes.author.path(slug, query: Self.pageQuery(page))
        case .cases(let query):
            return Routes.caseLibrary.path(query: query.parameters.map { ($0.name, $0.value) })
        case .casesAPI(let query):
            return Routes.caseLibraryAPI.path(query: query.parameters.map { ($0.name, $0.value) })
        case .compare(let slugs):
            return Routes.caseCompare.path(query: slugs.map { ("c", $0) })
        case .stylesheet:
            return Routes.asset.path("site-\(Stylesheet.version).css")
        case .script:
            return Routes.asset.path("site-\(Script.version).js")
        case .signIn(let next):
            return Routes.signIn.path(query: next.map { [("next", $0)] } ?? [])
        case .signOut: return Routes.signOut.path
        case .register: return Routes.register.path
        case .verifyEmail(let token): return Routes.verifyEmail.path(query: [("token", token)])
        case .resendVerification: return Routes.resendVerification.path
        case .passwordReset: return Routes.passwordReset.path
        case .newPassword(let token): return Routes.newPassword.path(query: [("token", token)])
        case .account: return Routes.account.path
        case .changePassword: return Routes.changePassword.path
        case .changeEmail: return Routes.changeEmail.path
        case .confirmEmail(let token): return Routes.confirmEmail.path(query: [("token", token)])
        case .closeOtherSessions: return Routes.closeOtherSessions.path
        case .apiTokens: return Routes.apiTokens.path
        case .revokeAPIToken(let id): return Routes.revokeAPIToken.path(id)
        case .contact: return Routes.contact.path
        case .admin: return Routes.admin.path
        case .adminAccounts(let status, let role, let search, let page):
            var query: [(String, String)] = []
            if let status { query.append(("status", status.rawValue)) }
            if let role { query.append(("role", role.rawValue)) }
            if let search, !search.isEmpty { query.append(("q", search)) }
            if page > 1 { query.append(("page", String(page))) }
            return Routes.adminAccounts.path(query: query)
        case .adminAccount(let id): return Routes.adminAccount.path(id)
        case .adminAccountAction(let id, let action): return Routes.adminAccount.appending(action).path(id)
        case .adminAudit(let filter): return Routes.adminAudit.path(query: filter.parameters)
        case .adminSettings: return Routes.adminSettings.path
        }
    }

    /// The search filters as query pairs, in their one order.
    static func queryPairs(types: [ContentType], keywords: String?, sort: ListingSort?,
                           options: SearchOptions = SearchOptions()) -> [(String, String)] {
        var query: [(String, String)] = types.map { ("type", $0.rawValue) }
        if let keywords, !keywords.isEmpty { query.append(("q", keywords)) }
        if let sort { query.append(("sort", sort.rawValue)) }
        query += options.parameters.map { ($0.name, $0.value) }
        return query
    }

    private static func pageQuery(_ page: Int) -> [(String, String)] { page > 1 ? [("page", String(page))] : [] }

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

extension SiteURL {
    /// The site's address patterns. The ones here belong to the shared pages and accounts;
    /// each feature declares its own in an extension next to its `RouteCollection`.
    enum Routes {
        static let home = Address0("/")
        static let search = Address0("/search")
        /// The archive of a type (`/blog`, `/toolkits`).
        static func archive(_ type: ContentType) -> Address0 { Address0("/" + type.pathSegment) }
        /// One item of a type (`/blog/:slug`).
        static func item(_ type: ContentType) -> Address1<String> { Address1("/\(type.pathSegment)/:slug") }
        /// A month of the blog. The router needs one parameter name per position, and
        /// `/blog/:slug` is a blog post, so the year is read from the parameter called `slug`.
        static let month = Address2<String, String>("/blog/:slug/:month")
        /// A term's archive (`/tags/:slug`).
        static func term(_ vocabulary: Vocabulary) -> Address1<String> {
            Address1("/\(SiteURL.termPathSegments[vocabulary] ?? "tags")/:slug")
        }
        static let author = Address1<String>("/authors/:slug")
        static let caseLibrary = Address0("/" + ContentType.caseStudy.pathSegment)
        static let caseCompare = caseLibrary.appending("compare")
        static let caseLibraryAPI = Address0("/api/v1/cases")
        static let asset = Address1<String>("/assets/:file")
        static let contact = Address0("/contact")

        static let account = Address0("/account")
        static let signIn = Address0("/account/sign-in")
        static let signOut = Address0("/account/sign-out")
        static let register = Address0("/account/register")
        static let verifyEmail = Address0("/account/verify")
        static let resendVerification = Address0("/account/verify/resend")
        static let passwordReset = Address0("/account/password-reset")
        static let newPassword = Address0("/account/password-reset/new")
        static let changePassword = Address0("/account/password")
        static let changeEmail = Address0("/account/email")
        static let confirmEmail = Address0("/account/email/confirm")
        static let closeOtherSessions = Address0("/account/sessions/close-others")
        static let apiTokens = Address0("/account/api-tokens")
        static let revokeAPIToken = Address1<Int64>("/account/api-tokens/:id/revoke")

        static let admin = Address0("/admin")
        static let adminAccounts = Address0("/admin/accounts")
        static let adminAccount = Address1<Int64>("/admin/accounts/:id")
        static let adminAccountApprove = adminAccount.appending("approve")
        static let adminAccountReject = adminAccount.appending("reject")
        static let adminAccountRole = adminAccount.appending("role")
        static let adminAccountStatus = adminAccount.appending("status")
        static let adminSettings = Address0("/admin/settings")
        static let adminAudit = Address0("/admin/audit")
    }
}
