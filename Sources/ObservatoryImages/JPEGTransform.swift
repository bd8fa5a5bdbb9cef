/// 8×8 discrete cosine transforms (T.81 A.3.3) in single precision.
///
/// Both directions split the 8-point 1-D transform into an even half (a 4-point transform of
/// coefficients 0, 2, 4, 6) and an odd half (a 4×4 product for coefficients 1, 3, 5, 7), which needs
/// 22 multiplications instead of 64. The 2-D normalisation (1/4)·C(u)·C(v) is folded into the
/// constants: every 1-D pass includes a factor 1/2, with C(0) = 1/√2.
enum JPEGTransform {
    // cos(kπ/16) / 2
    private static let h1: Float = 0.490392640201615
    private static let h2: Float = 0.461939766255643
    private static let h3: Float = 0.415734806151273
    private static let h4: Float = 0.353553390593274
    private static let h5: Float = 0.277785116509801
    private static let h6: Float = 0.191341716182545
    private static let h7: Float = 0.097545161008064

    @inline(__always)
    private static func inverse1D(
        _ x0: Float, _ x1: Float, _ x2: Float, _ x3: Float,
        _ x4: Float, _ x5: Float, _ x6: Float, _ x7: Float
    ) -> (Float, Float, Float, Float, Float, Float, Float, Float) {
        let p = h4 * (x0 + x4)
        let q = h4 * (x0 - x4)
        let r = h2 * x2 + h6 * x6
        let t = h6 * x2 - h2 * x6
        let e0 = p + r, e3 = p - r, e1 = q + t, e2 = q - t
        let o0 = h1 * x1 + h3 * x3 + h5 * x5 + h7 * x7
        let o1 = h3 * x1 - h7 * x3 - h1 * x5 - h5 * x7
        let o2 = h5 * x1 - h1 * x3 + h7 * x5 + h3 * x7
        let o3 = h7 * x1 - h5 * x3 + h3 * x5 - h1 * x7
        return (e0 + o0, e1 + o1, e2 + o2, e3 + o3, e3 - o3, e2 - o2, e1 - o1, e0 - o0)
    }

    @inline(__always)
    private static func forward1D(
        _ x0: Float, _ x1: Float, _ x2: Float, _ x3: Float,
        _ x4: Float, _ x5: Float, _ x6: Float, _ x7: Float
    ) -> (Float, Float, Float, Float, Float, Float, Float, Float) {
        let a0 = x0 + x7, a1 = x1 + x6, a2 = x2 + x5, a3 = x3 + x4
        let d0 = x0 - x7, d1 = x1 - x6, d2 = x2 - x5, d3 = x3 - x4
        let s03 = a0 + a3, s12 = a1 + a2, m03 = a0 - a3, m12 = a1 - a2
        return (
            h4 * (s03 + s12),
            h1 * d0 + h3 * d1 + h5 * d2 + h7 * d3,
            h2 * m03 + h6 * m12,
            h3 * d0 - h7 * d1 - h1 * d2 - h5 * d3,
            h4 * (s03 - s12),
            h5 * d0 - h1 * d1 + h7 * d2 + h3 * d3,
            h6 * m03 - h2 * m12,
            h7 * d0 - h5 * d1 + h3 * d2 - h1 * d3
        )
    }

    @inline(__always)
    private static func clampSample(_ value: Float) -> UInt8 {
        // +128 level shift, +0.5 so truncation rounds to nearest.
        UInt8(min(max(value + 128.5, 0), 255))
    }

    /// Writes the block whose only non-zero coefficient is the dequantised DC value.
    @inline(__always)
    static func fillDC(_ dc: Float, into output: UnsafeMutablePointer<UInt8>, stride: Int) {
        let value = clampSample(dc * 0.125)
        for row in 0..<8 {
            (output + row * stride).update(repeating: value, count: 8)
        }
    }

    /// Inverse DCT of dequantised coefficients in natural order into 8×8 samples at `output`
    /// (rows `stride` bytes apart). Clobbers `block`.
    @inline(__always)
    static func inverse(_ block: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<UInt8>, stride: Int) {
        // Columns, in place. A column with no AC energy is constant, which is common after quantisation.
        for c in 0..<8 {
            let b = block + c
            if b[8] == 0 && b[16] == 0 && b[24] == 0 && b[32] == 0 && b[40] == 0 && b[48] == 0 && b[56] == 0 {
                let v = b[0] * h4
                b[0] = v; b[8] = v; b[16] = v; b[24] = v; b[32] = v; b[40] = v; b[48] = v; b[56] = v
                continue
            }
            let y = inverse1D(b[0], b[8], b[16], b[24], b[32], b[40], b[48], b[56])
            b[0] = y.0; b[8] = y.1; b[16] = y.2; b[24] = y.3; b[32] = y.4; b[40] = y.5; b[48] = y.6; b[56] = y.7
        }
        for r in 0..<8 {
            let b = block + r * 8
            let o = output + r * stride
            let y = inverse1D(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])
            o[0] = clampSample(y.0); o[1] = clampSample(y.1); o[2] = clampSample(y.2); o[3] = clampSample(y.3)
            o[4] = clampSample(y.4); o[5] = clampSample(y.5); o[6] = clampSample(y.6); o[7] = clampSample(y.7)
        }
    }

    /// Forward DCT, in place, of 64 level-shifted samples in natural order.
    @inline(__always)
    static func forward(_ block: UnsafeMutablePointer<Float>) {
        for r in 0..<8 {
            let b = block + r * 8
            let y = forward1D(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])
            b[0] = y.0; b[1] = y.1; b[2] = y.2; b[3] = y.3; b[4] = y.4; b[5] = y.5; b[6] = y.6; b[7] = y.7
        }
        for c in 0..<8 {
            let b = block + c
            let y = forward1D(b[0], b[8], b[16], b[24], b[32], b[40], b[48], b[56])
            b[0] = y.0; b[8] = y.1; b[16] = y.2; b[24] = y.3; b[32] = y.4; b[40] = y.5; b[48] = y.6; b[56] = y.7
        }
    }
}
