import Foundation

/// A small CSV file held as text cells: a header and rows, parsed by the rules of
/// ``CSVRecord``. For files that fit in memory (a team's predictions for `predict`, an
/// export, the tests); data files are streamed with ``CSVFileReader``.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Why a CSV file could not be read.
    public typealias ParseError = CSVParseError

    /// Reads `url`.
    /// - Throws: ``ParseError`` for an empty file, an unterminated quote, or a row whose number
    ///   of fields differs from the header's; a Foundation error when it cannot be read.
    public static func read(_ url: URL) throws -> CSVTable {
        try parse(try Data(contentsOf: url))
    }

    /// Parses CSV bytes (UTF-8).
    /// - Throws: ``ParseError`` as ``read(_:)`` does.
    public static func parse(_ data: Data) throws -> CSVTable {
        var records: [(line: Int, fields: [String])] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { return }
            var fields: [Range<Int>] = []
            var start = 0
            var line = 1
            while true {
                let scanned: CSVSyntax.Scan
                do {
                    scanned = try CSVSyntax.scan(base, from: start, to: bytes.count, atEnd: true, fields: &fields)
                } catch {
                    throw ParseError(line: line, problem: "a quoted field opened here is not closed")
                }
                guard case .record(let content, let next, let lineEnds) = scanned else { break }
                if !CSVSyntax.isBlank(fields) {
                    let record = CSVRecord(base: base, fieldRanges: fields, content: content, line: line, offset: Int64(start))
                    records.append((line, record.strings))
                }
                line += lineEnds
                start = next
            }
        }
        guard let header = records.first?.fields else { throw ParseError(line: 1, problem: "the file is empty (no header)") }
        for record in records.dropFirst() where record.fields.count != header.count {
            throw ParseError(line: record.line, problem: "\(record.fields.count) fields where the header has \(header.count)")
        }
        return CSVTable(header: header, rows: records.dropFirst().map(\.fields))
    }

    /// `value` as a CSV field: quoted when it holds a comma, a quote or a line end.
    public static func field(_ value: String) -> String { CSVSyntax.field(value) }

    /// The index of column `name`, or nil.
    public func column(_ name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// The CSV text of this table, quoting fields that need it.
    public func text() -> String {
        var output = ""
        func append(_ fields: [String]) {
            output += fields.map(CSVSyntax.field).joined(separator: ",")
            output += "\n"
        }
        append(header)
        rows.forEach(append)
        return output
    }

    /// Writes the table to `url` atomically.
    public func write(to url: URL) throws {
        try Data(text().utf8).write(to: url, options: .atomic)
    }
}
