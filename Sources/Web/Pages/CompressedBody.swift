import CompressNIO
import Foundation
import HTTPTypes
import Host
import Hummingbird
import NIOCore

/// Large answers sent gzip-compressed to the clients that accept it (every browser does): the
/// lineage SVG of 10,000 submissions shrinks about 15 times (docs/benchmarks.md).
enum CompressedBody {
    /// Whether an `Accept-Encoding` header value accepts gzip: `gzip` or `*` listed without
    /// `q=0` (RFC 9110, section 12.5.3).
    static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        for entry in acceptEncoding.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }

    /// `body` compressed to the gzip format (RFC 1952) by zlib, on ``Evaluation/BlockingWork``'s
    /// threads (done once per ledger version for the lineage SVG).
    /// - Throws: `CompressNIOError` when zlib fails.
    static func gzip(_ body: ByteBuffer) async throws -> ByteBuffer {
        try await BlockingWork.run {
            var input = body
            return try input.compress(with: .gzip())
        }
    }

    /// The answer `identity` (uncompressed) or `gzipped`, whichever the request accepts, with
    /// `Vary: Accept-Encoding` so that caches keep both.
    static func response(
        contentType: String, identity: () async throws -> ByteBuffer, gzipped: () async throws -> ByteBuffer,
        for request: Request
    ) async throws -> Response {
        var headers: HTTPFields = [.contentType: contentType, .vary: "Accept-Encoding"]
        if acceptsGzip(request.headers[.acceptEncoding]) {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try await gzipped()))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try await identity()))
    }
}
