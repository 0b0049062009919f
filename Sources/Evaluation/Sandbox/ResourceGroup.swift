import Foundation

/// A set of Linux control groups (cgroup v1: `pids`, `memory`, `cpuacct`) that holds one
/// sandboxed run and everything it starts, to cap its processes and memory as a whole and to
/// measure its CPU time and peak memory.
///
/// rlimits cannot do this for a sandbox started by root: bubblewrap maps the sandbox's user
/// to root outside, and the kernel never applies RLIMIT_NPROC to root; RLIMIT_AS caps each
/// process's address space, not the run's memory. Where the cgroup v1 hierarchies are not
/// writable (for example a cgroup v2-only host), ``create(name:limits:)`` returns nil and the
/// sandbox falls back to rlimits alone, without peak memory.
struct ResourceGroup {
    /// One directory per controller, each to be joined by the run.
    let directories: [String: URL]

    /// Where the cgroup v1 hierarchies are mounted.
    static let root = URL(fileURLWithPath: "/sys/fs/cgroup")

    /// Creates the groups `name` under this process's own group in each hierarchy, with the
    /// memory and process limits set. Returns nil when cgroups cannot be used here.
    static func create(name: String, memoryBytes: Int, processes: Int) -> ResourceGroup? {
        let own = ownPaths()
        var directories: [String: URL] = [:]
        for controller in ["pids", "memory", "cpuacct"] {
            let hierarchy = root.appendingPathComponent(controller)
            guard FileManager.default.fileExists(atPath: hierarchy.appendingPathComponent("cgroup.procs").path) else { break }
            let directory = hierarchy.appendingPathComponent(own[controller] ?? "/").appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
                directories[controller] = directory
            } catch {
                break
            }
        }
        let group = ResourceGroup(directories: directories)
        guard directories.count == 3,
            group.write("\(processes)", to: "pids", file: "pids.max"),
            group.write("\(memoryBytes)", to: "memory", file: "memory.limit_in_bytes")
        else {
            group.remove()
            return nil
        }
        // No swap beyond the limit, where the kernel accounts for it.
        _ = group.write("\(memoryBytes)", to: "memory", file: "memory.memsw.limit_in_bytes")
        return group
    }

    /// This process's group path in each v1 hierarchy, from /proc/self/cgroup.
    private static func ownPaths() -> [String: String] {
        guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return [:] }
        var paths: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            for controller in parts[1].split(separator: ",") { paths[String(controller)] = String(parts[2]) }
        }
        return paths
    }

    /// The `cgroup.procs` files a process writes its pid into to join every group.
    var processFiles: [String] {
        directories.values.map { $0.appendingPathComponent("cgroup.procs").path }.sorted()
    }

    @discardableResult
    private func write(_ value: String, to controller: String, file: String) -> Bool {
        guard let directory = directories[controller] else { return false }
        return (try? Data(value.utf8).write(to: directory.appendingPathComponent(file))) != nil
    }

    private func read(_ controller: String, _ file: String) -> String? {
        guard let directory = directories[controller] else { return nil }
        return try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }

    /// What the run used, and which group limits it hit.
    struct Usage: Sendable, Equatable {
        /// CPU seconds of every process of the run (user + system).
        var cpuSeconds: Double?
        /// Largest memory the run held at once, in bytes.
        var peakMemoryBytes: Int?
        var hitProcessLimit = false
        var hitMemoryLimit = false
    }

    func usage() -> Usage {
        var usage = Usage()
        if let nanoseconds = read("cpuacct", "cpuacct.usage").flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            usage.cpuSeconds = nanoseconds / 1e9
        }
        usage.peakMemoryBytes = read("memory", "memory.max_usage_in_bytes").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let events = read("pids", "pids.events"), let line = events.split(separator: "\n").first(where: { $0.hasPrefix("max ") }) {
            usage.hitProcessLimit = (Int(line.dropFirst(4)) ?? 0) > 0
        }
        // Only a kill by the out-of-memory killer counts: the limit is also reached, harmlessly,
        // when the kernel reclaims page cache (memory.failcnt). cgroup v1 counts the kills in
        // memory.oom_control, v2 in memory.events.
        usage.hitMemoryLimit = ["memory.oom_control", "memory.events"].contains { file in
            Self.counter("oom_kill", in: read("memory", file)) > 0
        }
        return usage
    }

    /// The value of `name` in a control group's `key value` lines, or 0.
    static func counter(_ name: String, in text: String?) -> Int {
        text?.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.dropFirst(name.count + 1)) } ?? 0
    }

    /// Removes the empty groups that runs of processes that died without cleaning up (killed
    /// with SIGKILL) left beside this process's own groups. Returns how many were removed.
    @discardableResult
    static func removeAbandoned() -> Int {
        let own = ownPaths()
        var removed = 0
        for controller in ["pids", "memory", "cpuacct"] {
            let parent = root.appendingPathComponent(controller).appendingPathComponent(own[controller] ?? "/")
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { continue }
            for name in names where name.hasPrefix("forkboard-") {
                guard let pid = Int32(name.split(separator: "-").dropFirst().first ?? ""), kill(pid, 0) != 0, errno == ESRCH else { continue }
                if rmdir(parent.appendingPathComponent(name).path) == 0 { removed += 1 }
            }
        }
        return removed
    }

    /// Kills every process still in the group.
    func killAll() {
        for _ in 0..<20 {
            let pids = (read("pids", "cgroup.procs") ?? "").split(separator: "\n").compactMap { Int32($0) }
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    /// Removes the groups (they must be empty: call ``killAll()`` first).
    func remove() {
        for directory in directories.values {
            for _ in 0..<50 {
                if rmdir(directory.path) == 0 || errno == ENOENT { break }
                usleep(20_000)
            }
        }
    }
}
