/// Converts one reconstructed scanline of any PNG pixel format to 8-bit RGBA.
struct PNGRowExpander {
    private enum Layout {
        /// Palette indices or grayscale of up to 8 bits, looked up in `table`.
        case indexed(bitDepth: Int)
        case gray16, rgb8, rgb16
        /// Samples are 1 or 2 bytes; of 16-bit samples only the high byte is kept.
        case grayAlpha(sampleBytes: Int)
        case rgba(sampleBytes: Int)
    }

    private let layout: Layout
    /// RGBA for each sample value of an indexed layout (256 entries).
    private let table: [UInt8]
    /// The tRNS colour key of a gray (`r` only) or RGB image, at the file's bit depth.
    private let key: (r: Int, g: Int, b: Int)?

    init(header: PNGHeader, palette: [UInt8]?, transparency: [UInt8]?) {
        let depth = header.bitDepth
        var table: [UInt8] = []
        var key: (r: Int, g: Int, b: Int)?
        switch header.colorType {
        case .gray:
            if let t = transparency {
                let value = Int(t[0]) << 8 | Int(t[1])
                key = (value, value, value)
            }
            layout = depth == 16 ? .gray16 : .indexed(bitDepth: depth)
            if depth <= 8 {
                let maximum = (1 << depth) - 1
                table.reserveCapacity(256 * 4)
                for value in 0..<256 {
                    let level = UInt8(truncatingIfNeeded: min(value, maximum) * 255 / maximum)
                    table += [level, level, level, value == key?.r ? 0 : 255]
                }
            }
        case .palette:
            layout = .indexed(bitDepth: depth)
            let entries = palette ?? []
            let alphas = transparency ?? []
            table.reserveCapacity(256 * 4)
            for index in 0..<256 {
                if index * 3 < entries.count {
                    let alpha = index < alphas.count ? alphas[index] : 255
                    table += [entries[index * 3], entries[index * 3 + 1], entries[index * 3 + 2], alpha]
                } else {
                    table += [0, 0, 0, 255]
                }
            }
        case .rgb:
            if let t = transparency {
                key = (Int(t[0]) << 8 | Int(t[1]), Int(t[2]) << 8 | Int(t[3]), Int(t[4]) << 8 | Int(t[5]))
            }
            layout = depth == 16 ? .rgb16 : .rgb8
        case .grayAlpha:
            layout = .grayAlpha(sampleBytes: depth / 8)
        case .rgba:
            layout = .rgba(sampleBytes: depth / 8)
        }
        self.table = table
        self.key = key
    }

    /// Writes `count` pixels from `row` to `destination`, `step` bytes apart, and returns the
    /// bitwise AND of the alpha values written (255 exactly when all are opaque).
    func expand(_ row: UnsafePointer<UInt8>, count: Int, into destination: UnsafeMutablePointer<UInt8>, step: Int) -> UInt8 {
        var alphas: UInt8 = 255
        switch layout {
        case .indexed(let depth):
            table.withUnsafeBufferPointer { table in
                let mask = (1 << depth) - 1
                for i in 0..<count {
                    let bit = i * depth
                    let value = (Int(row[bit >> 3]) >> (8 - depth - (bit & 7))) & mask
                    let d = destination + i * step
                    let entry = value * 4
                    d[0] = table[entry]
                    d[1] = table[entry + 1]
                    d[2] = table[entry + 2]
                    d[3] = table[entry + 3]
                    alphas &= table[entry + 3]
                }
            }
        case .gray16:
            for i in 0..<count {
                let s = row + i * 2
                let d = destination + i * step
                d[0] = s[0]
                d[1] = s[0]
                d[2] = s[0]
                d[3] = Int(s[0]) << 8 | Int(s[1]) == key?.r ? 0 : 255
                alphas &= d[3]
            }
        case .rgb8:
            for i in 0..<count {
                let s = row + i * 3
                let d = destination + i * step
                d[0] = s[0]
                d[1] = s[1]
                d[2] = s[2]
                d[3] = 255
            }
            if let key {
                for i in 0..<count where Int(row[i * 3]) == key.r && Int(row[i * 3 + 1]) == key.g && Int(row[i * 3 + 2]) == key.b {
                    destination[i * step + 3] = 0
                    alphas = 0
                }
            }
        case .rgb16:
            for i in 0..<count {
                let s = row + i * 6
                let d = destination + i * step
                d[0] = s[0]
                d[1] = s[2]
                d[2] = s[4]
                let transparent =
                    Int(s[0]) << 8 | Int(s[1]) == key?.r && Int(s[2]) << 8 | Int(s[3]) == key?.g
                    && Int(s[4]) << 8 | Int(s[5]) == key?.b
                d[3] = transparent ? 0 : 255
                alphas &= d[3]
            }
        case .grayAlpha(let sampleBytes):
            for i in 0..<count {
                let s = row + i * 2 * sampleBytes
                let d = destination + i * step
                d[0] = s[0]
                d[1] = s[0]
                d[2] = s[0]
                d[3] = s[sampleBytes]
                alphas &= d[3]
            }
        case .rgba(let sampleBytes):
            for i in 0..<count {
                let s = row + i * 4 * sampleBytes
                let d = destination + i * step
                d[0] = s[0]
                d[1] = s[sampleBytes]
                d[2] = s[2 * sampleBytes]
                d[3] = s[3 * sampleBytes]
                alphas &= d[3]
            }
        }
        return alphas
    }
}
