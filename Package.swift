// swift-tools-version:6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "observatory",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "observatory", targets: ["observatory"]),
        .library(name: "ObservatoryCore", targets: ["ObservatoryCore"]),
        .library(name: "ObservatoryApp", targets: ["ObservatoryApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Domain rules: content types, slugs, excerpts, Markdown, workflow. No web or database code.
        .target(
            name: "ObservatoryCore",
            swiftSettings: strictSettings
        ),
        // Image codecs (JPEG, PNG) and resizing, for the media library's smaller copies.
        .target(
            name: "ObservatoryImages",
            dependencies: [
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The web application: storage, pages, commands.
        .target(
            name: "ObservatoryApp",
            dependencies: [
                "ObservatoryCore",
                "ObservatoryImages",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "observatory",
            dependencies: ["ObservatoryApp"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObservatoryCoreTests",
            dependencies: ["ObservatoryCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObservatoryImagesTests",
            dependencies: [
                "ObservatoryImages",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ObservatoryAppTests",
            dependencies: [
                "ObservatoryApp",
                "ObservatoryImages",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
