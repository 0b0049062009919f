import Evaluation
import Foundation
import Git
import Host
import Ledger
import Synchronization

/// A submission's code as its page shows it: the files of its commit's tree, and the diff
/// against each submission it builds on (or, with none, against its commit's parents: what
/// the team changed in the starting kit), read from the ledger's repository.
public struct SubmissionCode: Sendable {
    /// One file of the submission's tree.
    public struct File: Sendable, Equatable {
        public let path: String
        public let bytes: Int
    }

    /// The diff against one earlier version.
    public struct ParentDiff: Sendable {
        /// `team/name` of the parent submission, or nil when `commit` is a plain git parent.
        public let submission: String?
        /// The parent's commit (40 hexadecimal digits).
        public let commit: String
        public let diff: TreeDiff
    }

    public let files: [File]
    public let diffs: [ParentDiff]

    /// Longest patch shown per parent, in bytes.
    public static let maximumPatchBytes = 256 << 10
    /// Largest file shown whole, in bytes.
    public static let maximumFileBytes = 1 << 20

    /// Whether `viewer` may read the code of team `team`'s submissions: its own team and the
    /// organisers always, everybody while the commons is open (``PhaseClock/Status/isCommonsOpen``:
    /// the hub then publishes every submission in open.git anyway), nobody else.
    public static func isReadable(team: String, by viewer: MemberRecord, commonsOpen: Bool) -> Bool {
        viewer.seesOwnWork(of: team) || commonsOpen
    }

    /// The files and diffs of `submission`. Reads the lineage on GRDB's threads and the
    /// repository on ``Evaluation/BlockingWork``'s.
    /// - Throws: ``GitError`` when the ledger's repository lacks the commit; database errors.
    public static func make(hub: Hub, submission: SubmissionRecord) async throws -> SubmissionCode {
        let parents = try await hub.ledger.parentSubmissions(of: submission.id!)
        // Commits never change: the same commit against the same parents is read once.
        let key = ([submission.commitID] + parents.map(\.commitID)).joined(separator: " ")
        if let known = known.withLock({ $0[key] }) { return known }
        let repositoryPath = hub.paths.ledgerRepository.path
        let code = try await BlockingWork.run {
            let repository = try Repository.open(at: repositoryPath)
            guard let id = ObjectID(hex: submission.commitID) else { throw HubError.unknownSubmission("\(submission.key)") }
            let commit = try repository.commit(id)
            let files = try repository.allEntries(inTree: commit.treeID).filter { $0.entry.kind == .blob }.map {
                File(path: $0.path, bytes: (try? repository.objectSize($0.entry.id)) ?? 0)
            }
            var against: [(submission: String?, commit: ObjectID)] = parents.compactMap { parent in
                ObjectID(hex: parent.commitID).map { ("\(parent.key)", $0) }
            }
            if against.isEmpty { against = commit.parentIDs.map { (nil, $0) } }
            let diffs = try against.map { parent in
                ParentDiff(
                    submission: parent.submission, commit: parent.commit.hex,
                    diff: try repository.diff(
                        from: repository.commit(parent.commit).treeID, to: commit.treeID,
                        maximumBytes: maximumPatchBytes))
            }
            return SubmissionCode(files: files, diffs: diffs)
        }
        known.withLock { known in
            if known.count >= knownLimit { known.removeAll() }
            known[key] = code
        }
        return code
    }

    /// Codes already read, by commit and parents' commits (at most ``knownLimit``).
    private static let known = Mutex<[String: SubmissionCode]>([:])
    private static let knownLimit = 64

    /// The content of the file at `path` in the submission's tree, at most
    /// ``maximumFileBytes`` of it, or nil when the tree has no such file.
    /// - Throws: ``GitError`` when the ledger's repository lacks the commit.
    public static func file(hub: Hub, submission: SubmissionRecord, path: String) async throws -> (content: Data, truncated: Bool)? {
        let repositoryPath = hub.paths.ledgerRepository.path
        return try await BlockingWork.run {
            let repository = try Repository.open(at: repositoryPath)
            guard let id = ObjectID(hex: submission.commitID) else { throw HubError.unknownSubmission("\(submission.key)") }
            guard let entry = try repository.entry(atPath: path, inTree: repository.commit(id).treeID), entry.kind == .blob else { return nil }
            let content = try repository.blobContent(entry.id)
            return (content.prefix(maximumFileBytes), content.count > maximumFileBytes)
        }
    }
}
