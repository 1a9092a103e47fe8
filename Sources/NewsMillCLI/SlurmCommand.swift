import ArgumentParser
import Foundation
import NewsMill

/// A sharded run on a Slurm cluster: the phases as sbatch jobs over a shared folder.
struct Slurm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run on a Slurm cluster: submit a sharded run, follow it, resubmit what failed.",
        subcommands: [Submit.self, ShowStatus.self, Resubmit.self])

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a sharded run, write its sbatch scripts into the run folder and submit them.")

        @Argument(help: "Archives, folders or files to read (on the shared filesystem).")
        var inputs: [String]

        @OptionGroup var pipeline: PipelineOption

        @Option(name: .shortAndLong, help: "Output folder (on the shared filesystem); the run folder is .NAME.run beside it.")
        var output: String

        @Option(name: .long, help: "Map and write tasks.")
        var shards: Int

        @Option(name: .long, help: "State folder kept across runs (overrides the config's state:).")
        var state: String?

        @Option(name: .long, help: "sbatch --partition.")
        var partition: String?

        @Option(name: .long, help: "sbatch --time of each task, e.g. 2:00:00.")
        var time: String?

        @Option(name: .long, help: "sbatch --cpus-per-task of map and write tasks (their worker threads).")
        var cpusPerTask = 2

        @Option(name: .long, help: "sbatch --mem of each task, e.g. 4G.")
        var mem: String?

        @Option(name: .long, help: "The newsmill binary the nodes run (default: this one; the same path on every node).")
        var binary: String?

        @Option(name: .long, help: "Array indices per job (default: the cluster's MaxArraySize from scontrol).")
        var maxArraySize: Int?

        func validate() throws {
            guard shards >= 1 && shards <= 100_000 else { throw ValidationError("--shards must be between 1 and 100000") }
            guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be 1 or more") }
        }

        func run() throws {
            let config = try pipeline.load()
            let executable =
                binary ?? ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            do {
                let folder = try ShardedRun.prepare(
                    config: config, options: RunOptions(inputs: inputs, output: output, jobs: cpusPerTask, state: state), shards: shards)
                let submission = SlurmSubmission(folder: folder)
                try submission.writeScripts(
                    .init(
                        partition: partition, time: time, cpusPerTask: cpusPerTask, mem: mem, binary: executable,
                        workingDirectory: FileManager.default.currentDirectoryPath))
                let jobs = try submission.submitRemaining(maxArraySize: maxArraySize ?? SlurmSubmission.maxArraySize())
                print("run folder: \(folder.path)")
                for phase in jobs { print("\(phase.phase): \(phase.jobs.joined(separator: " "))") }
            } catch {
                Log.error("slurm submit failed: \(error)")
                throw ExitCode(Status.of(error))
            }
        }
    }

    struct ShowStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Each phase's tasks: done, running, pending, failed.")

        @Argument(help: "The run folder (.OUTPUT.run) or the output folder.")
        var folder: String

        func run() throws {
            let runFolder = resolve(folder)
            do {
                let lines = try SlurmSubmission(folder: runFolder).status()
                print("PHASE     TASKS  DONE  RUNNING      PENDING      FAILED")
                for line in lines {
                    func list(_ tasks: [String]) -> String {
                        if line.tasks == 1 || tasks.isEmpty { return String(tasks.count) }
                        return "\(tasks.count) (\(tasks.prefix(8).joined(separator: ","))\(tasks.count > 8 ? ",…" : ""))"
                    }
                    print(
                        line.phase.padding(toLength: 10, withPad: " ", startingAt: 0)
                            + String(line.tasks).padding(toLength: 7, withPad: " ", startingAt: 0)
                            + String(line.done).padding(toLength: 6, withPad: " ", startingAt: 0)
                            + list(line.running).padding(toLength: 13, withPad: " ", startingAt: 0)
                            + list(line.pending).padding(toLength: 13, withPad: " ", startingAt: 0) + list(line.failed))
                }
                if lines.allSatisfy({ $0.done == $0.tasks }) { print("done: \(try runFolder.loadSpec().output)") }
            } catch {
                Log.error("\(error)")
                throw ExitCode(Status.failed)
            }
        }
    }

    struct Resubmit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit again what is not done (failed tasks and the phases after them); finished tasks are not redone.")

        @Argument(help: "The run folder (.OUTPUT.run) or the output folder.")
        var folder: String

        @Option(name: .long, help: "Array indices per job (default: the cluster's MaxArraySize from scontrol).")
        var maxArraySize: Int?

        func run() throws {
            do {
                let jobs = try SlurmSubmission(folder: resolve(folder)).resubmit(
                    maxArraySize: maxArraySize ?? SlurmSubmission.maxArraySize())
                if jobs.isEmpty { print("nothing left to do") }
                for phase in jobs { print("\(phase.phase): \(phase.jobs.joined(separator: " "))") }
            } catch {
                Log.error("slurm resubmit failed: \(error)")
                throw ExitCode(Status.of(error))
            }
        }
    }
}

/// A run folder, or the output folder whose run folder it is.
private func resolve(_ path: String) -> RunFolder {
    FileManager.default.fileExists(atPath: "\(path)/run.json") ? RunFolder(path: path) : RunFolder(output: path)
}
