import Foundation

/// Reads the Slurm queue for every job the hub's process follows with one `squeue` per
/// interval, however many evaluations wait on it: a thousand jobs in flight cost one call
/// every `pollSeconds`, not a thousand.
actor SlurmQueueWatcher {
    private let commands: SlurmCommands
    private let pollSeconds: Double
    /// Followed job ids, with how many followers each has.
    private var followed: [String: Int] = [:]
    private var entries: [String: [SlurmCommands.QueueEntry]] = [:]
    private var asked: Set<String> = []
    private var refreshedAt = Date.distantPast
    /// The reading under way: its number, the jobs it asks for, and the `squeue` call.
    private var refreshing: (generation: Int, ids: [String], task: Task<[SlurmCommands.QueueEntry], Error>)?
    private var generation = 0

    init(commands: SlurmCommands, pollSeconds: Double) {
        self.commands = commands
        self.pollSeconds = pollSeconds
    }

    func follow(_ jobID: String) {
        followed[jobID, default: 0] += 1
    }

    func unfollow(_ jobID: String) {
        guard let count = followed[jobID] else { return }
        if count <= 1 {
            followed[jobID] = nil
            entries[jobID] = nil
        } else {
            followed[jobID] = count - 1
        }
    }

    /// The queue's lines for a followed job (its tasks, for an array), at most `pollSeconds`
    /// old; empty when the controller no longer knows the job.
    /// - Throws: ``JobError`` when squeue fails.
    func entries(of jobID: String) async throws -> [SlurmCommands.QueueEntry] {
        // A refresh under way may have started before this job was followed: then another.
        while !asked.contains(jobID) || Date().timeIntervalSince(refreshedAt) >= pollSeconds * 0.9 {
            try await refresh()
        }
        return entries[jobID] ?? []
    }

    /// Reads the queue for every followed job, or waits for the reading under way. Whichever
    /// waiter resumes first records the reading, so that no waiter sees the state of before
    /// it (a waiter whose job it did not ask for loops and reads again).
    private func refresh() async throws {
        let current: (generation: Int, ids: [String], task: Task<[SlurmCommands.QueueEntry], Error>)
        if let refreshing {
            current = refreshing
        } else {
            generation += 1
            let ids = Array(followed.keys).sorted()
            let commands = self.commands
            current = (generation, ids, Task { try await commands.queue(jobIDs: ids) })
            refreshing = current
        }
        let result = await current.task.result
        if refreshing?.generation == current.generation {
            refreshing = nil
            if case .success(let lines) = result {
                var grouped: [String: [SlurmCommands.QueueEntry]] = [:]
                for line in lines { grouped[line.jobID, default: []].append(line) }
                entries = grouped
                asked = Set(current.ids)
                refreshedAt = Date()
            }
        }
        _ = try result.get()
    }
}
