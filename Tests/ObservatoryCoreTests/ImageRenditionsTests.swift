import ObservatoryCore
import Testing

struct ImageRenditionsTests {
    @Test func makesOnlyWidthsSmallerThanTheOriginal() {
        #expect(ImageRenditions.widths(below: 4000) == [480, 960, 1600])
        #expect(ImageRenditions.widths(below: 1600) == [480, 960])
        #expect(ImageRenditions.widths(below: 481) == [480])
        #expect(ImageRenditions.widths(below: 480) == [])
    }

    @Test func namesCopiesBesideTheOriginalAndReadsTheNamesBack() {
        #expect(ImageRenditions.fileName(of: "k3x9_q-2a.jpg", width: 480) == "k3x9_q-2a-480w.jpg")
        #expect(ImageRenditions.parse(fileName: "k3x9_q-2a-480w.jpg")! == ("k3x9_q-2a.jpg", 480))
        #expect(ImageRenditions.parse(fileName: "abc-1600w.png")! == ("abc.png", 1600))
        for name in ["abc.jpg", "abc-w.jpg", "abc-0480w.jpg", "abc-480.jpg", "ABC-480w.jpg", "../x-480w.jpg", "abc-480w.jpg.exe", "abc-480w"] {
            #expect(ImageRenditions.parse(fileName: name) == nil, "\(name)")
        }
    }

    @Test func storesWidthsAsAColumnAndTellsNotMadeFromNone() {
        #expect(ImageRenditions.column([480, 960]) == "480 960")
        #expect(ImageRenditions.widths(column: "480 960") == [480, 960])
        #expect(ImageRenditions.widths(column: "") == [])
        #expect(ImageRenditions.widths(column: nil) == nil)
    }

    @Test func offersEveryCopyAndTheOriginalBySize() {
        let image = ResponsiveImage(path: "/media/abc.jpg", width: 3000, height: 2000, copyWidths: [1600, 480, 960])
        #expect(image.srcset == "/media/abc-480w.jpg 480w, /media/abc-960w.jpg 960w, /media/abc-1600w.jpg 1600w, /media/abc.jpg 3000w")
        #expect(image.path(atLeast: 240) == "/media/abc-480w.jpg")
        #expect(image.path(atLeast: 961) == "/media/abc-1600w.jpg")
        #expect(image.path(atLeast: 2000) == "/media/abc.jpg")
        #expect(ResponsiveImage(path: "/media/small.png", width: 300, height: 200, copyWidths: []).srcset == nil)
    }

    @Test func bodyImagesCarryTheirSizeAndCopies() {
        let known = ResponsiveImage(path: "/media/abc.jpg", width: 2000, height: 1000, copyWidths: [480, 960, 1600])
        let html = Markdown.html(from: "![Map of *pilots*](/media/abc.jpg) and ![other](/elsewhere.png)") { $0 == known.path ? known : nil }
        #expect(html == """
            <p><img src="/media/abc.jpg" alt="Map of pilots" width="2000" height="1000" loading="lazy" decoding="async" \
            srcset="/media/abc-480w.jpg 480w, /media/abc-960w.jpg 960w, /media/abc-1600w.jpg 1600w, /media/abc.jpg 2000w" \
            sizes="(min-width: 46.5rem) 44rem, calc(100vw - 2.5rem)"> and <img src="/elsewhere.png" alt="other"></p>

            """)
        let small = Markdown.html(from: "![Logo](/media/logo.png)") { _ in ResponsiveImage(path: "/media/logo.png", width: 200, height: 80, copyWidths: []) }
        #expect(small == "<p><img src=\"/media/logo.png\" alt=\"Logo\" width=\"200\" height=\"80\" loading=\"lazy\" decoding=\"async\"></p>\n")
    }

    @Test func refusesImagesTooLargeToDecodeAndWideWebP() {
        #expect(MediaRules.problem(kind: .jpeg, width: 8000, height: 5000) == nil)
        #expect(MediaRules.problem(kind: .jpeg, width: 8000, height: 5001) == .tooManyPixels)
        #expect(MediaRules.problem(kind: .png, width: 100_000, height: 100_000) == .tooManyPixels)
        #expect(MediaRules.problem(kind: .webp, width: 2000, height: 3000) == nil)
        #expect(MediaRules.problem(kind: .webp, width: 2001, height: 100) == .webpTooWide)
    }
}
