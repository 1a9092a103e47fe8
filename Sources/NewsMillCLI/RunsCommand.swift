import ArgumentParser
import Foundation
import NewsMill

/// `newsmill runs`: the run history a state folder keeps, for people and scripts.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The runs a state folder has seen: when, how they ended, what they took and wrote.",
        subcommands: [List.self, Show.self])

    struct StateOption: ParsableArguments {
        @Option(name: .long, help: "The state folder.")
        var state: String

        func open() throws -> (ledger: InputLedger, history: RunHistory) {
            do {
                let folder = try StateFolder(path: state, forReading: true)
                return (try InputLedger(state: folder), try RunHistory(state: folder))
            } catch {
                Log.error("\(error)")
                throw ExitCode(Status.failed)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per run, oldest first.")

        @OptionGroup var options: StateOption

        @Flag(name: .long, help: "JSON Lines: the history's lines without their reports.")
        var json = false

        func run() throws {
            let history = try options.open().history
            if json {
                var out = ""
                for run in history.runs {
                    guard case .object(let members) = run else { continue }
                    out += JSONValue.object(members.filter { $0.key != "report" }).compactJSON + "\n"
                }
                FileHandle.standardOutput.write(Data(out.utf8))
                return
            }
            var rows = [["RUN", "STARTED", "SECONDS", "STATUS", "NEW", "CHANGED", "SKIPPED", "READ", "WRITTEN", "REJECTED", "OUTPUT"]]
            for run in history.runs {
                let inputs = run["inputs"]
                let documents = run["documents"]
                func count(_ value: JSONValue?, _ key: String) -> String { value?[key]?.int.map(String.init) ?? "-" }
                let skipped = (inputs?["unchanged"]?.int ?? 0) + (inputs?["renamed"]?.int ?? 0)
                rows.append([
                    count(run, "run"), run["started"]?.string ?? "-", run["seconds"]?.double.map { String(format: "%.1f", $0) } ?? "-",
                    run["status"]?.string ?? "-", String((inputs?["new"]?.int ?? 0) + (inputs?["forced"]?.int ?? 0)),
                    count(inputs, "changed"), String(skipped), count(documents, "read"), count(documents, "written"),
                    count(documents, "rejected"), run["output"]?.string ?? "-",
                ])
            }
            FileHandle.standardOutput.write(Data(table(rows).utf8))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run: its history line with its report, and the inputs it took.")

        @Argument(help: "The run's id (RUN in `runs list`).")
        var id: Int

        @OptionGroup var options: StateOption

        func run() throws {
            let (ledger, history) = try options.open()
            guard case .object(var members) = history.run(id) else {
                Log.error(
                    "state folder \(options.state) has no run \(id) (runs: \(history.runs.compactMap { $0["run"]?.int }.map(String.init).joined(separator: ", ")))"
                )
                throw ExitCode(Status.failed)
            }
            let taken = ledger.entries.filter { $0.run == id && $0.how == .taken }
            members.append(
                (
                    "inputs_taken",
                    .array(
                        taken.map {
                            .object([("path", .string($0.path)), ("size", .number(String($0.size))), ("sha256", .string($0.sha256))])
                        })
                ))
            FileHandle.standardOutput.write(Data((JSONValue.object(members).pretty() + "\n").utf8))
        }
    }
}

/// Columns padded to their widest cell.
func table(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
}
