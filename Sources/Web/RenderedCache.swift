import Challenge
import Hummingbird
import Ledger
import NIOCore
import Synchronization

/// Rendered answers (a leaderboard page as JSON or HTML) kept while the ledger's version is
/// the one they were rendered at: a request that finds its answer here costs one indexed
/// read (the member and the version) instead of the page's queries and its encoding.
/// Requests that miss the same answer at once wait for one rendering of it. At most
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
    private let entries = Mutex<[Key: Task<ByteBuffer, any Error>]>([:])

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The answer rendered for `key`, rendering and keeping it when missing (one rendering for
    /// every request that asks at once).
    /// - Throws: what `render` throws (and the answer is not kept).
    func body(for key: Key, render: @escaping @Sendable () async throws -> ByteBuffer) async throws -> ByteBuffer {
        let task = entries.withLock { entries -> Task<ByteBuffer, any Error> in
            if let existing = entries[key] { return existing }
            if entries.count >= capacity {
                entries = entries.filter { $0.key.version == key.version }
                if entries.count >= capacity { entries.removeAll() }
            }
            let task = Task { try await render() }
            entries[key] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            entries.withLock { entries in _ = entries.removeValue(forKey: key) }
            throw error
        }
    }

    /// The key of `request`'s answer for a viewer who may see `visibleSplits`.
    static func key(_ route: String, _ parameters: [(String, String?)], visibleSplits: Set<ScoreSplit>, version: LedgerVersion) -> Key {
        Key(
            request: route + "?" + parameters.map { "\($0.0)=\($0.1 ?? "")" }.joined(separator: "&"),
            visibleSplits: visibleSplits.map(\.rawValue).sorted(), version: version)
    }
}
