import Crypto
import Evaluation
import Foundation
import Hub
import Hummingbird

/// The hooks' way into the server: `POST /hooks/pre-receive` and `/hooks/post-receive` on a
/// listener bound to the loopback interface only, for requests that carry the server's
/// secret (given to git http-backend, hence to the hooks, in `FORKBOARD_HOOK_SECRET`). The
/// server, which has the hub open, runs the hook's logic (``Hub/HookRunner``) on
/// ``Evaluation/BlockingWork``'s threads: a push then costs no program start of its own
/// (`hooks/forkboard-hook.bash` is the other side).
///
/// The body is the hook's variables, one `NAME=value` a line, an empty line, then what git
/// gave the hook on stdin. The answer is the lines for the git client, with 200 (go on) or
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
                  SHA256.hash(data: Data(authorization.utf8)) == SHA256.hash(data: expected) else {
                return Response(status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 16 << 20)
            let (environment, input) = Self.parse(String(buffer: body))
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
            return Response(status: accepted ? .ok : .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The variables and the input of a hook request's body.
    static func parse(_ text: String) -> (environment: [String: String], input: String) {
        var environment: [String: String] = [:]
        var rest = Substring(text)
        while let newline = rest.firstIndex(of: "\n") {
            let line = rest[..<newline]
            rest = rest[rest.index(after: newline)...]
            if line.isEmpty { break }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let value = String(line[line.index(after: equals)...])
            if !value.isEmpty { environment[String(line[..<equals])] = value }
        }
        return (environment, String(rest))
    }
}
