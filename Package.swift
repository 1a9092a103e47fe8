// swift-tools-version: 6.0
import PackageDescription
import Foundation

// Linux only: the code reads and writes files through Glibc (Debian 12 is what CI runs).

// The NER model's matrix products run 2x faster with AVX2 and FMA (x86-64 CPUs since 2013-15:
// Intel Haswell, AMD Zen). NEWSMILL_PORTABLE=1 builds for any x86-64 CPU. The CLI itself is built
// for any CPU, so that on one without AVX2 it can say so instead of dying on an illegal instruction.
// Debug builds optimize the NER target too: the tests run the model, whose loading and matrix
// products take seconds instead of milliseconds unoptimized. Only that target carries these
// flags, so the rest of the library builds as plain, debuggable Swift.
var optimization: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
var cpuCheck: [SwiftSetting] = []
// The AVX-512 matrix product gives the same sums as the AVX2 one in three quarters of the time on
// Zen 5 (docs/performance.md). Only its own module is compiled for those CPUs (skylake-avx512:
// the x86-64-v4 set, a name this Swift does not take), and NewsMillNER calls it only when
// /proc/cpuinfo lists avx512f, bw, dq and vl.
var wideOptimization: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#if arch(x86_64)
if ProcessInfo.processInfo.environment["NEWSMILL_PORTABLE"] == nil {
    optimization.append(.unsafeFlags(["-target-cpu", "haswell"]))
    optimization.append(.define("NEWSMILL_WIDE_KERNEL"))
    wideOptimization.append(.unsafeFlags(["-target-cpu", "skylake-avx512"]))
    cpuCheck = [.define("NEWSMILL_NEEDS_AVX2")]
}
#endif

let package = Package(
    name: "NewsMill",
    products: [
        .executable(name: "newsmill", targets: ["NewsMillCLI"]),
        .library(name: "NewsMill", targets: ["NewsMill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // OpenSSL's SHA-256: the input ledger's content hashes, the same digests sha256sum prints.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Part files' compression (output.compression): independent zstd frames or gzip members.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The libarchive layer: news archives and the NER model's packs are both read through it.
        .target(name: "ArchiveIO", dependencies: ["CArchive"]),
        // The engine and what it moves: documents, stages, sources and sinks, records, state. No
        // libarchive and no YAML: what runs a pipeline in memory needs neither. libzstd and zlib
        // compress the part files.
        .target(name: "NewsMillCore", dependencies: ["CZstd", "CZlib"]),
        // The slovnet NER model run in Swift: the only code that needs -O in debug and the CPU flags.
        .target(
            name: "NewsMillNER",
            dependencies: ["ArchiveIO", "CArchive", "NewsMillNERWide"],
            swiftSettings: optimization
        ),
        .target(name: "NewsMillNERWide", swiftSettings: wideOptimization),
        // Russian morphology: OpenCorpora's dictionary as pymorphy2 compiles it, read from its wheel.
        .target(name: "RussianMorphology", dependencies: ["ArchiveIO", "NewsMillCore"]),
        .target(
            name: "NewsMill",
            dependencies: ["NewsMillCore", "ArchiveIO", "NewsMillNER", "RussianMorphology", "CArchive", "CCrypto", .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "NewsMillCLI",
            dependencies: [
                "NewsMill", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: cpuCheck
        ),
        // Not part of the CLI: the linear-time benchmark of every decoder and stage (Benchmarks/linear-time.sh).
        .executableTarget(
            name: "newsmill-stagebench",
            dependencies: ["NewsMill"],
            path: "Benchmarks/StageBench"
        ),
        // Not part of the CLI: the NER model alone on one thread, for the peer figure against natasha.
        .executableTarget(
            name: "newsmill-nerbench",
            dependencies: ["NewsMillNER"],
            path: "Benchmarks/NERBench"
        ),
        // Not part of the CLI: entity normal forms on given spans, for Scripts/eval/normal-eval.sh.
        .executableTarget(
            name: "newsmill-normaleval",
            dependencies: ["NewsMill", "RussianMorphology", "NewsMillCore"],
            path: "Benchmarks/NormalEval"
        ),
        .testTarget(name: "NewsMillTests", dependencies: ["NewsMill", "NewsMillCore", "NewsMillNER", "RussianMorphology", "ArchiveIO", "CArchive", "CZstd", "CZlib"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Scripts/fuzz.sh): built only when asked, with `-sanitize=fuzzer`, because
// the target reaches internals through `@testable import`.
if ProcessInfo.processInfo.environment["NEWSMILL_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "newsmill-fuzz", dependencies: ["NewsMill"], path: "Fuzz"))
}
