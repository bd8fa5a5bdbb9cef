import ObservatoryCore
import Vapor

/// Turns every error into a friendly page with the right status. Messages written for users
/// (`Abort` reasons) are shown; anything else is logged and replaced by a general sentence, so
/// no stack trace or SQL ever reaches a visitor.
struct ErrorPages: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return page(for: error, request: request)
        }
    }

    func page(for error: any Error, request: Request) -> Response {
        let context = PageContext(request: request)
        let status: HTTPResponseStatus
        var message: String?
        if let abort = error as? any AbortError {
            status = abort.status
            if abort.reason != status.reasonPhrase { message = abort.reason }
        } else {
            status = .internalServerError
            request.logger.report(error: error)
        }
        let heading: String
        let explanation: String
        switch status {
        case .notFound:
            heading = context("error.notFound.title")
            explanation = context("error.notFound.text")
        case .badRequest:
            heading = context("error.badRequest.title")
            explanation = context("error.badRequest.text")
        case .internalServerError:
            heading = context("error.server.title")
            explanation = context("error.server.text")
        default:
            heading = status.reasonPhrase
            explanation = context("error.other.text")
        }
        let content: HTML = """
        <section class="error-page">
        <h1>\(heading)</h1>
        \(message.map { "<p class=\"error-message\">\($0)</p>" as HTML })
        <p>\(explanation)</p>
        <form method="get" action="\(SiteURL.Routes.search.path)" role="search">
        <label for="error-q">\(context("home.searchLabel"))</label>
        <input type="search" id="error-q" name="q" maxlength="\(SearchQuery.maximumKeywordLength)">
        <button type="submit">\(context("layout.search"))</button>
        </form>
        <p><a href="\(SiteURL.home.path)">\(context("error.home"))</a></p>
        </section>
        """
        let response = Layout.page(context, title: heading, content: content).htmlResponse(status: status)
        if let abort = error as? any AbortError {
            for (name, value) in abort.headers where name.lowercased() != "content-type" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
        }
        return response
    }
}
