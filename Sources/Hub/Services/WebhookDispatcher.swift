import Challenge
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging

/// Posts the hub's events to the webhooks challenge.yaml lists, in the background: an event
/// is queued and the caller goes on (a push, an evaluation's result never waits for a
/// webhook). The queue is bounded (``capacity``; when full, the oldest event is dropped and
/// logged); each delivery is tried up to ``attempts`` times, waiting 1, 4 then 16 seconds,
/// with a 10-second timeout each. The body is Slack's incoming-webhook JSON (`text`), with
/// the event's fields beside it for programs.
public actor WebhookDispatcher {
    /// One event to deliver.
    public struct Event: Sendable, Equatable {
        public let kind: Webhook.Event
        /// The human line (Slack's `text`).
        public let text: String
        /// Machine-readable fields.
        public let fields: [String: String]

        public init(kind: Webhook.Event, text: String, fields: [String: String]) {
            self.kind = kind
            self.text = text
            self.fields = fields
        }
    }

    public static let capacity = 1000
    public static let attempts = 4

    private let configuration: @Sendable () -> [Webhook]
    private let logger: Logger
    private var queue: [(url: String, body: Data)] = []
    private var waiting: CheckedContinuation<Void, Never>?

    /// - Parameter webhooks: the webhooks in force, asked at each event.
    public init(webhooks: @escaping @Sendable () -> [Webhook], logger: Logger) {
        configuration = webhooks
        self.logger = logger
    }

    /// Queues `event` for every webhook that wants it; returns at once.
    public func notify(_ event: Event) {
        var fields = event.fields
        fields["event"] = event.kind.rawValue
        var object: [String: Any] = ["text": event.text]
        for (key, value) in fields { object[key] = value }
        guard let body = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        for webhook in configuration() where webhook.events.contains(event.kind) {
            if queue.count >= Self.capacity {
                let dropped = queue.removeFirst()
                logger.warning("webhook queue full: dropped an event for \(dropped.url)")
            }
            queue.append((webhook.url, body))
        }
        waiting?.resume()
        waiting = nil
    }

    /// Delivers queued events until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            if queue.isEmpty {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        if queue.isEmpty && !Task.isCancelled { waiting = continuation } else { continuation.resume() }
                    }
                } onCancel: {
                    Task { await self.wake() }
                }
                continue
            }
            let next = queue.removeFirst()
            await deliver(next.body, to: next.url)
        }
    }

    private func wake() {
        waiting?.resume()
        waiting = nil
    }

    private func deliver(_ body: Data, to address: String) async {
        guard let url = URL(string: address) else { return }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        for attempt in 1...Self.attempts {
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return }
                logger.notice("webhook \(address) answered \(status) (attempt \(attempt) of \(Self.attempts))")
            } catch {
                logger.notice("webhook \(address) failed: \(error.localizedDescription) (attempt \(attempt) of \(Self.attempts))")
            }
            if attempt < Self.attempts {
                try? await Task.sleep(for: .seconds(pow(4, Double(attempt - 1))))
                if Task.isCancelled { return }
            }
        }
        logger.error("webhook \(address): gave up after \(Self.attempts) attempts")
    }
}
