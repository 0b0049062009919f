import AsyncAlgorithms
import Foundation
import Host
import Hub
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Subprocess
import SystemPackage

/// Serves git's smart HTTP protocol by running `git http-backend` as a CGI program.
///
/// The request body is first spooled to a temporary file (bounded by
/// ``ServerSettings/maximumPushBytes``), then given to http-backend as stdin while its
/// stdout is read: this cannot deadlock on a full pipe, whatever the size of a push. The
/// CGI header block (`Status:`, `Content-Type:`, ...) is read first and turned into the
/// HTTP response's status and headers; the rest is streamed to the client with
/// back-pressure: each chunk of http-backend's output waits in a channel until the client's
/// connection took the previous one, so a slow clone holds at most a pipe's and a chunk's
/// worth of memory, and http-backend itself waits. A client that goes away, or reads nothing
/// for ``ServerSettings/idleSeconds``, stops http-backend.
struct GitBackend: Sendable {
    let hub: Hub
    let settings: ServerSettings
    let logger: Logger

    func serve(request: Request, context: ForkboardRequestContext, projectRoot: URL, pathInfo: String, login: String) async throws -> Response {
        let isPost = request.method == .post
        let bodyFile = settings.spoolDirectory.appendingPathComponent("push-\(UUID().uuidString)")
        var contentLength = 0
        if isPost {
            do {
                contentLength = try await spool(request.body, to: bodyFile)
            } catch let error as PushTooLarge {
                try? FileManager.default.removeItem(at: bodyFile)
                return Response(
                    status: .contentTooLarge, headers: [.contentType: "text/plain"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "push larger than \(error.limit) bytes\n")))
            } catch {
                try? FileManager.default.removeItem(at: bodyFile)
                throw error
            }
        }
        var environment: [String: String] = [
            "GIT_PROJECT_ROOT": projectRoot.path,
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": pathInfo,
            "REQUEST_METHOD": request.method.rawValue,
            "QUERY_STRING": request.uri.query ?? "",
            "CONTENT_TYPE": request.headers[.contentType] ?? "",
            "REMOTE_USER": login,
            "REMOTE_ADDR": context.remoteAddress?.ipAddress ?? "",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "HOME": hub.home.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "FORKBOARD_HUB": hub.home.path,
            "FORKBOARD_EXECUTABLE": settings.executablePath,
            "FORKBOARD_BASE_URL": settings.baseURL.value,
        ]
        if isPost { environment["CONTENT_LENGTH"] = String(contentLength) }
        let hookPort = settings.hookPort.value
        if !hookPort.isEmpty {
            environment["FORKBOARD_HOOK_PORT"] = hookPort
            environment["FORKBOARD_HOOK_SECRET"] = settings.hookSecret
        }
        if let encoding = request.headers[.contentEncoding] { environment["HTTP_CONTENT_ENCODING"] = encoding }
        if let gitProtocol = request.headers[HTTPField.Name("Git-Protocol")!] { environment["GIT_PROTOCOL"] = gitProtocol }

