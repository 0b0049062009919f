import Challenge
import Foundation
import Git

/// Writes a job's directory (see ``JobDirectory``): the submission's tree, the harness, each
/// fold's input directories (hard links to the files ``FoldInputs`` keeps once per question
/// and data version) and `job.json`.
public struct JobPreparation: Sendable {
    /// Where the harness is, and where fold input files are kept.
    public let harnessDirectory: URL
    public let inputCacheDirectory: URL
    /// Changes when the data files change (``FoldInputs/stamp(files:question:)``).
    public let inputStamp: String

    public init(harnessDirectory: URL, inputCacheDirectory: URL, inputStamp: String) {
        self.harnessDirectory = harnessDirectory
        self.inputCacheDirectory = inputCacheDirectory
        self.inputStamp = inputStamp
    }

    /// Empties `directory`, then writes the job of `data`'s question on `tree` (a function
    /// that writes the submission's files into the directory it is given).
    /// - Throws: what `tree` throws; Foundation errors when files cannot be written.
    public func prepare(_ job: EvaluationJob, data: QuestionData, in directory: JobDirectory, tree: (URL) throws -> Void) throws {
        let fileManager = FileManager.default
        try? fileManager.removeItem(at: directory.url)
        try fileManager.createDirectory(at: directory.url, withIntermediateDirectories: true)
        try tree(directory.tree)
        if fileManager.fileExists(atPath: harnessDirectory.path) {
            try fileManager.copyItem(at: harnessDirectory, to: directory.harness)
        } else {
            try fileManager.createDirectory(at: directory.harness, withIntermediateDirectories: true)
        }
        try FoldInputs.withInputs(of: data, cacheDirectory: inputCacheDirectory, stamp: inputStamp) { inputs in
            for index in 0..<job.foldCount {
                let fold = directory.fold(index)
                let cached = inputs.appendingPathComponent("fold-\(index)")
                try FoldInputs.linkTree(from: cached.appendingPathComponent("train"), to: fold.trainInput)
                try FoldInputs.linkTree(from: cached.appendingPathComponent("predict"), to: fold.predictInput)
            }
            for shard in 0..<(job.testShardCount ?? 0) {
                try FoldInputs.linkTree(from: inputs.appendingPathComponent(FoldInputs.shardDirectoryName(shard)), to: directory.shardInput(shard))
            }
        }
        try directory.write(job, to: directory.specificationFile)
    }

    /// A tree writer that exports `commit`'s tree from the git repository at `repository`.
    /// - Throws (when called): ``Git/TreeExportError`` for a tree that cannot be evaluated
    ///   (symbolic links, submodules, names too long, more than `maximumBytes` of files);
    ///   ``Git/GitError`` when the commit cannot be read.
    public static func exporting(commit: ObjectID, from repository: URL, maximumBytes: Int = .max) -> (URL) throws -> Void {
        { target in
            let opened = try Repository.open(at: repository.path)
            try opened.export(tree: try opened.commit(commit).treeID, to: target, maximumBytes: maximumBytes)
        }
    }
}
