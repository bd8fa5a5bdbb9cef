import Foundation
import ObservatoryCore
import Vapor

/// Refuses every state-changing request that does not carry the form token of the browser
/// that sent it, and every one that a browser says comes from another site.
///
/// Signed-in browsers use their session's token; anonymous browsers (signing in, registering,
/// the contact form) a random token kept in a cookie of their own and repeated in the form.
struct CSRFProtection: AsyncMiddleware {
    static let fieldName = "csrf_token"
    static let headerName = "X-CSRF-Token"
    static let anonymousCookie = "observatory_form"
    static let unsafeMethods: [HTTPMethod] = [.POST, .PUT, .PATCH, .DELETE]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.unsafeMethods.contains(request.method) else { return try await next.respond(to: request) }
        // A request to the API authenticated by its token, or by nothing at all, carries no
        // credentials a browser adds by itself: there is nothing to forge.
        if request.url.path.hasPrefix("/api/"), request.apiAccess != nil || request.signedIn == nil {
            return try await next.respond(to: request)
        }
        // A newsletter's unsubscribe link is signed for its subscriber: the link is the
        // authority, and mail programs post it from elsewhere (RFC 8058).
        if request.url.path == SiteURL.Routes.newsletterUnsubscribe.path { return try await next.respond(to: request) }
        guard !Self.isCrossSite(request), let expected = Self.expectedToken(for: request) else {
            throw Self.refusal(request)
        }
        var provided = request.headers.first(name: Self.headerName)
        if provided == nil {
            // File uploads are larger than forms; their routes set the same limit.
            let isUpload = request.headers.contentType?.type == "multipart"
            let limit = isUpload ? AttachmentPages.maximumUploadRequest.value : request.application.routes.defaultMaxBodySize.value
            _ = try await request.body.collect(max: limit).get()
            provided = try? request.content.get(String.self, at: Self.fieldName)
        }
        guard let provided, SecretToken.equal(provided, expected) else { throw Self.refusal(request) }
        return try await next.respond(to: request)
    }

    static func expectedToken(for request: Request) -> String? {
        if let signedIn = request.signedIn { return signedIn.csrfToken }
        guard let cookie = request.cookies[anonymousCookie]?.string, cookie.count >= 32 else { return nil }
        return cookie
    }

    /// A browser that tells where a request comes from (`Sec-Fetch-Site`, `Origin`) and names
    /// another site.
    static func isCrossSite(_ request: Request) -> Bool {
        if request.headers.first(name: "Sec-Fetch-Site") == "cross-site" { return true }
        guard let origin = request.headers.first(name: .origin), origin != "null" else { return false }
        let settings = request.application.siteSettings
        let own = URL(string: settings.baseURL).flatMap { url in url.host.map { ($0, url.port) } }
        guard let originURL = URL(string: origin), let host = originURL.host else { return true }
        if let own, own.0.lowercased() == host.lowercased(), own.1 == originURL.port { return false }
        // Also accept the host the request was addressed to (a site reached by several names).
        if let requestHost = request.headers.first(name: .host) {
            let hostPort = originURL.port.map { "\(host):\($0)" } ?? host
            if requestHost.lowercased() == hostPort.lowercased() { return false }
        }
        return true
    }

    static func refusal(_ request: Request) -> Abort {
        Abort(.forbidden, reason: PageContext(request: request)("csrf.refused"))
    }
}

extension Request {
    /// The token this browser's forms must carry; for an anonymous browser without one yet, a
    /// new token is made and set as a cookie with the response.
    var csrfToken: String {
        if let token = CSRFProtection.expectedToken(for: self) { return token }
        if case .set(let pending) = cookieChanges.all[CSRFProtection.anonymousCookie] { return pending }
        let token = SecretToken.generate()
        cookieChanges.record(.set(token), for: CSRFProtection.anonymousCookie)
        return token
    }
}
