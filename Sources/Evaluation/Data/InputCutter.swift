#if canImport(Glibc)
    import Glibc
#endif
import Challenge
import Foundation

/// One input directory to cut from a question's data: the objects it holds (training
/// objects in a given order, then a range of the test objects), as docs/data.md describes: an
/// objects file, then each table's rows and each file directory's files of those objects.
public struct InputSelection: Sendable {
    /// Created by the cut; must not exist.
    public let directory: URL
    /// `train.csv` (with the target) or `predict.csv` (without).
    public let objectsFileName: String
    /// Indices into ``QuestionData/trainIDs``, in the order the objects file lists them.
    public let trainObjects: [Int]
    /// The test objects that follow (indices into ``QuestionData/testIDs``, in the test
    /// objects file's order), or none.
    public let testObjects: Range<Int>?
    /// Whether the objects file keeps the target column.
    public let keepsTarget: Bool

    public init(directory: URL, objectsFileName: String, trainObjects: [Int], testObjects: Range<Int>?, keepsTarget: Bool) {
        self.directory = directory
        self.objectsFileName = objectsFileName
        self.trainObjects = trainObjects
        self.testObjects = testObjects
        self.keepsTarget = keepsTarget
    }

    /// A step's training input: `train.csv` with the target.
    public static func training(_ directory: URL, objects: [Int]) -> InputSelection {
        InputSelection(directory: directory, objectsFileName: "train.csv", trainObjects: objects, testObjects: nil, keepsTarget: true)
    }

    /// A step's prediction input: `predict.csv` without the target.
    public static func prediction(_ directory: URL, objects: [Int], testObjects: Range<Int>?) -> InputSelection {
        InputSelection(
            directory: directory, objectsFileName: "predict.csv", trainObjects: objects, testObjects: testObjects,
            keepsTarget: false)
    }
}

/// Which selections each test object goes to: the ranges of the selections cut into segments
/// that the same selections cover, found by binary search (shards are many).
struct TestRouting {
    /// Segment `k` is `boundaries[k]..<boundaries[k + 1]`.
    private let boundaries: [Int]
    private let segments: [[Int32]]

    init(_ selections: [InputSelection]) {
        let ranges = selections.enumerated().compactMap { index, selection in selection.testObjects.map { (Int32(index), $0) } }
        boundaries = Array(Set(ranges.flatMap { [$0.1.lowerBound, $0.1.upperBound] })).sorted()
        segments = zip(boundaries, boundaries.dropFirst()).map { start, _ in
            ranges.filter { $0.1.contains(start) }.map(\.0)
        }
    }

    var isEmpty: Bool { boundaries.isEmpty }

    /// The selections test object `object` goes to.
    func routes(_ object: Int) -> [Int32] {
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if object < boundaries[middle] {
                high = middle
            } else if object >= boundaries[middle + 1] {
                low = middle + 1
            } else {
                return segments[middle]
            }
        }
        return []
    }
}

/// Cuts a question's data into input directories in one streaming pass over each data file,
/// whatever the number of directories: each row goes to the directories of its object. Holds
/// the ids and the routes, never a table. Per-object files are hard-linked.
public enum InputCutter {
    typealias DataError = QuestionData.DataError

    /// Writes every selection's directory.
    /// - Throws: ``QuestionData/DataError`` naming the file and line of a row that cannot be
    ///   cut (an id of no object, a table whose columns differ between the splits);
    ///   ``BufferedFileWriter/WriteError`` when a file cannot be written (a full disk).
    public static func cut(_ data: QuestionData, into selections: [InputSelection]) throws {
        let fileManager = FileManager.default
        for selection in selections {
            try fileManager.createDirectory(at: selection.directory, withIntermediateDirectories: true)
        }
        var trainRoutes = [[Int32]](repeating: [], count: data.trainIDs.count)
        for (index, selection) in selections.enumerated() {
            for object in selection.trainObjects { trainRoutes[object].append(Int32(index)) }
        }
        let testRouting = TestRouting(selections)
        let trainIndex = ObjectIndex(data.trainIDs, file: data.files.train.objects.lastPathComponent)
        let testIndex = testRouting.isEmpty ? nil : ObjectIndex(data.testIDs, file: data.files.test?.objects.lastPathComponent)
        try writeObjects(data, selections: selections)
        for (position, table) in data.files.train.tables.enumerated() {
            let writers = try selections.map { try BufferedFileWriter(url: $0.directory.appendingPathComponent("\(table.name).csv")) }
            var header: [String] = []
            try route(
                table.url, question: data.question, index: trainIndex, lenient: data.isSubset,
                header: { columns in
                    header = columns
                    for writer in writers { try writer.write(columns.map(CSVSyntax.field).joined(separator: ",") + "\n") }
                },
                row: { record, object in
                    for target in trainRoutes[object] {
                        try writers[Int(target)].write(record.raw)
                        try writers[Int(target)].write(CSVSyntax.newline)
                    }
                })
            if let testIndex, let testTable = data.files.test?.tables[position] {
                try route(
                    testTable.url, question: data.question, index: testIndex, lenient: false,
                    header: { columns in
                        if columns != header {
                            throw DataError(
                                file: testTable.url.path,
                                problem: "line 1: its columns differ from \(table.url.lastPathComponent)'s (\(header.joined(separator: ",")))")
                        }
                    },
                    row: { record, object in
                        for target in testRouting.routes(object) {
                            try writers[Int(target)].write(record.raw)
                            try writers[Int(target)].write(CSVSyntax.newline)
                        }
                    })
            }
            for writer in writers { try writer.close() }
        }
        for (position, directory) in data.files.train.fileDirectories.enumerated() {
            let targets = selections.map { $0.directory.appendingPathComponent(directory.name) }
            for target in targets { try fileManager.createDirectory(at: target, withIntermediateDirectories: true) }
            for (object, routes) in trainRoutes.enumerated() where !routes.isEmpty {
                try link(id: data.trainIDs[object], from: directory, to: routes.map { targets[Int($0)] })
            }
            if testIndex != nil, let testDirectory = data.files.test?.fileDirectories[position] {
                for (object, id) in data.testIDs.enumerated() {
                    try link(id: id, from: testDirectory, to: testRouting.routes(object).map { targets[Int($0)] })
                }
            }
        }
    }

