import Credit
import Foundation
import Git
import Host
import Ledger

/// `forkboard audit reuse`: code copied from another team's earlier submission without
/// lineage (winnowing fingerprints, see ``Credit/ReuseDetector``). The starting kit is the
/// baseline: code every team was given is never reported.
public struct ReuseReport {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// Every match of at least `minimumLines` lines, in submission order.
    /// - Throws: Git or database errors.
    public func matches(minimumLines: Int) throws -> [ReuseMatch] {
        let repository = try Repository.open(at: hub.paths.ledgerRepository.path)
        let details = try hub.ledger.submissionDetails()
        let keys = Dictionary(uniqueKeysWithValues: details.map { ($0.submission.id!, "\($0.submission.key)") })
        let lineage = Dictionary(grouping: try hub.ledger.lineageEdges(), by: \.submission)
        let kit = try repository.referenceTarget("refs/heads/main")
        let baseline = try kit.map { try textFiles(of: $0, in: repository, skipping: []) } ?? []
        // A file as the kit gives it is the baseline's: no need to read it again.
        let kitFiles = try kit.map { Set(try repository.allEntries(inTree: try repository.commit($0).treeID).map(\.entry.id)) } ?? []
        let submissions = try details.compactMap { detail -> ReuseSubmission? in
            guard let commit = ObjectID(hex: detail.submission.commitID) else { return nil }
            return ReuseSubmission(
                key: keys[detail.submission.id!]!, team: detail.submission.team,
                files: try textFiles(of: commit, in: repository, skipping: kitFiles),
                ancestors: Set((lineage[detail.submission.id!] ?? []).compactMap { keys[$0.ancestor] }))
        }
        return ReuseDetector.find(submissions: submissions, baseline: baseline, minimumLines: minimumLines)
    }

    /// Every text file of a commit's tree (every file the submission's code could run, the
    /// hub's harness copy in `.forkboard/` included): regular files of at most
    /// ``Credit/LineageCredit/largestCreditedFileBytes`` bytes without a NUL byte, except the
    /// blobs in `skipping`.
    func textFiles(of commit: ObjectID, in repository: Repository, skipping: Set<ObjectID>) throws -> [SourceFile] {
        let tree = try repository.commit(commit).treeID
        return try repository.allEntries(inTree: tree).compactMap { path, entry in
            guard entry.kind == .blob, !entry.isSymbolicLink, !skipping.contains(entry.id),
                try repository.objectSize(entry.id) <= LineageCredit.largestCreditedFileBytes
            else { return nil }
            let content = try repository.blobContent(entry.id)
            guard !content.contains(0) else { return nil }
            return SourceFile(path: path, text: String(decoding: content, as: UTF8.self))
        }
    }
}
