import Challenge
import Foundation

/// Where a question's data files are on this machine: the training objects with their
/// tables and per-object file directories, and the same for the test objects when they are
/// here (in a hub; not in a participant's clone). See docs/data.md.
public struct QuestionFiles: Sendable, Equatable {
    /// A table keyed by the objects' id.
    public struct Table: Sendable, Equatable {
        public let name: String
        public let url: URL

        public init(name: String, url: URL) {
            self.name = name
            self.url = url
        }
    }

    /// A directory of per-object files named `<id><suffix>`.
    public struct FileDirectory: Sendable, Equatable {
        public let name: String
        public let url: URL
        public let suffix: String

        public init(name: String, url: URL, suffix: String) {
            self.name = name
            self.url = url
            self.suffix = suffix
        }
    }

    /// The files of one split.
    public struct Split: Sendable, Equatable {
        /// One row per object: the id, the target, any metadata.
        public let objects: URL
        public let tables: [Table]
        public let fileDirectories: [FileDirectory]

        public init(objects: URL, tables: [Table] = [], fileDirectories: [FileDirectory] = []) {
            self.objects = objects
            self.tables = tables
            self.fileDirectories = fileDirectories
        }

        /// Every file and directory of the split.
        public var paths: [URL] { [objects] + tables.map(\.url) + fileDirectories.map(\.url) }
    }

    public let train: Split
    /// Nil where the test objects are not (a participant's `forkboard evaluate`).
    public let test: Split?

    public init(train: Split, test: Split?) {
        self.train = train
        self.test = test
    }

    /// The files of `question` in the hub home `home`.
    public static func hub(home: URL, question: Question) -> QuestionFiles {
        func path(_ relative: String) -> URL { home.appendingPathComponent(relative) }
        return QuestionFiles(
            train: Split(
                objects: path(question.trainData),
                tables: question.tables.map { Table(name: $0.name, url: path($0.train)) },
                fileDirectories: question.fileDirectories.map { FileDirectory(name: $0.name, url: path($0.train), suffix: $0.suffix) }),
            test: Split(
                objects: path(question.testData),
                tables: question.tables.map { Table(name: $0.name, url: path($0.test)) },
                fileDirectories: question.fileDirectories.map { FileDirectory(name: $0.name, url: path($0.test), suffix: $0.suffix) }))
    }

    /// The public training files of `question` as the starting kit at `kit` holds them
    /// (``Challenge/Question/startingKitCopies``), or at the hub's paths inside the kit when
    /// the question names no place in it; no test files.
    public static func startingKit(_ kit: URL, question: Question) -> QuestionFiles {
        let copies = Dictionary(question.startingKitCopies.map { ($0.hubPath, $0.kitPath) }) { first, _ in first }
        func path(_ hubPath: String) -> URL { kit.appendingPathComponent(copies[hubPath] ?? hubPath) }
        return QuestionFiles(
            train: Split(
                objects: path(question.trainData),
                tables: question.tables.map { Table(name: $0.name, url: path($0.train)) },
                fileDirectories: question.fileDirectories.map { FileDirectory(name: $0.name, url: path($0.train), suffix: $0.suffix) }),
            test: nil)
    }

    /// A question of one table whose files are `train` and `test`.
    public static func table(train: URL, test: URL?) -> QuestionFiles {
        QuestionFiles(train: Split(objects: train), test: test.map { Split(objects: $0) })
    }

    /// A stamp of every file and directory (sizes and modification times; for a directory,
    /// its own time and number of entries) that changes when they do.
    public var stamp: String {
        let paths = train.paths + (test?.paths ?? [])
        return paths.map { url -> String in
            let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
            var size = (attributes?[.size] as? Int) ?? -1
            if attributes?[.type] as? FileAttributeType == .typeDirectory {
                size = (try? FileManager.default.contentsOfDirectory(atPath: url.path).count) ?? -1
            }
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(url.path):\(size):\(modified)"
        }.joined(separator: "|")
    }
}