    /// Streams the table at `url`: `header` gets its column names, then `row` each row with the
    /// index of its object in `index`.
    /// - Parameter lenient: rows of ids that `index` lacks are left out instead of refused.
    /// - Throws: ``QuestionData/DataError`` for a table without the id column or with the
    ///   target column, a row of the wrong width, an id of no object; what the closures throw.
    static func route(
        _ url: URL, question: Question, index: ObjectIndex, lenient: Bool,
        header: ([String]) throws -> Void, row body: (CSVRecord, Int) throws -> Void
    ) throws {
        let file = url.path
        do {
            let (reader, columns, idColumn) = try openDataFile(url, question: question)
            if columns.contains(question.targetColumn) {
                throw DataError(file: file, problem: "has the target column '\(question.targetColumn)': only the objects file may hold it")
            }
            try header(columns)
            while let record = try reader.next() {
                guard record.count == columns.count else {
                    throw DataError(file: file, problem: "line \(record.line): \(record.count) fields where the header has \(columns.count)")
                }
                let id = record.string(idColumn)
                guard let object = index[id] else {
                    if lenient { continue }
                    throw DataError(
                        file: file,
                        problem: "line \(record.line): the id '\(id)' is no object of \(index.describedFile ?? "this split"): "
                            + "every row of a table belongs to an object of the objects file")
                }
                try body(record, object)
            }
        } catch let error as DataError {
            throw error
        } catch let error as CSVParseError {
            throw DataError(file: file, problem: error.description)
        }
    }

    /// Writes each selection's objects file: the training objects' records read at their
    /// places in the training objects file, then the test objects file streamed; the target
    /// column dropped (prediction inputs) or written as its label (training inputs).
    private static func writeObjects(_ data: QuestionData, selections: [InputSelection]) throws {
        let question = data.question
        let trainURL = data.files.train.objects
        let trainReader = try CSVFileReader(url: trainURL)
        guard let trainHeader = try trainReader.next()?.strings,
            let targetColumn = trainHeader.firstIndex(of: question.targetColumn)
        else {
            throw DataError(file: trainURL.path, problem: "has no target column '\(question.targetColumn)'")
        }
        let withoutTarget = trainHeader.indices.filter { $0 != targetColumn }
        let writers = try selections.map { try BufferedFileWriter(url: $0.directory.appendingPathComponent($0.objectsFileName)) }
        for (selection, writer) in zip(selections, writers) {
            let header = selection.keepsTarget ? trainHeader : withoutTarget.map { trainHeader[$0] }
            try writer.write(header.map(CSVSyntax.field).joined(separator: ",") + "\n")
        }
        let records = try RecordFile(url: trainURL)
        let labels = LabelIndex(labels: question.labels)
        for (selection, writer) in zip(selections, writers) {
            for object in selection.trainObjects {
                try records.withRecord(data.trainRecords[object]) { base, fields in
                    if selection.keepsTarget {
                        try writeFields(base, fields, order: Array(trainHeader.indices), to: writer) { column in
                            guard column == targetColumn, question.kind == .classification else { return nil }
                            // The target written as its label, as the labels match it (3 is 3.0).
                            let value = String(
                                decoding: CSVSyntax.unquoted(
                                    UnsafeBufferPointer(
                                        start: base + fields[column].lowerBound,
                                        count: fields[column].count)), as: UTF8.self)
                            return labels.index(of: value).map { question.labels[$0] }
                        }
                    } else {
                        try writeFields(base, fields, order: withoutTarget, to: writer) { _ in nil }
                    }
                }
            }
        }
        let testRouting = TestRouting(selections)
        if !testRouting.isEmpty, let testURL = data.files.test?.objects {
            do {
                let reader = try CSVFileReader(url: testURL)
                guard let testHeader = try reader.next()?.strings else { throw DataError(file: testURL.path, problem: "is empty (no header)") }
                let order = try withoutTarget.map { column in
                    guard let found = testHeader.firstIndex(of: trainHeader[column]) else {
                        throw DataError(file: testURL.path, problem: "lacks the column '\(trainHeader[column])' of \(trainURL.lastPathComponent)")
                    }
                    return found
                }
                var object = 0
                while let record = try reader.next() {
                    guard record.count == testHeader.count else {
                        throw DataError(
                            file: testURL.path, problem: "line \(record.line): \(record.count) fields where the header has \(testHeader.count)")
                    }
                    for selection in testRouting.routes(object) {
                        try writeFields(record.base, record.fieldRanges, order: order, to: writers[Int(selection)]) { _ in nil }
                    }
                    object += 1
                }
            } catch let error as CSVParseError {
                throw DataError(file: testURL.path, problem: error.description)
            }
        }
        for writer in writers { try writer.close() }
    }

