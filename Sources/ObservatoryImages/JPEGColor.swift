/// How a frame's components map to colour.
enum JPEGColorModel {
    case gray
    case ycbcr
    case rgb
    /// Adobe CMYK, stored inverted (0 = full ink).
    case cmyk
    /// Adobe YCbCr-encoded CMY (inverted) plus an inverted K.
    case ycck
}

extension JPEGFrame {
    /// Dequantises and inverse-transforms every coded block of a progressive frame into the sample planes.
    mutating func transformCoefficients() {
        let components = self.components
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { block.deallocate() }
        coefficients.withUnsafeBufferPointer { coefficients in
            samples.withUnsafeMutableBufferPointer { samples in
                guard let source = coefficients.baseAddress, let destination = samples.baseAddress else { return }
                for component in components {
                    // A component that no scan mentioned has all-zero coefficients; any factor will do.
                    let quantization = component.latchedQuantization ?? [Float](repeating: 1, count: 64)
                    let stride = component.stride
                    for row in 0..<component.blocksHigh {
                        for column in 0..<component.blocksWide {
                            let from = component.coefficientOffset + (row * component.blocksPerLine + column) * 64
                            let to = component.sampleOffset + row * 8 * stride + column * 8
                            guard from + 64 <= coefficients.count, to + 7 * stride + 8 <= samples.count else { continue }
                            let input = source + from
                            var ac: Int16 = 0
                            for i in 1..<64 { ac |= input[i] }
                            if ac == 0 {
                                JPEGTransform.fillDC(Float(input[0]) * quantization[0], into: destination + to, stride: stride)
                            } else {
                                for i in 0..<64 { block[i] = Float(input[i]) * quantization[i] }
                                JPEGTransform.inverse(block, into: destination + to, stride: stride)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Upsamples the planes to full resolution and converts them to RGBA, opaque.
    func rgba(_ model: JPEGColorModel) -> [UInt8] {
        let width = self.width, height = self.height
        let components = self.components
        let maxH = self.maxH, maxV = self.maxV
        let count = width * height * 4
        // One upsampled row per subsampled component, and a row of vertically filtered values.
        var rows = [UInt8](repeating: 0, count: width * components.count)
        var filtered = [Int32](repeating: 0, count: width + 1)
        return [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            samples.withUnsafeBufferPointer { samples in
                rows.withUnsafeMutableBufferPointer { rows in
                    filtered.withUnsafeMutableBufferPointer { filtered in
                        guard let planes = samples.baseAddress, let rowBase = rows.baseAddress,
                              let filteredBase = filtered.baseAddress, let out = output.baseAddress
                        else {
                            output.initialize(repeating: 0)
                            return
                        }
                        var row: [UnsafePointer<UInt8>] = Array(repeating: planes, count: components.count)
                        for y in 0..<height {
                            for (i, component) in components.enumerated() {
                                if component.h == maxH && component.v == maxV {
                                    row[i] = planes + component.sampleOffset + y * component.stride
                                } else {
                                    let destination = rowBase + i * width
                                    Self.upsampleRow(
                                        component, y: y, planes: planes, maxH: maxH, maxV: maxV,
                                        width: width, filtered: filteredBase, into: destination
                                    )
                                    row[i] = UnsafePointer(destination)
                                }
                            }
                            let pixels = out + y * width * 4
                            switch model {
                            case .gray: Self.gray(row[0], pixels, width)
                            case .ycbcr: Self.ycbcr(row[0], row[1], row[2], pixels, width)
                            case .rgb: Self.rgb(row[0], row[1], row[2], pixels, width)
                            case .cmyk: Self.cmyk(row[0], row[1], row[2], row[3], pixels, width)
                            case .ycck: Self.ycck(row[0], row[1], row[2], row[3], pixels, width)
                            }
                        }
                    }
                }
            }
            initialized = count
        }
    }

    /// Produces row `y` of a subsampled component at full resolution.
    ///
    /// When both ratios are 1 or 2 (4:2:0, 4:2:2, 4:4:0) and the component is wider than two samples,
    /// a factor of two uses the triangle ("fancy") filter: each output sample weighs its nearest input
    /// sample 3/4 and the next nearest 1/4, which keeps chroma edges smooth. Otherwise samples are
    /// replicated; this matches libjpeg's choices. Rows and columns beyond the component's edge repeat
    /// the last one.
    private static func upsampleRow(
        _ component: Component, y: Int, planes: UnsafePointer<UInt8>, maxH: Int, maxV: Int,
        width: Int, filtered: UnsafeMutablePointer<Int32>, into destination: UnsafeMutablePointer<UInt8>
    ) {
        let plane = planes + component.sampleOffset
        let stride = component.stride
        let sourceWidth = component.width, lastRow = component.height - 1
        let smooth = sourceWidth > 2
            && (maxH == component.h || maxH == 2 * component.h) && (maxV == component.v || maxV == 2 * component.v)

        // Vertical pass into `filtered`, scaled by 4 (fancy) or 1.
        let verticalShift: Int32
        if smooth && maxV == 2 * component.v {
            let near = min(y >> 1, lastRow)
            let far = y & 1 == 0 ? max(near - 1, 0) : min(near + 1, lastRow)
            let a = plane + near * stride, b = plane + far * stride
            for i in 0..<sourceWidth { filtered[i] = 3 &* Int32(a[i]) &+ Int32(b[i]) }
            verticalShift = 2
        } else {
            let a = plane + min(y * component.v / maxV, lastRow) * stride
            for i in 0..<sourceWidth { filtered[i] = Int32(a[i]) }
            verticalShift = 0
        }

        if smooth && maxH == 2 * component.h {
            let shift = verticalShift + 2
            let bias: Int32 = 1 << (shift - 1)
            let last = sourceWidth - 1
            for i in 0..<sourceWidth {
                let centre = 3 &* filtered[i]
                let left = filtered[max(i - 1, 0)], right = filtered[min(i + 1, last)]
                let x = 2 * i
                destination[x] = UInt8(truncatingIfNeeded: (centre &+ left &+ bias) >> shift)
                if x + 1 < width {
                    destination[x + 1] = UInt8(truncatingIfNeeded: (centre &+ right &+ bias) >> shift)
                }
            }
        } else {
            let bias: Int32 = verticalShift == 0 ? 0 : 1 << (verticalShift - 1)
            if maxH == component.h {
                for x in 0..<width {
                    destination[x] = UInt8(truncatingIfNeeded: (filtered[x] &+ bias) >> verticalShift)
                }
            } else {
                for x in 0..<width {
                    let source = min(x * component.h / maxH, sourceWidth - 1)
                    destination[x] = UInt8(truncatingIfNeeded: (filtered[source] &+ bias) >> verticalShift)
                }
            }
        }
    }

    private static func gray(_ l: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ width: Int) {
        for x in 0..<width {
            let v = l[x]
            out[4 * x] = v; out[4 * x + 1] = v; out[4 * x + 2] = v; out[4 * x + 3] = 255
        }
    }

    private static func rgb(
        _ r: UnsafePointer<UInt8>, _ g: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>,
        _ out: UnsafeMutablePointer<UInt8>, _ width: Int
    ) {
        for x in 0..<width {
            out[4 * x] = r[x]; out[4 * x + 1] = g[x]; out[4 * x + 2] = b[x]; out[4 * x + 3] = 255
        }
    }

    /// JFIF YCbCr to RGB (ITU-R BT.601 full range) in 16-bit fixed point.
    @inline(__always)
    private static func ycbcrToRGB(_ y: UInt8, _ cb: UInt8, _ cr: UInt8) -> (Int32, Int32, Int32) {
        let l = Int32(y), b = Int32(cb) - 128, r = Int32(cr) - 128
        return (
            l &+ ((91881 &* r &+ 32768) >> 16),                // 1.402
            l &+ ((-22554 &* b &- 46802 &* r &+ 32768) >> 16), // 0.344136, 0.714136
            l &+ ((116130 &* b &+ 32768) >> 16)                // 1.772
        )
    }

    private static func ycbcr(
        _ y: UnsafePointer<UInt8>, _ cb: UnsafePointer<UInt8>, _ cr: UnsafePointer<UInt8>,
        _ out: UnsafeMutablePointer<UInt8>, _ width: Int
    ) {
        for x in 0..<width {
            let (r, g, b) = ycbcrToRGB(y[x], cb[x], cr[x])
            out[4 * x] = UInt8(clamping: r)
            out[4 * x + 1] = UInt8(clamping: g)
            out[4 * x + 2] = UInt8(clamping: b)
            out[4 * x + 3] = 255
        }
    }

    /// a × b / 255, rounded.
    @inline(__always)
    private static func multiply255(_ a: Int32, _ b: Int32) -> UInt8 {
        let t = a &* b &+ 128
        return UInt8(truncatingIfNeeded: (t &+ (t >> 8)) >> 8)
    }

    /// Inverted CMYK (as Adobe writes it): each stored value is 255 − ink, so R = C' × K' / 255.
    private static func cmyk(
        _ c: UnsafePointer<UInt8>, _ m: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, _ k: UnsafePointer<UInt8>,
        _ out: UnsafeMutablePointer<UInt8>, _ width: Int
    ) {
        for x in 0..<width {
            let key = Int32(k[x])
            out[4 * x] = multiply255(Int32(c[x]), key)
            out[4 * x + 1] = multiply255(Int32(m[x]), key)
            out[4 * x + 2] = multiply255(Int32(y[x]), key)
            out[4 * x + 3] = 255
        }
    }

    /// YCCK: the YCbCr triple decodes to 255 − C', 255 − M', 255 − Y' of inverted CMYK.
    private static func ycck(
        _ y: UnsafePointer<UInt8>, _ cb: UnsafePointer<UInt8>, _ cr: UnsafePointer<UInt8>, _ k: UnsafePointer<UInt8>,
        _ out: UnsafeMutablePointer<UInt8>, _ width: Int
    ) {
        for x in 0..<width {
            let (r, g, b) = ycbcrToRGB(y[x], cb[x], cr[x])
            let key = Int32(k[x])
            out[4 * x] = multiply255(255 - Int32(UInt8(clamping: r)), key)
            out[4 * x + 1] = multiply255(255 - Int32(UInt8(clamping: g)), key)
            out[4 * x + 2] = multiply255(255 - Int32(UInt8(clamping: b)), key)
            out[4 * x + 3] = 255
        }
    }
}
