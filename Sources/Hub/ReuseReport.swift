import Credit
import Foundation
import Git
import Ledger

/// `forkboard audit reuse`: code copied from another team's earlier submission without
/// lineage (winnowing fingerprints, see ``Credit/ReuseDetector``). The starting kit is the
/// baseline: code every team was given is never reported.
public struct ReuseReport {
    public let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    /// True for the paths whose text is compared and credited: source code of the submission,
    /// not the hub's copy of the harness (`.forkboard/`) nor data files.
    public static func isSourceFile(_ path: String) -> Bool {
        !path.hasPrefix(".forkboard/") && SourceTokenizer.Language(path: path) != nil
    }

    /// Every match of at least `minimumLines` lines, in submission order.
    /// - Throws: Git or database errors.
    public func matches(minimumLines: Int) throws -> [ReuseMatch] {
        let repository = try Repository.open(at: hub.ledgerRepository.path)
        let details = try hub.ledger.submissionDetails()
        let keys = Dictionary(uniqueKeysWithValues: details.map { ($0.submission.id!, "\($0.submission.team)/\($0.submission.name)") })
        let lineage = Dictionary(grouping: try hub.ledger.lineageEdges(), by: \.submission)
        let submissions = try details.compactMap { detail -> ReuseSubmission? in
            guard let commit = ObjectID(hex: detail.submission.commitID) else { return nil }
            return ReuseSubmission(
                key: keys[detail.submission.id!]!, team: detail.submission.team,
                files: try sourceFiles(of: commit, in: repository),
                ancestors: Set((lineage[detail.submission.id!] ?? []).compactMap { keys[$0.ancestor] }))
        }
        let baseline = try repository.referenceTarget("refs/heads/main").map { try sourceFiles(of: $0, in: repository) } ?? []
        return ReuseDetector.find(submissions: submissions, baseline: baseline, minimumLines: minimumLines)
    }

    func sourceFiles(of commit: ObjectID, in repository: Repository) throws -> [SourceFile] {
        let tree = try repository.commit(commit).treeID
        return try repository.allEntries(inTree: tree).filter { $0.entry.kind == .blob && Self.isSourceFile($0.path) }.map { path, entry in
            SourceFile(path: path, text: String(decoding: try repository.blobContent(entry.id), as: UTF8.self))
        }
    }
}
