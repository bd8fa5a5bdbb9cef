/// A fixed-size set of small integers (`0..<capacity`) as 64-bit words, for intersecting and
/// counting facet postings in a few hundred word operations.
public struct Bitset: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public let capacity: Int

    /// An empty set, or a full one with `filled`.
    public init(capacity: Int, filled: Bool = false) {
        self.capacity = capacity
        let count = (capacity + 63) / 64
        words = Array(repeating: filled ? ~0 : 0, count: count)
        if filled, capacity % 64 != 0, count > 0 {
            words[count - 1] = (1 << UInt64(capacity % 64)) - 1
        }
    }

    public mutating func insert(_ member: Int) {
        words[member >> 6] |= 1 << UInt64(member & 63)
    }

    public func contains(_ member: Int) -> Bool {
        words[member >> 6] & (1 << UInt64(member & 63)) != 0
    }

    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public mutating func formIntersection(_ other: Bitset) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] &= theirs[index] }
            }
        }
    }

    public mutating func formUnion(_ other: Bitset) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] |= theirs[index] }
            }
        }
    }

    public func intersection(_ other: Bitset) -> Bitset {
        var result = self
        result.formIntersection(other)
        return result
    }

    /// The size of the intersection, without building it.
    public func intersectionCount(_ other: Bitset) -> Int {
        words.withUnsafeBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                var total = 0
                for index in mine.indices { total &+= (mine[index] & theirs[index]).nonzeroBitCount }
                return total
            }
        }
    }

    /// The members in increasing order.
    public var members: [Int] {
        var result: [Int] = []
        result.reserveCapacity(count)
        for (wordIndex, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                result.append(wordIndex << 6 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return result
    }
}
