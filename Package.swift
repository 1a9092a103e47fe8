// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "NewsMill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsmill", targets: ["newsmill"]),
        .library(name: "NewsMill", targets: ["NewsMill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .target(
            name: "NewsMill",
            dependencies: ["CArchive", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "newsmill",
            dependencies: ["NewsMill", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "NewsMillTests", dependencies: ["NewsMill", "CArchive"]),
    ],
    swiftLanguageModes: [.v6]
)
