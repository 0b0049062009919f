#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// Why a CSV file could not be read.
public struct CSVParseError: Error, CustomStringConvertible, Equatable {
    /// 1-based line of the file (the header is line 1).
    public let line: Int
    public let problem: String
    public var description: String { "line \(line): \(problem)" }
}

/// One record of a CSV file, as its bytes: the fields' raw bytes (quotes included) and
/// their values. It points into its reader's buffer and is valid until the reader's next
/// call.
///
/// The rules are RFC 4180's as most writers apply them: fields separated by commas, a field
/// that starts with a double quote runs to the matching quote (doubled quotes inside it are
/// one quote; it may hold commas and line ends), records end with LF or CRLF, and a blank line
/// is no record.
public struct CSVRecord {
    let base: UnsafePointer<UInt8>
    let fieldRanges: [Range<Int>]
    let content: Range<Int>
    /// 1-based line of the file where the record starts.
    public let line: Int
    /// Byte offset in the file of the record's first byte.
    public let offset: Int64

    /// The number of fields.
    public var count: Int { fieldRanges.count }

    /// The record's bytes without its line end.
    public var raw: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + content.lowerBound, count: content.count)
    }

    /// Field `index`'s bytes as they are in the file (quotes included).
    public func rawField(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let range = fieldRanges[index]
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Field `index`'s value: unquoted, doubled quotes made single, carriage returns outside
    /// quotes dropped.
    public func string(_ index: Int) -> String {
        let field = rawField(index)
        if !field.contains(where: { $0 == CSVSyntax.quote || $0 == CSVSyntax.carriageReturn }) {
            return String(decoding: field, as: UTF8.self)
        }
        return String(decoding: CSVSyntax.unquoted(field), as: UTF8.self)
    }

    /// Every field's value.
    public var strings: [String] { (0..<count).map(string) }

    /// Field `index` read as a number (spaces around it ignored), or nil when it is not one;
    /// parsed from its bytes with `strtod`, without making a string (a predictions file of
    /// 3.5 million rows holds 50 million numbers).
    public func double(_ index: Int) -> Double? {
        var field = rawField(index)
        while let first = field.first, first == UInt8(ascii: " ") { field = UnsafeBufferPointer(rebasing: field.dropFirst()) }
        while let last = field.last, last == UInt8(ascii: " ") || last == CSVSyntax.carriageReturn {
            field = UnsafeBufferPointer(rebasing: field.dropLast())
        }
        guard !field.isEmpty, field.count < 64, !field.contains(CSVSyntax.quote) else {
            return Double(string(index).trimmingCharacters(in: .whitespaces))
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            for (offset, byte) in field.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            buffer[field.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            return end == buffer.baseAddress! + field.count ? value : nil
        }
    }
}

/// The bytes and rules of CSV that the reader and the writers share.
enum CSVSyntax {
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// The value of a raw field (see ``CSVRecord/string(_:)``).
    static func unquoted(_ field: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var value: [UInt8] = []
        value.reserveCapacity(field.count)
        var inQuotes = false
        var index = 0
        while index < field.count {
            let byte = field[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < field.count, field[index + 1] == quote {
                        value.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    value.append(byte)
                }
            } else if byte == quote, index == 0 {
                inQuotes = true
            } else if byte != carriageReturn {
                value.append(byte)
            }
            index += 1
        }
        return value
    }

    /// `value` as a CSV field: quoted when it holds a comma, a quote or a line end.
    static func field(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// What ``scan(_:from:to:atEnd:fields:)`` found.
    enum Scan {
        /// A record whose content is `content` (without its line end), followed by the next
        /// record at `next`; `lineEnds` line ends were inside it, its own included.
        case record(content: Range<Int>, next: Int, lineEnds: Int)
        /// The bytes end inside a record: more are needed.
        case needMore
        /// No bytes are left.
        case end
    }

    /// Finds the record that starts at `start` in `bytes[start..<end]`, appending its fields'
    /// ranges to `fields` (emptied first).
    /// - Parameter atEnd: true when no byte follows `end` (the file's last record may lack a
    ///   line end).
    /// - Throws: a message when a quoted field opened in the record is not closed by the end.
    static func scan(
        _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, atEnd: Bool,
        fields: inout [Range<Int>]
    ) throws(QuoteNotClosed) -> Scan {
        fields.removeAll(keepingCapacity: true)
        if start >= end { return atEnd ? .end : .needMore }
        var index = start
        var fieldStart = start
        var inQuotes = false
        var lineEnds = 0
        while index < end {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < end {
                        if bytes[index + 1] == quote {
                            index += 2
                            continue
                        }
                        inQuotes = false
                    } else if atEnd {
                        inQuotes = false
                    } else {
                        return .needMore
                    }
                } else if byte == newline {
                    lineEnds += 1
                }
                index += 1
                continue
            }
            switch byte {
            case quote where index == fieldStart:
                inQuotes = true
            case comma:
                fields.append(fieldStart..<index)
                fieldStart = index + 1
            case newline:
                var contentEnd = index
                if contentEnd > fieldStart, bytes[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
                fields.append(fieldStart..<contentEnd)
                return .record(content: start..<contentEnd, next: index + 1, lineEnds: lineEnds + 1)
            default:
                break
            }
            index += 1
        }
        guard atEnd else { return .needMore }
        if inQuotes { throw QuoteNotClosed(lineEnds: lineEnds) }
        var contentEnd = end
        if contentEnd > fieldStart, bytes[contentEnd - 1] == carriageReturn { contentEnd -= 1 }
        fields.append(fieldStart..<contentEnd)
        return .record(content: start..<contentEnd, next: end, lineEnds: lineEnds)
    }

    /// A quoted field that runs to the end of the input.
    struct QuoteNotClosed: Error {
        let lineEnds: Int
    }

    /// True for a record that is one empty field: a blank line, which is no record.
    static func isBlank(_ fields: [Range<Int>]) -> Bool {
        fields.count == 1 && fields[0].isEmpty
    }
}

/// Reads a CSV file record by record with bounded memory: a buffer of `bufferSize` bytes,
/// grown only for a record larger than it. What the hub streams data files with.
///
/// Not `Sendable`: one reader belongs to one task at a time.
public final class CSVFileReader {
    /// The file read.
    public let url: URL
    private let descriptor: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var nextLine = 1
    private var fields: [Range<Int>] = []

    /// Opens `url` for reading.
    /// - Throws: ``CSVFileReader/OpenError`` when it cannot be opened.
    public init(url: URL, bufferSize: Int = 1 << 20) throws {
        self.url = url
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenError(path: url.path, reason: String(cString: strerror(errno))) }
        capacity = max(bufferSize, 64)
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// A file that cannot be opened.
    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot be read (\(reason))" }
    }

    /// A file that cannot be read further.
    public struct ReadError: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "cannot be read (\(reason))" }
    }

    /// The next record (blank lines skipped), or nil at the end of the file. The record is
    /// valid until the next call.
    /// - Throws: ``CSVParseError`` for a quoted field that is never closed; ``ReadError``.
    public func next() throws -> CSVRecord? {
        while true {
            let scanned: CSVSyntax.Scan
            do {
                scanned = try CSVSyntax.scan(buffer, from: start, to: end, atEnd: atEnd, fields: &fields)
            } catch {
                throw CSVParseError(line: nextLine, problem: "a quoted field opened on this line is not closed")
            }
            switch scanned {
            case .end:
                return nil
            case .needMore:
                try fill()
            case .record(let content, let next, let lineEnds):
                let line = nextLine
                let offset = bufferOffset + Int64(start)
                nextLine += lineEnds
                start = next
                if CSVSyntax.isBlank(fields) { continue }
                return CSVRecord(base: UnsafePointer(buffer), fieldRanges: fields, content: content, line: line, offset: offset)
            }
        }
    }

    /// Moves the unread bytes to the front (growing the buffer when they fill it) and reads more.
    private func fill() throws {
        let unread = end - start
        if start > 0 {
            if unread > 0 { buffer.update(from: buffer + start, count: unread) }
            bufferOffset += Int64(start)
            start = 0
            end = unread
        }
        if end == capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: String(cString: strerror(errno)))
            }
            if count == 0 { atEnd = true }
            end += count
            return
        }
    }
}

/// Writes a file through a buffer, with `write(2)`; what the hub cuts data into.
///
/// Not `Sendable`: one writer belongs to one task at a time.
public final class BufferedFileWriter {
    /// The file written.
    public let url: URL
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    /// Creates (or empties) `url`.
    /// - Throws: ``WriteError`` when it cannot be created.
    public init(url: URL, bufferSize: Int = 1 << 16) throws {
        self.url = url
        capacity = bufferSize
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(bufferSize)
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// A file that cannot be written (a full disk, most often).
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path) cannot be written (\(reason))" }
    }

    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count > capacity {
            try writeAll(UnsafeRawBufferPointer(bytes))
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ byte: UInt8) throws {
        if buffer.count >= capacity { try flush() }
        buffer.append(byte)
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write($0) }
    }

    /// Writes what is buffered, makes it durable (`fsync`) and closes the file.
    public func close() throws {
        try flush()
        if fsync(descriptor) != 0 { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
        let status = Glibc.close(descriptor)
        descriptor = -1
        if status != 0 { throw WriteError(path: url.path, reason: String(cString: strerror(errno))) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: url.path, reason: String(cString: strerror(errno)))
            }
            written += count
        }
    }
}
