/// Exif orientation: reading tag 0x0112 from an APP1 segment and turning decoded pixels upright.
enum JPEGExif {
    /// The orientation in the first Exif APP1 segment of a JPEG file, 1 when absent or invalid.
    static func orientation(ofJPEG bytes: [UInt8]) -> Int {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 1 }
        var p = 2
        // Metadata segments precede the first scan; stop there, or at anything that is not a marker.
        while p + 4 <= bytes.count, bytes[p] == 0xFF {
            let marker = bytes[p + 1]
            if marker == 0xFF {
                p += 1
                continue
            }
            if marker == 0xDA || marker == 0xD9 { break }
            let length = Int(bytes[p + 2]) << 8 | Int(bytes[p + 3])
            guard length >= 2, p + 2 + length <= bytes.count else { break }
            let segment = (p + 4)..<(p + 2 + length)
            if marker == 0xE1, let orientation = orientation(app1: bytes, segment: segment) {
                return orientation
            }
            p += 2 + length
        }
        return 1
    }

    /// Parses an APP1 payload: "Exif\0\0", then a TIFF header and IFD0. Nil when it is not Exif or
    /// has no valid orientation.
    static func orientation(app1 bytes: [UInt8], segment: Range<Int>) -> Int? {
        guard segment.lowerBound >= 0, segment.upperBound <= bytes.count, segment.count >= 14,
              bytes[segment].starts(with: [0x45, 0x78, 0x69, 0x66, 0x00, 0x00])
        else { return nil }
        let tiff = segment.lowerBound + 6
        let end = segment.upperBound
        let littleEndian: Bool
        switch (bytes[tiff], bytes[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func uint16(_ offset: Int) -> Int? {
            let p = tiff + offset
            guard offset >= 0, p + 2 <= end else { return nil }
            let a = Int(bytes[p]), b = Int(bytes[p + 1])
            return littleEndian ? b << 8 | a : a << 8 | b
        }
        func uint32(_ offset: Int) -> Int? {
            guard let first = uint16(offset), let second = uint16(offset + 2) else { return nil }
            return littleEndian ? second << 16 | first : first << 16 | second
        }
        guard uint16(2) == 42, let ifd = uint32(4), let entries = uint16(ifd) else { return nil }
        for i in 0..<entries {
            let entry = ifd + 2 + 12 * i
            guard let tag = uint16(entry), let type = uint16(entry + 2) else { return nil }
            guard tag == 0x0112 else { continue }
            // SHORT is the specified type; tolerate LONG, which some writers use.
            let value = type == 3 ? uint16(entry + 8) : type == 4 ? uint32(entry + 8) : nil
            guard let value, (1...8).contains(value) else { return nil }
            return value
        }
        return nil
    }

    /// Returns the image as it should be displayed for an Exif orientation; 5...8 swap width and height.
    static func applyOrientation(_ orientation: Int, to image: RasterImage) -> RasterImage {
        guard (2...8).contains(orientation) else { return image }
        let width = image.width, height = image.height
        let swapped = orientation >= 5
        // Destination pixel index = origin + x * dx + y * dy for source pixel (x, y).
        let (origin, dx, dy): (Int, Int, Int)
        switch orientation {
        case 2: (origin, dx, dy) = (width - 1, -1, width)                         // mirror horizontally
        case 3: (origin, dx, dy) = (height * width - 1, -1, -width)              // rotate 180°
        case 4: (origin, dx, dy) = ((height - 1) * width, 1, -width)             // mirror vertically
        case 5: (origin, dx, dy) = (0, height, 1)                                // transpose
        case 6: (origin, dx, dy) = (height - 1, height, -1)                      // rotate 90° clockwise
        case 7: (origin, dx, dy) = (width * height - 1, -height, -1)             // transverse
        default: (origin, dx, dy) = ((width - 1) * height, -height, 1)           // rotate 90° anticlockwise
        }
        let count = width * height * 4
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            image.pixels.withUnsafeBytes { source in
                let destination = UnsafeMutableRawBufferPointer(output)
                for y in 0..<height {
                    var to = origin + y * dy
                    var from = y * width * 4
                    for _ in 0..<width {
                        destination.storeBytes(
                            of: source.loadUnaligned(fromByteOffset: from, as: UInt32.self),
                            toByteOffset: to * 4, as: UInt32.self
                        )
                        to += dx
                        from += 4
                    }
                }
            }
            initialized = count
        }
        return RasterImage(
            width: swapped ? height : width, height: swapped ? width : height,
            hasAlpha: image.hasAlpha, pixels: pixels
        )
    }
}
