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

    static func run(_ arguments: [String], cwd: String = packageRoot, environment: [String: String] = [:]) throws -> Result {
        try requireExecutable()
        return try launch(executable, arguments, cwd: cwd, environment: environment)
    }

    /// A bash script with `$NEWSMILL` set to the executable (resource limits, signals).
    static func shell(_ script: String) throws -> Result {
        try requireExecutable()
        return try launch("/bin/bash", ["-c", script], cwd: packageRoot, environment: ["NEWSMILL": executable])
    }

    private static func launch(_ program: String, _ arguments: [String], cwd: String, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
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