        let (headerStream, headerContinuation) = AsyncStream<CGIHeaderBlock?>.makeStream()
        let body = AsyncThrowingChannel<ByteBuffer, any Error>()
        let gitPath = settings.gitPath
        let idleSeconds = settings.idleSeconds
        let logger = self.logger
        let producer = Task {
            defer { if isPost { try? FileManager.default.removeItem(at: bodyFile) } }
            do {
                let input = isPost ? try FileDescriptor.open(FilePath(bodyFile.path), .readOnly) : nil
                defer { try? input?.close() }
                let result = try await Subprocess.run(
                    .path(FilePath(gitPath)),
                    arguments: ["http-backend"],
                    environment: .custom(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
                    input: input.map { .fileDescriptor($0, closeAfterSpawningProcess: false) }
                        ?? .fileDescriptor(try FileDescriptor.open("/dev/null", .readOnly), closeAfterSpawningProcess: true),
                    output: .sequence,
                    error: .string(limit: 1 << 16)
                ) { execution in
                    var parser = CGIHeaderParser()
                    var headerSent = false
                    for try await buffer in execution.standardOutput {
                        let bytes = buffer.withUnsafeBytes { ByteBuffer(bytes: $0) }
                        if headerSent {
                            // Waits until the client's connection took the previous chunk.
                            try await Self.send(bytes, to: body, idleSeconds: idleSeconds)
                        } else if let (header, rest) = parser.feed(Array(bytes.readableBytesView)) {
                            headerContinuation.yield(header)
                            headerContinuation.finish()
                            headerSent = true
                            if !rest.isEmpty { try await Self.send(ByteBuffer(bytes: rest), to: body, idleSeconds: idleSeconds) }
                        }
                        // The client went away: throwing stops http-backend.
                        try Task.checkCancellation()
                    }
                    if !headerSent {
                        headerContinuation.yield(nil)
                        headerContinuation.finish()
                    }
                }
                body.finish()
                if !result.terminationStatus.isSuccess, !result.standardError.isEmpty {
                    logger.warning("git http-backend \(pathInfo): \(result.terminationStatus): \(result.standardError)")
                }
            } catch {
                if error is ClientIdle {
                    logger.notice("git http-backend \(pathInfo): stopped, the client read nothing for \(idleSeconds) s")
                } else if !(error is CancellationError) {
                    logger.error("git http-backend \(pathInfo): \(error)")
                }
                headerContinuation.yield(nil)
                headerContinuation.finish()
                body.fail(error)
            }
        }
        var iterator = headerStream.makeAsyncIterator()
        guard let header = await iterator.next() ?? nil else {
            producer.cancel()
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "git http-backend failed\n")))
        }
        var headers = HTTPFields()
        for (name, value) in header.fields {
            guard let fieldName = HTTPField.Name(name) else { continue }
            headers.append(HTTPField(name: fieldName, value: value))
        }
        return Response(
            status: HTTPResponse.Status(code: header.status), headers: headers,
            body: ResponseBody { writer in
                do {
                    for try await buffer in body { try await writer.write(buffer) }
                    try await writer.finish(nil)
                } catch {
                    producer.cancel()
                    throw error
                }
            })
    }

    /// Hands `bytes` to the response's channel, waiting for the client to take the previous
    /// chunk at most `idleSeconds`.
    /// - Throws: ``ClientIdle`` when the client read nothing for that long (http-backend is
    ///   then stopped).
    static func send(_ bytes: ByteBuffer, to channel: AsyncThrowingChannel<ByteBuffer, any Error>, idleSeconds: Double) async throws {
        let delivered = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await channel.send(bytes)
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(idleSeconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !delivered { throw ClientIdle() }
    }

    /// The client read nothing of the answer for ``ServerSettings/idleSeconds``.
    struct ClientIdle: Error {}

    /// Writes a request body to `file` in chunks of up to 1 MiB, on ``Evaluation/BlockingWork``'s
    /// threads; returns its size in bytes.
    /// - Throws: ``PushTooLarge`` beyond ``ServerSettings/maximumPushBytes``; file errors.
    private func spool(_ requestBody: RequestBody, to file: URL) async throws -> Int {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var total = 0
        var pending = ByteBuffer()
        let limit = settings.maximumPushBytes
        for try await buffer in requestBody {
            total += buffer.readableBytes
            if total > limit { throw PushTooLarge(limit: limit) }
            var chunk = buffer
            pending.writeBuffer(&chunk)
            if pending.readableBytes >= 1 << 20 {
                let data = Data(pending.readableBytesView)
                pending.clear()
                try await BlockingWork.run { try handle.write(contentsOf: data) }
            }
        }
        if pending.readableBytes > 0 {
            let data = Data(pending.readableBytesView)
            try await BlockingWork.run { try handle.write(contentsOf: data) }
        }
        return total
    }

    struct PushTooLarge: Error {
        let limit: Int
    }
}

/// The header block a CGI program prints before its body.
struct CGIHeaderBlock: Sendable {
    var status: Int = 200
    var fields: [(String, String)] = []
}

/// Collects a CGI program's output until the blank line that ends its header block.
struct CGIHeaderParser {
    private var pending: [UInt8] = []

    /// Adds bytes; returns the header block and the body bytes after it once the blank line
    /// has been seen.
    mutating func feed(_ bytes: [UInt8]) -> (CGIHeaderBlock, [UInt8])? {
        pending.append(contentsOf: bytes)
        guard let end = Self.endOfHeader(in: pending) else { return nil }
        let text = String(decoding: pending[..<end.headerEnd], as: UTF8.self)
        var block = CGIHeaderBlock()
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "status" {
                block.status = Int(value.prefix(3)) ?? 200
            } else {
                block.fields.append((name, value))
            }
        }
        return (block, Array(pending[end.bodyStart...]))
    }

    private static func endOfHeader(in bytes: [UInt8]) -> (headerEnd: Int, bodyStart: Int)? {
        var index = 0
        while index < bytes.count {
            if bytes[index] == 10 {
                if index + 1 < bytes.count, bytes[index + 1] == 10 { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }
}
