import CompressNIO
import Foundation
import NIOCore
import ScoreTypes

/// Predictions kept after an evaluation, in a compact binary form read without parsing text:
/// a one-line JSON header, then the numbers row by row as little-endian IEEE floats (64 or 32
/// bits), their bytes regrouped by position (every number's first byte, then every second
/// byte, ..., the "shuffle" of HDF5 and Blosc, which lets the exponents compress) and
/// compressed with zlib (compress-nio). A fold's validation predictions are kept in 64 bits
/// (what contributivity blends); the bagged test predictions in 32 bits: 3.5 million
/// objects of 15 classes take about 180 MB instead of the submission's 700 MB of CSV per fold.
public enum StoredPredictions {
    /// The precision numbers are kept in.
    public enum Precision: String, Codable, Sendable {
        case float64
        case float32

        var byteCount: Int { self == .float64 ? 8 : 4 }
    }

    struct Header: Codable {
        var format = "forkboard-predictions"
        var version = 1
        var kind: String
        var rows: Int
        var columns: Int
        var precision: Precision
        var shuffle = "bytes"
        var compression = "zlib"
    }

    /// A stored file that cannot be read.
    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `predictions` to `url` (atomically).
    /// - Throws: a compression or file error.
    public static func write(_ predictions: Predictions, to url: URL, precision: Precision) throws {
        let (values, columns, kind): ([Double], Int, String) =
            switch predictions {
            case .probabilities(let matrix): (matrix.values, matrix.classCount, "probabilities")
            case .values(let values): (values, 1, "values")
            }
        let width = precision.byteCount
        var shuffled = [UInt8](repeating: 0, count: values.count * width)
        shuffled.withUnsafeMutableBufferPointer { output in
            let count = values.count
            for (index, value) in values.enumerated() {
                var bits: UInt64 = precision == .float64 ? value.bitPattern.littleEndian : UInt64(Float(value).bitPattern.littleEndian)
                for byte in 0..<width {
                    output[byte * count + index] = UInt8(truncatingIfNeeded: bits)
                    bits >>= 8
                }
            }
        }
        var input = ByteBuffer(bytes: shuffled)
        // zlib's fastest level: writing is on every evaluation's path; docs/benchmarks.md gives the size kept.
        let compressed = try input.compress(with: .zlib, configuration: ZlibConfiguration(compressionLevel: .fastestCompression))
        var file = try JSONEncoder().encode(Header(kind: kind, rows: predictions.rowCount, columns: columns, precision: precision))
        file.append(UInt8(ascii: "\n"))
        file.append(contentsOf: compressed.readableBytesView)
        try file.write(to: url, options: .atomic)
    }

    /// Reads predictions stored at `url`.
    /// - Throws: ``ReadError`` for a file that is not stored predictions or is damaged; a file error.
    public static func read(_ url: URL) throws -> Predictions {
        let file = try Data(contentsOf: url)
        guard let newline = file.firstIndex(of: UInt8(ascii: "\n")),
            let header = try? JSONDecoder().decode(Header.self, from: file[file.startIndex..<newline]),
            header.format == "forkboard-predictions", header.version == 1, header.shuffle == "bytes", header.compression == "zlib"
        else {
            throw ReadError(description: "\(url.path) is not stored predictions")
        }
        let width = header.precision.byteCount
        let count = header.rows * header.columns
        var compressed = ByteBuffer(bytes: file[(newline + 1)...])
        var shuffled = ByteBufferAllocator().buffer(capacity: count * width)
        do {
            try compressed.decompress(to: &shuffled, with: .zlib)
        } catch {
            throw ReadError(description: "\(url.path) is damaged (\(error))")
        }
        guard shuffled.readableBytes == count * width else { throw ReadError(description: "\(url.path) holds fewer numbers than its header says") }
        // Byte plane k holds byte k (least significant first) of every number.
        let values =
            shuffled.readableBytesView.withContiguousStorageIfAvailable { bytes -> [Double] in
                [Double](unsafeUninitializedCapacity: count) { output, initialized in
                    switch header.precision {
                    case .float32:
                        for index in 0..<count {
                            let bits =
                                UInt32(bytes[index]) | UInt32(bytes[count + index]) << 8 | UInt32(bytes[2 * count + index]) << 16
                                | UInt32(bytes[3 * count + index]) << 24
                            output[index] = Double(Float(bitPattern: bits))
                        }
                    case .float64:
                        for index in 0..<count {
                            var bits: UInt64 = 0
                            for byte in (0..<8).reversed() { bits = bits << 8 | UInt64(bytes[byte * count + index]) }
                            output[index] = Double(bitPattern: bits)
                        }
                    }
                    initialized = count
                }
            } ?? []
        switch header.kind {
        case "probabilities": return .probabilities(ProbabilityMatrix(rowCount: header.rows, classCount: header.columns, values: values))
        case "values": return .values(values)
        default: throw ReadError(description: "\(url.path) holds predictions of an unknown kind '\(header.kind)'")
        }
    }
}
