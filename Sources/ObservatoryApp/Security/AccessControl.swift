import ObservatoryCore
import Vapor

/// Route groups that declare who may use them. Every route of the site is registered through
/// one (`configure` refuses to start otherwise), and the gate checks the rule on the server
/// before the handler runs.
struct AccessControlledRoutes: RoutesBuilder {
    static let userInfoKey = "access"
    let base: any RoutesBuilder
    let level: AccessLevel

    func add(_ route: Route) {
        route.userInfo[AnySendableHashable(Self.userInfoKey)] = level
        route.responder = AccessGate(level: level).makeResponder(chainingTo: route.responder)
        base.add(route)
    }
}

extension RoutesBuilder {
    /// Routes registered on the result are open to `level` and above only.
    func access(_ level: AccessLevel) -> any RoutesBuilder { AccessControlledRoutes(base: self, level: level) }
}

extension Route {
    var accessLevel: AccessLevel? { userInfo[AnySendableHashable(AccessControlledRoutes.userInfoKey)] as? AccessLevel }
}

struct AccessGate: AsyncMiddleware {
    let level: AccessLevel

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let access = request.apiAccess {
            let needed = APIScope.needed(forMethod: request.method.rawValue)
            guard access.scopes.contains(needed) else {
                throw Abort(.forbidden, headers: ["WWW-Authenticate": "Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"\(needed.rawValue)\""],
                            reason: PageContext(request: request)("api.error.scope", ["scope": needed.rawValue]))
            }
        }
        switch level.decide(for: request.signedIn?.standing) {
        case .allowed:
            return try await next.respond(to: request)
        case .signInRequired:
            if request.prefersJSON {
                throw Abort(.unauthorized, reason: PageContext(request: request)("access.signInRequired"))
            }
            let back = request.method == .GET ? request.url.string : nil
            return request.redirect(to: SiteURL.signIn(next: back).path, redirectType: .normal)
        case .forbidden(let refusal):
            throw Abort(.forbidden, reason: PageContext(request: request)(L10nKey(refusal.messageKey)))
        }
    }
}

extension Request {
    /// Whether the client asked for JSON (API clients) rather than a page.
    var prefersJSON: Bool {
        url.path.hasPrefix("/api/") || (headers.accept.first?.mediaType == .json)
    }
}

/// Routes registered without an access rule: a programming error caught at start-up.
struct UndeclaredAccessError: Error, CustomStringConvertible {
    let routes: [String]
    var description: String { "Routes without an access rule: " + routes.joined(separator: ", ") }
}

extension Application {
    func checkEveryRouteDeclaresAccess() throws {
        let undeclared = routes.all.filter { $0.accessLevel == nil }.map { "\($0.method) /\($0.path.string)" }
        if !undeclared.isEmpty { throw UndeclaredAccessError(routes: undeclared) }
    }
}
