/// Smaller copies of library images. A camera's 4000-pixel original is several megabytes; a
/// phone showing it in a 360-pixel column needs a twentieth of that. Each uploaded JPEG or PNG
/// gets copies at a few widths, and pages offer them with `srcset` so the browser picks the
/// smallest that is sharp on its screen.
public enum ImageRenditions {
    /// A phone column, a laptop column at double density, a wide screen at double density.
    public static let widths = [480, 960, 1600]
    /// Making the copies decodes the whole image; larger ones are refused at upload (a 10 MB file
    /// can declare far more pixels than any photograph has).
    public static let maximumPixels = 40_000_000
    /// WebP images are served as uploaded, so they must already be of a size pages can use.
    public static let maximumWebPWidth = 2_000
    /// JPEG copies: well above the point where compression shows in photographs.
    public static let jpegQuality = 82
    /// Body images fill the text column (44rem at most, less the page's padding on small screens).
    public static let bodySizes = "(min-width: 46.5rem) 44rem, calc(100vw - 2.5rem)"

    /// The widths to make for an image `originalWidth` pixels wide: only smaller ones.
    public static func widths(below originalWidth: Int) -> [Int] {
        widths.filter { $0 < originalWidth }
    }

    /// The file name of the copy `width` pixels wide: `3f9a….jpg` gives `3f9a…-480w.jpg`.
    public static func fileName(of storageName: String, width: Int) -> String {
        guard let dot = storageName.lastIndex(of: ".") else { return storageName + "-\(width)w" }
        return storageName[..<dot] + "-\(width)w" + storageName[dot...]
    }

    /// The original's file name and the width of a copy's file name, or nil for any other name.
    public static func parse(fileName: String) -> (storageName: String, width: Int)? {
        guard let match = fileName.wholeMatch(of: /([a-z0-9_-]+)-([1-9][0-9]{1,4})w(\.[a-z]+)/) else { return nil }
        guard let width = Int(match.output.2) else { return nil }
        return (String(match.output.1 + match.output.3), width)
    }

    /// The smallest copy of `original` at least `width` pixels wide, or `original` itself (a
    /// file name or an address alike).
    public static func smallest(of original: String, copyWidths: [Int], atLeast width: Int) -> String {
        copyWidths.sorted().first { $0 >= width }.map { fileName(of: original, width: $0) } ?? original
    }

    /// The widths as stored with the file: "480 960", or "" when the image has no copies.
    public static func column(_ widths: [Int]) -> String {
        widths.map(String.init).joined(separator: " ")
    }

    /// The widths read back from `column`; nil when the copies have not been made yet.
    public static func widths(column: String?) -> [Int]? {
        column.map { $0.split(separator: " ").compactMap { Int($0) } }
    }
}

/// What a page needs to show a library image well: its size, and its copies for `srcset`.
public struct ResponsiveImage: Sendable, Equatable {
    public let path: String
    public let width: Int
    public let height: Int
    /// The widths of the smaller copies, each at `ImageRenditions.fileName(of:width:)`.
    public let copyWidths: [Int]

    public init(path: String, width: Int, height: Int, copyWidths: [Int]) {
        self.path = path
        self.width = width
        self.height = height
        self.copyWidths = copyWidths
    }

    /// Every copy and the original with their widths, or nil when there is no copy.
    public var srcset: String? {
        guard !copyWidths.isEmpty else { return nil }
        return (copyWidths.sorted().map { "\(ImageRenditions.fileName(of: path, width: $0)) \($0)w" } + ["\(path) \(width)w"])
            .joined(separator: ", ")
    }

    /// The smallest copy at least `width` pixels wide, or the original.
    public func path(atLeast width: Int) -> String {
        ImageRenditions.smallest(of: path, copyWidths: copyWidths, atLeast: width)
    }
}
