import Testing

@testable import ObservatoryImages

@Suite("Image resizing")
struct ResizerTests {
    private func image(width: Int, height: Int, hasAlpha: Bool = false, _ rgba: (Int, Int) -> [UInt8]) -> RasterImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += rgba(x, y)
            }
        }
        return RasterImage(width: width, height: height, hasAlpha: hasAlpha, pixels: pixels)
    }

    @Test func checkerboardAveragesToMidGrey() {
        let board = image(width: 4, height: 4) { x, y in (x + y) % 2 == 0 ? [0, 0, 0, 255] : [255, 255, 255, 255] }
        let small = ImageResizer.resized(board, toWidth: 2)
        #expect(small.width == 2 && small.height == 2)
        for i in stride(from: 0, to: small.pixels.count, by: 4) {
            #expect([127, 128].contains(small.pixels[i]))
            #expect(small.pixels[i] == small.pixels[i + 1] && small.pixels[i] == small.pixels[i + 2])
            #expect(small.pixels[i + 3] == 255)
        }
    }

    @Test func weightsPartlyCoveredPixelsByCoverage() {
        // Output pixel 0 covers source [0, 1.5): all of pixel 0 and half of pixel 1;
        // output pixel 1 covers [1.5, 3). Red 0, 90, 180 -> (0 + 45) / 1.5 = 30 and (45 + 180) / 1.5 = 150.
        let row = image(width: 3, height: 1) { x, _ in [[0, 30, 255, 255], [90, 60, 255, 255], [180, 90, 255, 255]][x] }
        let small = ImageResizer.resized(row, toWidth: 2)
        #expect(small.width == 2 && small.height == 1)
        #expect(small.pixels == [30, 40, 255, 255, 150, 80, 255, 255])
    }

    @Test func transparentPixelsDoNotBleedColour() {
        let pair = image(width: 2, height: 1, hasAlpha: true) { x, _ in x == 0 ? [255, 0, 0, 0] : [0, 0, 255, 255] }
        let small = ImageResizer.resized(pair, toWidth: 1)
        #expect(small.pixels == [0, 0, 255, 128])
        #expect(small.hasAlpha)

        // Partly transparent colours mix in proportion to their opacity.
        let mixed = image(width: 2, height: 1, hasAlpha: true) { x, _ in x == 0 ? [255, 0, 0, 51] : [0, 0, 255, 204] }
        #expect(ImageResizer.resized(mixed, toWidth: 1).pixels == [51, 0, 204, 128])
    }

    @Test func outputHeightIsRounded() {
        let photo = RasterImage(width: 1000, height: 667, hasAlpha: false, pixels: [UInt8](repeating: 200, count: 1000 * 667 * 4))
        let small = ImageResizer.resized(photo, toWidth: 480)
        #expect(small.width == 480 && small.height == 320)
        #expect(small.pixels.allSatisfy { $0 == 200 })

        let strip = RasterImage(width: 3000, height: 1, hasAlpha: false, pixels: [UInt8](repeating: 255, count: 3000 * 4))
        let thin = ImageResizer.resized(strip, toWidth: 10)
        #expect(thin.width == 10 && thin.height == 1)
    }

    @Test func sameOrLargerWidthReturnsImageUnchanged() {
        let original = image(width: 5, height: 3, hasAlpha: true) { x, y in [UInt8(x * 40), UInt8(y * 80), 7, UInt8(x * 50)] }
        #expect(ImageResizer.resized(original, toWidth: 5) == original)
        #expect(ImageResizer.resized(original, toWidth: 800) == original)
    }

    @Test func matchesDirectAreaAverage() {
        var random = SplitMix64(state: 42)
        let source = image(width: 53, height: 31, hasAlpha: true) { _, _ in
            (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        let small = ImageResizer.resized(source, toWidth: 17)
        #expect(small.width == 17 && small.height == 10)
        let xScale = Double(source.width) / Double(small.width)
        let yScale = Double(source.height) / Double(small.height)

        /// Length of [start, end) inside [index, index + 1).
        func coverage(_ index: Int, _ start: Double, _ end: Double) -> Double {
            max(0, min(end, Double(index + 1)) - max(start, Double(index)))
        }
        var largestError = 0.0
        for y in 0..<small.height {
            for x in 0..<small.width {
                var sums = [0.0, 0.0, 0.0, 0.0]
                for sy in 0..<source.height {
                    let wy = coverage(sy, Double(y) * yScale, Double(y + 1) * yScale)
                    guard wy > 0 else { continue }
                    for sx in 0..<source.width {
                        let w = wy * coverage(sx, Double(x) * xScale, Double(x + 1) * xScale)
                        guard w > 0 else { continue }
                        let p = pixel(source, sx, sy).map(Double.init)
                        for c in 0..<3 { sums[c] += w * p[c] * p[3] }
                        sums[3] += w * p[3]
                    }
                }
                let alpha = sums[3] / (xScale * yScale)
                let expected = (0..<3).map { sums[3] > 0 ? sums[$0] / sums[3] : 0 } + [alpha]
                for (actual, wanted) in zip(pixel(small, x, y), expected) {
                    largestError = max(largestError, abs(Double(actual) - wanted))
                }
            }
        }
        #expect(largestError <= 0.5 + 1e-3)
    }
}
