import Hummingbird
import Ledger
import NIOCore
import Synchronization

/// Rendered answers (a leaderboard page as JSON or HTML) kept while the ledger's version is
/// the one they were rendered at: a request that finds its answer here costs two indexed
/// reads (the member, the version) instead of the page's queries and its encoding. At most
/// ``capacity`` answers are kept; entries of older versions go first.
final class RenderedCache: Sendable {
    /// What an answer depends on.
    struct Key: Hashable, Sendable {
        /// The route and its query parameters, in a fixed order.
        let request: String
        /// The score splits the viewer may see.
        let visibleSplits: [String]
        let version: LedgerVersion
    }

    let capacity: Int
    private let entries = Mutex<[Key: ByteBuffer]>([:])

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The answer rendered for `key`, rendering and keeping it when missing.
    func body(for key: Key, render: () async throws -> ByteBuffer) async rethrows -> ByteBuffer {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let body = try await render()
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.key.version == key.version }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = body
        }
        return body
    }

    /// The key of `request`'s answer for a viewer who may see `visibleSplits`.
    static func key(_ route: String, _ parameters: [(String, String?)], visibleSplits: Set<String>, version: LedgerVersion) -> Key {
        Key(request: route + "?" + parameters.map { "\($0.0)=\($0.1 ?? "")" }.joined(separator: "&"),
            visibleSplits: visibleSplits.sorted(), version: version)
    }
}
