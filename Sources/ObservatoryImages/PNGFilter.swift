/// PNG scanline filters (filter method 0): each byte is stored as the difference from a
/// prediction made from the byte to its left (`a`), above (`b`) and above-left (`c`), where
/// "left" means one whole pixel back (at least one byte).
enum PNGFilter {
    static let none: UInt8 = 0
    static let sub: UInt8 = 1
    static let up: UInt8 = 2
    static let average: UInt8 = 3
    static let paeth: UInt8 = 4

    /// Undoes filter `type` in place. `previous` is the reconstructed row above, or zeros for
    /// the first row of an image or pass.
    static func reconstruct(
        type: UInt8, row: UnsafeMutablePointer<UInt8>, previous: UnsafePointer<UInt8>,
        count: Int, bytesPerPixel: Int
    ) throws {
        let lead = min(bytesPerPixel, count)  // Bytes with no left neighbour.
        switch type {
        case none:
            break
        case sub:
            for i in lead..<count {
                row[i] &+= row[i - bytesPerPixel]
            }
        case up:
            for i in 0..<count {
                row[i] &+= previous[i]
            }
        case average:
            for i in 0..<lead {
                row[i] &+= previous[i] >> 1
            }
            for i in lead..<count {
                row[i] &+= UInt8((UInt16(row[i - bytesPerPixel]) + UInt16(previous[i])) >> 1)
            }
        case paeth:
            for i in 0..<lead {
                row[i] &+= previous[i]
            }
            for i in lead..<count {
                row[i] &+= paethPredictor(row[i - bytesPerPixel], previous[i], previous[i - bytesPerPixel])
            }
        default:
            throw ImageCodecError.corrupt("unknown filter type \(type)")
        }
    }

    /// Whichever of a, b, c is closest to a + b - c (ties prefer a, then b).
    @inline(__always)
    static func paethPredictor(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let a = Int(a), b = Int(b), c = Int(c)
        let distanceA = abs(b - c)
        let distanceB = abs(a - c)
        let distanceC = abs(a + b - 2 * c)
        if distanceA <= distanceB && distanceA <= distanceC { return UInt8(truncatingIfNeeded: a) }
        return UInt8(truncatingIfNeeded: distanceB <= distanceC ? b : c)
    }
}
