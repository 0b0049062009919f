import Foundation

/// A CSV file held as text cells: a header and rows (RFC 4180: comma-separated, fields may
/// be double-quoted, quotes doubled inside quotes, CRLF or LF line ends).
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Why a CSV file could not be read.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        /// 1-based line of the file (the header is line 1).
        public let line: Int
        public let problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// Reads `url`.
    /// - Throws: ``ParseError`` for an empty file, an unterminated quote, or a row whose number
    ///   of fields differs from the header's; a Foundation error when it cannot be read.
    public static func read(_ url: URL) throws -> CSVTable {
        try parse(try Data(contentsOf: url))
    }

    /// Parses CSV bytes (UTF-8).
    /// - Throws: ``ParseError`` as ``read(_:)`` does.
    public static func parse(_ data: Data) throws -> CSVTable {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var index = data.startIndex
        var fieldWasQuoted = false
        var quoteStartLine = 1
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        while index < data.endIndex {
            let byte = data[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    let next = data.index(after: index)
                    if next < data.endIndex, data[next] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    if field.isEmpty && !fieldWasQuoted { inQuotes = true; fieldWasQuoted = true; quoteStartLine = line } else { field.append(byte) }
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endField()
                    if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                    record.removeAll(keepingCapacity: true)
                    line += 1
                case UInt8(ascii: "\r"):
                    break
                default:
                    field.append(byte)
                }
            }
            index = data.index(after: index)
        }
        if inQuotes { throw ParseError(line: quoteStartLine, problem: "a quoted field opened here is not closed") }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted {
            endField()
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
        }
        guard let header = records.first else { throw ParseError(line: 1, problem: "the file is empty (no header)") }
        let rows = Array(records.dropFirst())
        for (offset, row) in rows.enumerated() where row.count != header.count {
            throw ParseError(line: offset + 2, problem: "\(row.count) fields where the header has \(header.count)")
        }
        return CSVTable(header: header, rows: rows)
    }

    /// The index of column `name`, or nil.
    public func column(_ name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// The CSV text of this table, quoting fields that need it.
    public func text() -> String {
        var output = ""
        func append(_ fields: [String]) {
            output += fields.map { field in
                field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
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
