import Foundation
import Git

import Credit
import Evaluation
import Host

/// A random ledger written with `git fast-import`: a starting kit, then submissions of several
/// teams that extend their own last submission, fork another team's, merge two lineages or
/// start again from the kit, over one to three commits that edit, add, delete, rename and
/// copy files (source files `*.py`, and a data file that is not credited).
public struct SyntheticLedger: Sendable {
    /// The starting kit's commit.
    public let kit: ObjectID
    /// The submissions, in recording order.
    public let submissions: [LineageSubmission]

    /// A version of the files: path to lines.
    private typealias Tree = [String: [String]]

    private struct Builder {
        var generator: SeededGenerator
        var stream = Data()
        var nextMark = 1
        var time = 1_700_000_000
        var trees: [Int: Tree] = [:]  // by mark
        var lineCounter = 0

        mutating func uniqueLine(_ label: String) -> String {
            lineCounter += 1
            return "\(label) line \(lineCounter) = \(Int.random(in: 0..<1_000_000, using: &generator))"
        }

        mutating func emit(_ text: String) {
            stream.append(contentsOf: Array(text.utf8))
        }

        mutating func emitData(_ text: String) {
            let bytes = Array(text.utf8)
            emit("data \(bytes.count)\n")
            stream.append(contentsOf: bytes)
            emit("\n")
        }

        /// Writes a commit of `tree` with `parents` (marks) and returns its mark.
        mutating func commit(_ tree: Tree, parents: [Int], message: String, branch: String) -> Int {
            let mark = nextMark
            nextMark += 1
            time += 60
            emit("commit refs/heads/\(branch)\nmark :\(mark)\ncommitter Synthetic <synthetic@example.invalid> \(time) +0000\n")
            emitData(message)
            let base = parents.first.flatMap { trees[$0] } ?? [:]
            if let first = parents.first { emit("from :\(first)\n") }
            for other in parents.dropFirst() { emit("merge :\(other)\n") }
            for path in base.keys.sorted() where tree[path] == nil { emit("D \(path)\n") }
            for path in tree.keys.sorted() where base[path] != tree[path] {
                emit("M 100644 inline \(path)\n")
                emitData(tree[path]!.map { $0 + "\n" }.joined())
            }
            emit("\n")
            trees[mark] = tree
            return mark
        }

        /// One random change of a tree (a few lines edited, or a file added, deleted, renamed
        /// or copied from `elsewhere`, a tree outside this lineage).
        mutating func change(_ tree: Tree, label: String, elsewhere: Tree?) -> Tree {
            var tree = tree
            let sources = tree.keys.filter { $0.hasSuffix(".py") }.sorted()
            let roll = Double.random(in: 0..<1, using: &generator)
            if roll < 0.04 || sources.isEmpty {
                let path = "extra_\(label)_\(lineCounter).py"
                tree[path] = (0..<Int.random(in: 3...15, using: &generator)).map { _ in uniqueLine(label) }
            } else if roll < 0.07, sources.count > 1 {
                tree[sources.randomElement(using: &generator)!] = nil
            } else if roll < 0.10 {
                let path = sources.randomElement(using: &generator)!
                var lines = tree[path]!
                tree[path] = nil
                if !lines.isEmpty, Bool.random(using: &generator) { lines[Int.random(in: 0..<lines.count, using: &generator)] = uniqueLine(label) }
                tree["renamed/\(label)_\(lineCounter)_\(path.split(separator: "/").last!)"] = lines
                lineCounter += 1
            } else if roll < 0.12, let elsewhere, let path = elsewhere.keys.filter({ $0.hasSuffix(".py") }).sorted().randomElement(using: &generator)
            {
                tree["copied/\(label)_\(lineCounter).py"] = elsewhere[path]
                lineCounter += 1
            } else {
                for _ in 0..<Int.random(in: 1...2, using: &generator) {
                    let path = sources.randomElement(using: &generator)!
                    var lines = tree[path]!
                    for _ in 0..<Int.random(in: 1...4, using: &generator) {
                        let operation = Int.random(in: 0..<3, using: &generator)
                        let position = Int.random(in: 0...lines.count, using: &generator)
                        if operation == 0 || lines.isEmpty {
                            lines.insert(contentsOf: (0..<Int.random(in: 1...4, using: &generator)).map { _ in uniqueLine(label) }, at: position)
                        } else if operation == 1 {
                            lines[min(position, lines.count - 1)] = uniqueLine(label)
                        } else {
                            lines.remove(at: min(position, lines.count - 1))
                        }
                    }
                    tree[path] = lines
                }
            }
            if Double.random(in: 0..<1, using: &generator) < 0.2 {
                tree["data/train.csv", default: []].append("\(lineCounter),\(Int.random(in: 0..<100, using: &generator))")
            }
            return tree
        }
    }

