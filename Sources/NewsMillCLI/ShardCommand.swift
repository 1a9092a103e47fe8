import ArgumentParser
import Foundation
import NewsMill

/// The tasks of a sharded run, one process each: what `newsmill run --shards N` starts on this
/// machine and the Slurm scripts start on a cluster.
struct Shard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one task of a sharded run (map, sequence, write, finish) from its run folder.",
        discussion: """
            The run folder (.OUTPUT.run beside the output) holds everything a task needs. A task that \
            finished before does nothing; one that failed is run again by the same command. Without \
            --task, the task is $SLURM_ARRAY_TASK_ID plus --task-offset (job arrays in chunks).
            """)

    @Argument(help: "The phase: map, sequence, write or finish.")
    var phase: String

    @Argument(help: "The sharded run's folder.")
    var runFolder: String

    @Option(name: .long, help: "The task's number (map and write).")
    var task: Int?

    @Option(name: .long, help: "Added to $SLURM_ARRAY_TASK_ID: the first task of this chunk of a job array.")
    var taskOffset = 0

    @Option(name: .shortAndLong, help: "Worker threads (default: the run's --jobs).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "No summary line.")
    var quiet = false

    func run() throws {
        guard let phase = ShardedRun.Phase(rawValue: phase) else {
            throw ValidationError("the phase is one of: \(ShardedRun.Phase.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var number = task ?? 0
        if task == nil, phase == .map || phase == .write {
            guard let id = ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) else {
                throw ValidationError("--task is needed outside a Slurm job array")
            }
            number = id + taskOffset
        }
        let outcome: ShardedRun.TaskOutcome
        do {
            outcome = try ShardedRun.runTask(phase, folder: RunFolder(path: runFolder), task: number, jobs: jobs)
        } catch {
            Log.error("\(phase.rawValue) task \(number) failed: \(error)")
            throw ExitCode(Status.of(error))
        }
        if !quiet { Log.info(outcome.summary) }
    }
}
