/// A page of a listing, counted from 1: the one type every listing, admin list, sitemap part
/// and API page uses, so a page number a client sends can never become an overflowing offset
/// or an impossible range.
///
/// Values are clamped to `1...PageNumber.maximum`; offsets are computed with checked arithmetic.
public struct PageNumber: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// No listing here has more pages than this; a larger number is a typo or a probe.
    public static let maximum = 1_000_000

    public static let first = PageNumber(clamping: 1)

    public let value: Int

    /// Any whole number, brought into `1...maximum`.
    public init(clamping number: Int) {
        value = min(max(number, 1), Self.maximum)
    }

    /// The page a client wrote: digits only (an optional leading `+` is refused too), within
    /// `1...maximum`. Nil for anything else, so the caller can answer with a clear message.
    public init?(parsing text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 7, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let number = Int(text), number >= 1, number <= Self.maximum
        else { return nil }
        value = number
    }

    /// The page a client wrote, or the nearest valid page for anything out of range, and the
    /// first page for anything that is not a number: for staff lists where a friendly answer
    /// matters more than an error.
    public init(lenient text: (some StringProtocol)?) {
        guard let text else {
            self = .first
            return
        }
        if let parsed = PageNumber(parsing: text) {
            self = parsed
        } else if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            self = PageNumber(clamping: .max)
        } else {
            self = .first
        }
    }

    /// How many rows come before this page: `(value - 1) × pageSize`, never overflowing
    /// (an impossible product is `Int.max`, which every database takes as "past the end").
    public func offset(pageSize: Int) -> Int {
        let (product, overflow) = (value - 1).multipliedReportingOverflow(by: max(0, pageSize))
        return overflow ? Int.max : product
    }

    /// The number of pages `total` rows fill at `pageSize` a page; at least 1, so an empty
    /// listing still has its first page.
    public static func count(total: Int, pageSize: Int) -> Int {
        guard total > 0, pageSize > 0 else { return 1 }
        return min(total / pageSize + (total % pageSize == 0 ? 0 : 1), maximum)
    }

    public init(integerLiteral value: Int) { self.init(clamping: value) }

    public var previous: PageNumber? { value > 1 ? PageNumber(clamping: value - 1) : nil }
    public var next: PageNumber? { value < Self.maximum ? PageNumber(clamping: value + 1) : nil }

    public static func < (lhs: PageNumber, rhs: PageNumber) -> Bool { lhs.value < rhs.value }
    public var description: String { String(value) }
}

/// The page links a pager shows: the first and last page, and two on either side of the
/// current one, with gaps where pages are left out. Safe for any current page, including one
/// past the end (which shows the links of the last pages).
public struct PageWindow: Sendable, Equatable {
    public enum Slot: Sendable, Equatable {
        case page(Int, current: Bool)
        case gap
    }

    public let slots: [Slot]
    public let previous: Int?
    public let next: Int?

    public init(current: Int, count: Int, radius: Int = 2) {
        guard count > 1 else {
            slots = []
            previous = nil
            next = nil
            return
        }
        let count = min(count, PageNumber.maximum)
        let centre = min(max(current, 1), count)
        var pages: Set<Int> = [1, count]
        let low = max(1, centre - radius)
        let high = min(count, centre + radius)
        if low <= high { for page in low...high { pages.insert(page) } }
        var slots: [Slot] = []
        var last = 0
        for page in pages.sorted() {
            if page > last + 1 { slots.append(.gap) }
            slots.append(.page(page, current: page == current))
            last = page
        }
        self.slots = slots
        previous = current > 1 ? min(current - 1, count) : nil
        next = current >= 1 && current < count ? current + 1 : nil
    }
}
