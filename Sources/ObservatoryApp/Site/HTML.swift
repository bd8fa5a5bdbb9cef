import ObservatoryCore
import Vapor

/// A fragment of HTML. Text interpolated into it is escaped; only other `HTML` values (and
/// the Markdown renderer's safe output) go in unescaped, so escaping is the default.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var rendered: String

    init(stringLiteral value: String) { rendered = value }
    init(stringInterpolation: Interpolation) { rendered = stringInterpolation.output }
    private init(trusted: String) { rendered = trusted }

    static let empty = HTML(stringLiteral: "")

    /// Output of a renderer that is safe by construction, such as `Markdown.html(from:)`.
    static func trusted(_ html: String) -> HTML { HTML(trusted: html) }

    var description: String { rendered }

    struct Interpolation: StringInterpolationProtocol {
        var output = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            output.reserveCapacity(literalCapacity + interpolationCount * 24)
        }

        mutating func appendLiteral(_ literal: String) { output += literal }
        mutating func appendInterpolation(_ text: String) { output += text.htmlEscaped }
        mutating func appendInterpolation(_ text: Substring) { output += String(text).htmlEscaped }
        mutating func appendInterpolation(_ number: Int) { output += String(number) }
        mutating func appendInterpolation(_ html: HTML) { output += html.rendered }
        mutating func appendInterpolation(_ html: HTML?) { output += html?.rendered ?? "" }
        mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { output += fragment.rendered }
        }
    }
}

extension Array where Element == HTML {
    func joined(separator: HTML) -> HTML {
        .trusted(map(\.rendered).joined(separator: separator.rendered))
    }
}

extension HTML: AsyncResponseEncodable {
    func encodeResponse(for request: Request) async throws -> Response {
        htmlResponse(status: .ok)
    }

    func htmlResponse(status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: rendered))
    }
}
