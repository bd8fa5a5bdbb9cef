import ObservatoryCore
import Vapor

/// Refuses, before any handler reads it, input that no page or API of the site accepts and
/// that a database would reject with an error of its own: the NUL character (PostgreSQL text
/// cannot hold it, and SQLite cuts text at it), in the address or in a form or JSON body.
/// Files sent as `multipart/form-data` are left alone: their bytes may hold anything.
struct InputGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if Self.holdsNUL(url: request.url.string) {
            throw Abort(.badRequest, reason: PageContext(request: request)("error.nul"))
        }
        if let type = request.headers.contentType, Self.isChecked(type) {
            // Forms and JSON are small (the routes' own limit applies): read them whole here.
            let limit = request.application.routes.defaultMaxBodySize.value
            _ = try await request.body.collect(max: limit).get()
            if Self.holdsNUL(body: request) { throw Abort(.badRequest, reason: PageContext(request: request)("error.nul")) }
        }
        return try await next.respond(to: request)
    }

    /// A raw NUL, or `%00` in any letter case.
    static func holdsNUL(url: String) -> Bool {
        let bytes = Array(url.utf8)
        if bytes.contains(0) { return true }
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), bytes[index + 1] == UInt8(ascii: "0"), bytes[index + 2] == UInt8(ascii: "0") { return true }
            index += 1
        }
        return false
    }

    static func isChecked(_ type: HTTPMediaType) -> Bool {
        type == .urlEncodedForm || (type.type == "application" && (type.subType == "json" || type.subType.hasSuffix("+json")))
    }

    /// For a body `isChecked` accepted: a raw NUL, `%00` in a form, `\u0000` in JSON.
    static func holdsNUL(body request: Request) -> Bool {
        guard let body = request.body.data, body.readableBytes > 0 else { return false }
        let bytes = body.readableBytesView
        if bytes.contains(0) { return true }
        let text = String(decoding: bytes, as: UTF8.self)
        return request.headers.contentType == .urlEncodedForm ? holdsNUL(url: text) : text.lowercased().contains("\\u0000")
    }
}
