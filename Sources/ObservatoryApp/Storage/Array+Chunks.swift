extension Array {
    /// The elements in consecutive runs of at most `size`, for statements that bind one value
    /// per element and must stay under the database's limit on bound values.
    func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