    /// Builds the ledger in the repository whose git directory is `gitDirectory`, with `git fast-import`.
    /// - Parameters:
    ///   - submissionCount: submissions after the starting kit.
    ///   - teamCount: teams making them.
    ///   - seed: the random seed; the same seed gives the same ledger.
    ///   - extendProbability: how often a team builds on its own last submission (otherwise it
    ///     merges another lineage into it, forks another submission or starts again).
    ///   - restartProbability: how often a team's submission starts again from the kit
    ///     instead of building on a submission.
    ///   - trailerProbability: how often a commit's message ends with a `Credit:` trailer
    ///     naming an earlier submission (0 to 60%, or 40 to 100% for the submission's own
    ///     commit, whose trailers count).
    ///   - openFrom: the index of the first submission pushed in an open phase (its trailers
    ///     may name any earlier submission); the ones before it were pushed in a closed phase.
    public static func build(
        gitDirectory: URL, submissionCount: Int, teamCount: Int, seed: UInt64,
        extendProbability: Double = 0.75, restartProbability: Double = 0.05,
        trailerProbability: Double = 0.05, openFrom: Int = .max
    ) throws -> SyntheticLedger {
        var builder = Builder(generator: SeededGenerator(seed: seed))
        var kitTree: Tree = ["data/train.csv": ["id,x,y"], "README.md": ["# Kit"]]
        for (name, count) in [("model.py", 60), ("features.py", 40), ("utils.py", 30), ("train.py", 20)] {
            kitTree[name] = (0..<count).map { _ in builder.uniqueLine("kit") }
        }
        let kitMark = builder.commit(kitTree, parents: [], message: "Starting kit\n", branch: "kit")
        var marks: [Int] = []
        var keys: [String] = []
        var teams: [String] = []
        var latest: [String: Int] = [:]  // team -> index of its last submission
        for index in 0..<submissionCount {
            let team = "team\(Int.random(in: 0..<teamCount, using: &builder.generator))"
            let roll = Double.random(in: 0..<1, using: &builder.generator)
            let other = marks.isEmpty ? nil : Int.random(in: 0..<marks.count, using: &builder.generator)
            var parents: [Int]
            if let own = latest[team], roll < extendProbability {
                parents = [marks[own]]
            } else if let own = latest[team], let other, roll < extendProbability + 0.07, marks[other] != marks[own] {
                parents = [marks[own], marks[other]]
            } else if let other, roll < 1 - restartProbability {
                parents = [marks[other]]
            } else {
                parents = [kitMark]
            }
            var tree = builder.trees[parents[0]]!
            if parents.count == 2 {
                let theirs = builder.trees[parents[1]]!
                for (path, lines) in theirs where tree[path] == nil { tree[path] = lines }
                tree = builder.change(tree, label: "\(team)-merge\(index)", elsewhere: nil)
                parents = [builder.commit(tree, parents: parents, message: "Merge\n", branch: "work")]
            }
            let elsewhere = other.flatMap { builder.trees[marks[$0]] }
            let steps = Int.random(in: 1...3, using: &builder.generator)
            for step in 0..<steps {
                tree = builder.change(tree, label: "\(team)-s\(index)-\(step)", elsewhere: elsewhere)
                var message = "Submission \(index) step \(step)\n"
                if let other, Double.random(in: 0..<1, using: &builder.generator) < trailerProbability {
                    let percent =
                        step == steps - 1 ? Int.random(in: 40...100, using: &builder.generator) : Int.random(in: 0...60, using: &builder.generator)
                    message += "\nCredit: \(keys[other]) \(percent)%\n"
                }
                parents = [builder.commit(tree, parents: parents, message: message, branch: "work")]
            }
            marks.append(parents[0])
            keys.append("\(team)/s\(index)")
            teams.append(team)
            latest[team] = index
        }
        for index in marks.indices {
            builder.emit("reset refs/submissions/\(keys[index])\nfrom :\(marks[index])\n\n")
        }
        let marksFile = gitDirectory.appendingPathComponent("synthetic-marks")
        try fastImport(builder.stream, gitDirectory: gitDirectory, marksFile: marksFile)
        var commits: [Int: ObjectID] = [:]
        for line in try String(contentsOf: marksFile, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let mark = Int(parts[0].dropFirst()), let id = ObjectID(hex: String(parts[1])) { commits[mark] = id }
        }
        return SyntheticLedger(
            kit: commits[kitMark]!,
            submissions: marks.indices.map {
                LineageSubmission(key: keys[$0], team: teams[$0], commit: commits[marks[$0]]!, isOpenAtPush: $0 >= openFrom)
            })
    }

    /// Runs `git fast-import` on `stream` with an isolated configuration.
    private static func fastImport(_ stream: Data, gitDirectory: URL, marksFile: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Executables.git())
        process.arguments = ["--git-dir", gitDirectory.path, "fast-import", "--quiet", "--export-marks=\(marksFile.path)"]
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = environment
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(stream)
        try input.fileHandleForWriting.close()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SyntheticLedgerError(message: "git fast-import: \(String(decoding: errorData, as: UTF8.self))")
        }
    }
}

/// `git fast-import` failed.
public struct SyntheticLedgerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