    /// Writes the fields of `order` (raw, quotes kept; or `replacement`'s value, quoted as
    /// needed), comma-separated, and a line end.
    private static func writeFields(
        _ base: UnsafePointer<UInt8>, _ fields: [Range<Int>], order: [Int], to writer: BufferedFileWriter,
        replacement: (Int) -> String?
    ) throws {
        for (position, column) in order.enumerated() {
            if position > 0 { try writer.write(CSVSyntax.comma) }
            if let value = replacement(column) {
                try writer.write(CSVSyntax.field(value))
            } else {
                try writer.write(UnsafeBufferPointer(start: base + fields[column].lowerBound, count: fields[column].count))
            }
        }
        try writer.write(CSVSyntax.newline)
    }

    /// Hard-links `<id><suffix>` of `directory`, when there is one, into each of `targets`
    /// (copied where a link cannot be made, across file systems).
    private static func link(id: String, from directory: QuestionFiles.FileDirectory, to targets: [URL]) throws {
        guard !targets.isEmpty, ObjectIndex.isFileName(id) else { return }
        let name = id + directory.suffix
        let source = directory.url.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else { return }
        for target in targets {
            let destination = target.appendingPathComponent(name)
            do {
                try FileManager.default.linkItem(at: source, to: destination)
            } catch {
                try FileManager.default.copyItem(at: source, to: destination)
            }
        }
    }
}

/// The objects of one split by id.
struct ObjectIndex {
    private let positions: [String: Int]
    /// The objects file, for messages.
    var describedFile: String?

    init(_ ids: [String], file: String? = nil) {
        positions = Dictionary(ids.enumerated().map { ($1, $0) }) { first, _ in first }
        describedFile = file
    }

    subscript(id: String) -> Int? { positions[id] }

    /// Whether `id` can name a file: not empty, not `.` or `..`, without `/` or NUL.
    static func isFileName(_ id: String) -> Bool {
        !id.isEmpty && id != "." && id != ".." && !id.contains("/") && !id.contains("\0")
    }
}

/// Reads records of a file at known places (`pread`), for objects listed in another order
/// than the file's (explicit folds).
final class RecordFile {
    private let descriptor: Int32
    private let url: URL
    private var buffer: [UInt8] = []
    private var fields: [Range<Int>] = []

    init(url: URL) throws {
        self.url = url
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw QuestionData.DataError(file: url.path, problem: "cannot be read (\(String(cString: strerror(errno))))") }
    }

    deinit { close(descriptor) }

    /// Reads the record at `span` and gives `body` its bytes, with its fields' ranges in `fields`.
    func withRecord(_ span: QuestionData.RecordSpan, _ body: (UnsafePointer<UInt8>, [Range<Int>]) throws -> Void) throws {
        let length = Int(span.length)
        if buffer.count < length + 1 { buffer = [UInt8](repeating: 0, count: max(length + 1, buffer.count * 2)) }
        try buffer.withUnsafeMutableBufferPointer { bytes in
            var done = 0
            while done < length {
                let count = pread(descriptor, bytes.baseAddress! + done, length - done, off_t(span.offset) + off_t(done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    throw QuestionData.DataError(file: url.path, problem: "changed while it was read: cut the inputs again")
                }
                done += count
            }
            let base = UnsafePointer(bytes.baseAddress!)
            do {
                _ = try CSVSyntax.scan(base, from: 0, to: length, atEnd: true, fields: &fields)
            } catch {
                throw QuestionData.DataError(file: url.path, problem: "changed while it was read: cut the inputs again")
            }
            try body(base, fields)
        }
    }
}
