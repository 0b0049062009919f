import Challenge
import Evaluation
import Foundation

extension ChallengeCheck {
    /// Where jobs run: for Slurm, the cluster's programs and controller, the partition, the
    /// shared directory, the `forkboard` command, and the paths the nodes must see.
    mutating func checkExecutor(hub: Hub) async {
        guard case .slurm(let settings) = hub.challenge.executor else {
            add(.ok, "executor", "local: evaluations run on the machines of the hub's processes")
            return
        }
        let executor = SlurmExecutor(settings: settings)
        let problems = await executor.problems(limits: hub.challenge.limits)
        for problem in problems { add(.error, "executor", "\(problem) (challenge.yaml, executor:)") }
        if problems.isEmpty {
            add(.ok, "executor", "slurm: the controller answers; job directories in \(settings.sharedDirectory)/runs; nodes run \(executor.forkboardCommand)")
        }
        let shared = URL(fileURLWithPath: settings.sharedDirectory).standardizedFileURL.path
        if let runtime = hub.challenge.runtime {
            let outside = ([runtime.binDirectory] + runtime.readOnlyPaths).filter { !$0.hasPrefix(shared + "/") && !$0.hasPrefix("/usr") }
            if !outside.isEmpty {
                add(.warning, "executor", "the nodes must see the runtime at the same path: \(outside.joined(separator: ", ")) (put it in the shared directory, or install it identically on every node)")
            }
        }
    }
}
