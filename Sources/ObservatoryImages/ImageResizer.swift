/// Downscales images by area averaging ("box filter with exact coverage").
///
/// Each output pixel is the average of the source area it covers, with source pixels that are
/// only partly covered weighted by the covered fraction. Averaging happens on premultiplied
/// alpha, so fully transparent pixels contribute no colour. Values are averaged as stored
/// (sRGB-encoded, no gamma linearisation): this matches what browsers and most thumbnailers
/// do, and keeps flat colours and alpha edges exact.
///
/// The work is separable: every source row is resampled horizontally once, and output rows
/// accumulate the horizontally resampled rows they cover, so only two rows of intermediate
/// floats are kept in memory.
public enum ImageResizer {
    /// Returns `image` scaled to `width` (at least 1) and `round(width * height / image.width)`
    /// rows (at least 1). Images already `width` wide or narrower are returned unchanged.
    public static func resized(_ image: RasterImage, toWidth width: Int) -> RasterImage {
        let targetWidth = max(1, width)
        guard targetWidth < image.width, image.height > 0 else { return image }
        let exactHeight = Double(targetWidth) * Double(image.height) / Double(image.width)
        let targetHeight = max(1, Int(exactHeight.rounded()))

        let columns = AreaWeights(sourceCount: image.width, targetCount: targetWidth)
        let rows = AreaWeights(sourceCount: image.height, targetCount: targetHeight)
        var pixels = [UInt8](repeating: 0, count: targetWidth * targetHeight * 4)

        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { output in
                resample(
                    source: source.baseAddress!, sourceWidth: image.width, columns: columns, rows: rows,
                    into: output.baseAddress!)
            }
        }
        return RasterImage(width: targetWidth, height: targetHeight, hasAlpha: image.hasAlpha, pixels: pixels)
    }

    private static func resample(
        source: UnsafePointer<UInt8>, sourceWidth: Int, columns: AreaWeights, rows: AreaWeights,
        into output: UnsafeMutablePointer<UInt8>
    ) {
        let targetWidth = columns.targetCount
        // One source row, premultiplied; its horizontal resampling; the output row being summed.
        let premultiplied = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: sourceWidth)
        let horizontal = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: targetWidth)
        let accumulator = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: targetWidth)
        defer {
            premultiplied.deallocate()
            horizontal.deallocate()
            accumulator.deallocate()
        }
        var resampledRow = -1

        columns.weights.withUnsafeBufferPointer { columnWeights in
            for targetY in 0..<rows.targetCount {
                let span = rows.spans[targetY]
                accumulator.initialize(repeating: .zero, count: targetWidth)
                for k in 0..<span.count {
                    let sourceY = span.first + k
                    // Consecutive output rows share at most their boundary row, so each source
                    // row is resampled horizontally exactly once.
                    if sourceY != resampledRow {
                        premultiply(source + sourceY * sourceWidth * 4, count: sourceWidth, into: premultiplied)
                        for targetX in 0..<targetWidth {
                            let columnSpan = columns.spans[targetX]
                            var sum = SIMD4<Float>.zero
                            for j in 0..<columnSpan.count {
                                sum += columnWeights[columnSpan.weightOffset + j] * premultiplied[columnSpan.first + j]
                            }
                            horizontal[targetX] = sum
                        }
                        resampledRow = sourceY
                    }
                    let weight = rows.weights[span.weightOffset + k]
                    for targetX in 0..<targetWidth {
                        accumulator[targetX] += weight * horizontal[targetX]
                    }
                }
                unpremultiply(accumulator, count: targetWidth, into: output + targetY * targetWidth * 4)
            }
        }
    }

    /// RGBA bytes to (r·a, g·a, b·a, a).
    @inline(__always)
    private static func premultiply(_ pixels: UnsafePointer<UInt8>, count: Int, into row: UnsafeMutablePointer<SIMD4<Float>>) {
        for x in 0..<count {
            let p = pixels + x * 4
            let alpha = Float(p[3])
            row[x] = SIMD4(Float(p[0]) * alpha, Float(p[1]) * alpha, Float(p[2]) * alpha, alpha)
        }
    }

    /// (r·a, g·a, b·a, a) back to rounded RGBA bytes; colour is zero where nothing is visible.
    @inline(__always)
    private static func unpremultiply(_ row: UnsafePointer<SIMD4<Float>>, count: Int, into pixels: UnsafeMutablePointer<UInt8>) {
        for x in 0..<count {
            let sum = row[x]
            let alpha = sum.w
            var value = alpha > 0 ? sum / alpha : .zero
            value.w = alpha
            value = value.clamped(lowerBound: .zero, upperBound: SIMD4(repeating: 255)) + 0.5
            let p = pixels + x * 4
            p[0] = UInt8(value.x)
            p[1] = UInt8(value.y)
            p[2] = UInt8(value.z)
            p[3] = UInt8(value.w)
        }
    }
}

/// For each target pixel along one axis, the source pixels it covers and their weights.
///
/// Target pixel `i` covers source interval `[i·s/t, (i+1)·s/t)`. Measured in units of `1/t`
/// source pixels both interval ends are integers, so coverage is computed exactly and the
/// weights of every target pixel sum to 1 (up to float rounding).
struct AreaWeights {
    struct Span {
        let first: Int
        let count: Int
        let weightOffset: Int
    }

    let targetCount: Int
    private(set) var spans: [Span] = []
    private(set) var weights: [Float] = []

    init(sourceCount: Int, targetCount: Int) {
        self.targetCount = targetCount
        spans.reserveCapacity(targetCount)
        for i in 0..<targetCount {
            let low = i * sourceCount
            let high = low + sourceCount
            let first = low / targetCount
            let last = (high - 1) / targetCount
            spans.append(Span(first: first, count: last - first + 1, weightOffset: weights.count))
            for j in first...last {
                let covered = min(high, (j + 1) * targetCount) - max(low, j * targetCount)
                weights.append(Float(covered) / Float(sourceCount))
            }
        }
    }
}
