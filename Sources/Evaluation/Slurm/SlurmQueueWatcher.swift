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
    private var refreshing: Task<[SlurmCommands.QueueEntry], Error>?

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
        if !asked.contains(jobID) || Date().timeIntervalSince(refreshedAt) >= pollSeconds * 0.9 {
            try await refresh()
        }
        return entries[jobID] ?? []
    }

    private func refresh() async throws {
        if let refreshing {
            _ = try await refreshing.value
            return
        }
        let ids = Array(followed.keys).sorted()
        let commands = self.commands
        let task = Task { try await commands.queue(jobIDs: ids) }
        refreshing = task
        defer { refreshing = nil }
        let lines = try await task.value
        var grouped: [String: [SlurmCommands.QueueEntry]] = [:]
        for line in lines { grouped[line.jobID, default: []].append(line) }
        entries = grouped
        asked = Set(ids)
        refreshedAt = Date()
    }
}
