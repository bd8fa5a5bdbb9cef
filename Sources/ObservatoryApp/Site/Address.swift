import Vapor

/// One address pattern of the site: fixed segments and named parameters, written the way the
/// router reads it (`/admin/media/:id/delete`). The site's addresses are declared once, as
/// typed constants on `SiteURL` (`Address0`, `Address1<Int64>`…): routes are registered from
/// them and every link, form action and redirect is built from them, so renaming an address is
/// a one-line change and a link with the wrong parameters does not compile.
struct Address: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case fixed(String)
        case parameter(String)
    }

    private(set) var segments: [Segment]

    init(_ pattern: String) {
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .fixed(String(part))
        }
    }

    var parameterCount: Int { segments.filter { if case .parameter = $0 { true } else { false } }.count }

    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .fixed(let text): .constant(text)
            case .parameter(let name): .parameter(name)
            }
        }
    }

    /// The pattern as written (`/admin/media/:id`).
    var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .fixed(let text): text
            case .parameter(let name): ":" + name
            }
        }.joined(separator: "/")
    }

    /// The address one fixed segment further down (`/blog` → `/blog/feed.rss`).
    func appending(_ segment: String) -> Address {
        var copy = self
        copy.segments.append(.fixed(segment))
        return copy
    }

    /// The path with `values` in the parameters, in order, each percent-encoded, then the query.
    func path(_ values: [String], query: [(String, String)] = []) -> String {
        var values = values.makeIterator()
        let path = "/" + segments.map { segment in
            switch segment {
            case .fixed(let text): text
            case .parameter: SiteURL.encode(values.next() ?? "")
            }
        }.joined(separator: "/")
        return path + SiteURL.queryString(query)
    }
}

/// A value that fills a parameter of an address.
protocol AddressValue: Sendable {
    var addressText: String { get }
}

extension Int64: AddressValue {
    var addressText: String { String(self) }
}

extension Int: AddressValue {
    var addressText: String { String(self) }
}

extension String: AddressValue {
    var addressText: String { self }
}

/// A typed address: registered as a route, filled in as a link.
protocol SiteAddress: Sendable {
    var address: Address { get }
}

/// An address without parameters.
struct Address0: SiteAddress {
    let address: Address

    init(_ pattern: String) {
        address = Address(pattern)
        precondition(address.parameterCount == 0, "\(pattern) has parameters")
    }

    private init(address: Address) { self.address = address }

    var path: String { address.path([]) }
    func path(query: [(String, String)]) -> String { address.path([], query: query) }
    func appending(_ segment: String) -> Address0 { Address0(address: address.appending(segment)) }
}

/// An address with one parameter.
struct Address1<A: AddressValue>: SiteAddress {
    let address: Address

    init(_ pattern: String) {
        address = Address(pattern)
        precondition(address.parameterCount == 1, "\(pattern) must have one parameter")
    }

    private init(address: Address) { self.address = address }

    func path(_ a: A, query: [(String, String)] = []) -> String { address.path([a.addressText], query: query) }
    func appending(_ segment: String) -> Address1 { Address1(address: address.appending(segment)) }
}

/// An address with two parameters.
struct Address2<A: AddressValue, B: AddressValue>: SiteAddress {
    let address: Address

    init(_ pattern: String) {
        address = Address(pattern)
        precondition(address.parameterCount == 2, "\(pattern) must have two parameters")
    }

    private init(address: Address) { self.address = address }

    func path(_ a: A, _ b: B, query: [(String, String)] = []) -> String {
        address.path([a.addressText, b.addressText], query: query)
    }
    func appending(_ segment: String) -> Address2 { Address2(address: address.appending(segment)) }
}

extension RoutesBuilder {
    /// Registers `address` for GET.
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ address: some SiteAddress, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, address.address.pathComponents, use: closure)
    }

    /// Registers `address` for POST.
    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ address: some SiteAddress, body: HTTPBodyStreamStrategy = .collect,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, address.address.pathComponents, body: body, use: closure)
    }

    /// Registers `address` for any method.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ address: some SiteAddress, body: HTTPBodyStreamStrategy = .collect,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, address.address.pathComponents, body: body, use: closure)
    }
}
