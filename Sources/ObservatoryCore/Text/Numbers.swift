extension Int {
    /// A `Double` from stored or typed data as a whole number, without trapping: rounded
    /// toward zero, clamped to `Int`'s range, and 0 for NaN. `Int(someDouble)` stops the
    /// process for NaN, infinities and anything beyond ±9.2 × 10¹⁸.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9.223_372_036_854_775_807e18 {
            self = .max
        } else if value <= -9.223_372_036_854_775_808e18 {
            self = .min
        } else {
            self = Int(value.rounded(.towardZero))
        }
    }
}
