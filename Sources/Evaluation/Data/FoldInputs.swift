#if canImport(Glibc)
    import Glibc
#endif
import Challenge
import Foundation

/// The input directories of a question's folds, cut once per data version and shared by
/// every evaluation: `<cache>/<question>/fold-<k>/train/` and `fold-<k>/predict/`, and
/// `test-shard-<s>/` when the question shards its test objects (see docs/data.md for what
/// each holds). A cut is written beside the cache and renamed into
/// place when complete, so a cut that fails (a full disk) leaves nothing that a later
/// evaluation would use; processes sharing a hub take turns through a lock file.
public enum FoldInputs {
    /// Gives `body` the directory of `data`'s fold inputs, cutting them first when they are
    /// missing or were cut from other data (`stamp` differs), while holding the question's
    /// lock: the inputs cannot be replaced while `body` links them.
    /// - Throws: what ``InputCutter/cut(_:into:)`` throws; what `body` throws; a Foundation
    ///   error when the cache cannot be written.
    public static func withInputs<Result>(
        of data: QuestionData, cacheDirectory: URL, stamp: String,
        _ body: (URL) throws -> Result
    ) throws -> Result {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
        let name = data.question.name
        let lock = try FileLock(url: cacheDirectory.appendingPathComponent(".\(name).lock"))
        defer { lock.release() }
        let directory = cacheDirectory.appendingPathComponent(name)
        let stampURL = directory.appendingPathComponent("stamp")
        if (try? String(contentsOf: stampURL, encoding: .utf8)) != stamp {
            let partial = cacheDirectory.appendingPathComponent(".\(name)-cutting-\(UUID().uuidString.prefix(8))")
            do {
                try InputCutter.cut(data, into: selections(of: data, in: partial))
                try Data(stamp.utf8).write(to: partial.appendingPathComponent("stamp"))
            } catch {
                try? fileManager.removeItem(at: partial)
                throw error
            }
            if fileManager.fileExists(atPath: directory.path) {
                let stale = cacheDirectory.appendingPathComponent(".\(name)-stale-\(UUID().uuidString.prefix(8))")
                try fileManager.moveItem(at: directory, to: stale)
                try? fileManager.removeItem(at: stale)
            }
            try fileManager.moveItem(at: partial, to: directory)
        }
        return try body(directory)
    }

    /// The selections of every fold: its training objects (in the fold's order) to train on;
    /// its validation objects to predict, followed by every test object, or, when the
    /// question shards its test objects, each shard apart (`test-shard-<s>/`), cut once for all
    /// folds.
    static func selections(of data: QuestionData, in directory: URL) -> [InputSelection] {
        let shards = data.testShards
        let folds = data.folds.enumerated().flatMap { index, fold -> [InputSelection] in
            let foldDirectory = directory.appendingPathComponent("fold-\(index)")
            return [
                .training(foldDirectory.appendingPathComponent("train"), objects: fold.trainRows),
                .prediction(
                    foldDirectory.appendingPathComponent("predict"), objects: fold.validationRows,
                    testObjects: shards == nil && !data.testIDs.isEmpty ? 0..<data.testIDs.count : nil),
            ]
        }
        return folds
            + (shards ?? []).enumerated().map { index, range in
                .prediction(directory.appendingPathComponent(shardDirectoryName(index)), objects: [], testObjects: range)
            }
    }

    /// The directory of test shard `index` among a question's cut inputs.
    public static func shardDirectoryName(_ index: Int) -> String { "test-shard-\(index)" }

    /// A stamp of the question's data files (``QuestionFiles/stamp``) and of the folds.
    public static func stamp(files: QuestionFiles, question: Question) -> String {
        "\(question.folds)|\(question.idColumn)|\(question.targetColumn)|\(question.labels)|\(String(describing: question.testShards))|" + files.stamp
    }

    /// Links (hard links; copies across file systems) the tree at `source` into `target`.
    public static func linkTree(from source: URL, to target: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: target, withIntermediateDirectories: true)
        for name in try fileManager.contentsOfDirectory(atPath: source.path) {
            let from = source.appendingPathComponent(name)
            let to = target.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: from.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try linkTree(from: from, to: to)
            } else {
                do {
                    try fileManager.linkItem(at: from, to: to)
                } catch {
                    try fileManager.copyItem(at: from, to: to)
                }
            }
        }
    }
}

/// An exclusive lock on a file (`flock`), held until released or the process ends.
final class FileLock {
    private let descriptor: Int32

    /// Waits for the lock.
    /// - Throws: a ``QuestionData/DataError`` when the lock file cannot be opened.
    init(url: URL) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw QuestionData.DataError(file: url.path, problem: "cannot be opened to lock the inputs (\(String(cString: strerror(errno))))")
        }
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
