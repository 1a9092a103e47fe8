import Foundation

/// Runs the built `newsmill` executable, which `swift test` builds next to the test bundle.
enum CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var executable: String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: running).resolvingSymlinksInPath().deletingLastPathComponent()
        // macOS nests the test binary inside a .xctest bundle.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("newsmill").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("newsmill").path
    }

    static func requireExecutable() throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MissingExecutable()
        }
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var description: String { "the newsmill executable is not built next to the tests: run `swift build` first" }
    }

    static func run(_ arguments: [String], cwd: String = packageRoot) throws -> Result {
        try requireExecutable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a full pipe never blocks the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
