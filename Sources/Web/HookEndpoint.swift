import Crypto
import Foundation
import Host
import Hub
import Hummingbird

/// The hooks' way into the server: `POST /hooks/pre-receive` and `/hooks/post-receive` on a
/// listener bound to the loopback interface only, for requests that carry the server's
/// secret (given to git http-backend, hence to the hooks, in `FORKBOARD_HOOK_SECRET`). The
/// server, which has the hub open, runs the hook's logic (``Hub/HookRunner``) on
/// ``Evaluation/BlockingWork``'s threads: a push then costs no program start of its own
/// (`hooks/forkboard-hook.bash` is the other side).
///
/// The body is the hook's variables, each with its length (``parse(_:)``), then what git
/// gave the hook on stdin. A body that breaks the format is answered 400, and the hook runs
/// `forkboard hook` instead. The answer is the lines for the git client, with 200 (go on) or
/// 403 (the push is refused).
struct HookEndpoint: Sendable {
    let hub: Hub
    let secret: String

    /// A new random secret: 32 bytes from the system's secure generator, as hexadecimal.
    static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let hub = self.hub
        let expected = Data("Bearer \(secret)".utf8)
        router.post("/hooks/{name}") { request, context -> Response in
            // Compared as digests, in constant time.
            guard let authorization = request.headers[.authorization],
                SHA256.hash(data: Data(authorization.utf8)) == SHA256.hash(data: expected)
            else {
                return Response(status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 16 << 20)
            guard let (environment, input) = Self.parse(Array(body.readableBytesView)) else { return Response(status: .badRequest) }
            let runner = HookRunner(environment: environment, hub: hub)
            let accepted: Bool
            let lines: [String]
            switch context.parameters.get("name") {
            case "pre-receive":
                (accepted, lines) = try await BlockingWork.run {
                    let (status, lines) = runner.preReceive(input: input)
                    return (status == 0, lines)
                }
            case "post-receive":
                (accepted, lines) = (true, try await BlockingWork.run { runner.postReceive(input: input) })
            default:
                return Response(status: .notFound)
            }
            let text = lines.map { $0 + "\n" }.joined()
            return Response(
                status: accepted ? .ok : .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The variables a hook request may carry.
    static let variables: Set<String> = [
        "GIT_DIR", "REMOTE_USER", "REMOTE_ADDR", "GIT_OBJECT_DIRECTORY", "GIT_QUARANTINE_PATH", "GIT_SHALLOW_FILE", "FORKBOARD_BASE_URL",
        "GIT_PUSH_OPTION_COUNT",
    ]

    /// The variables and the input of a hook request's body, or nil when it does not follow
    /// the format: each variable as `NAME=LENGTH:VALUE` and a line feed, where LENGTH is the
    /// value's length in bytes (so that a value may hold anything, line breaks included,
    /// without passing for another variable); an empty line; then git's input. Only known
    /// variables are accepted, each once, and `GIT_DIR` must be given.
    static func parse(_ body: [UInt8]) -> (environment: [String: String], input: [UInt8])? {
        var environment: [String: String] = [:]
        var index = 0
        func take(until byte: UInt8) -> String? {
            guard let end = body[index...].firstIndex(of: byte) else { return nil }
            defer { index = end + 1 }
            return String(decoding: body[index..<end], as: UTF8.self)
        }
        while index < body.count {
            if body[index] == UInt8(ascii: "\n") {
                index += 1
                guard let directory = environment["GIT_DIR"], !directory.isEmpty else { return nil }
                return (environment.filter { !$0.value.isEmpty || $0.key.hasPrefix("GIT_PUSH_OPTION_") }, Array(body[index...]))
            }
            guard let name = take(until: UInt8(ascii: "=")), let lengthText = take(until: UInt8(ascii: ":")),
                let length = Int(lengthText), length >= 0, index + length < body.count, body[index + length] == UInt8(ascii: "\n")
            else { return nil }
            let isPushOption =
                name.hasPrefix("GIT_PUSH_OPTION_")
                && Int(name.dropFirst("GIT_PUSH_OPTION_".count)).map { (0..<HookRunner.maximumPushOptions).contains($0) } == true
            guard variables.contains(name) || isPushOption, environment[name] == nil else { return nil }
            environment[name] = String(decoding: body[index..<(index + length)], as: UTF8.self)
            index += length + 1
        }
        return nil
    }
}
