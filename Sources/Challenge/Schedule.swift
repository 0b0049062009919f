import Foundation

/// A named time window of a challenge.
public struct Phase: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Competitive: each team sees only its own code.
        case closed
        /// Collaborative: every submission is public and reusable.
        case open
        /// No new submissions.
        case frozen
    }

    public let name: String
    public let kind: Kind
    /// When it starts (UTC).
    public let start: Date

    public init(name: String, kind: Kind, start: Date) {
        self.name = name
        self.kind = kind
        self.start = start
    }
}

/// The phases of a challenge in time order; each lasts until the next starts, the last until
/// `end`. Instants are absolute (UTC), so deadlines hold to the second whatever the server's
/// time zone.
public struct Schedule: Sendable, Equatable {
    public let phases: [Phase]
    /// When the last phase ends.
    public let end: Date

    public init(phases: [Phase], end: Date) {
        self.phases = phases
        self.end = end
    }

    /// The phase at `instant`, or nil before the first start and from `end` on.
    public func phase(at instant: Date) -> Phase? {
        guard instant < end else { return nil }
        return phases.last { $0.start <= instant }
    }

    /// The phase named `name`, or nil.
    public func phase(named name: String) -> Phase? {
        phases.first { $0.name == name }
    }

    /// The next instant after `instant` at which the phase changes (a start or the end), or nil.
    public func nextChange(after instant: Date) -> Date? {
        (phases.map(\.start) + [end]).filter { $0 > instant }.min()
    }

    /// A schedule that is always in one closed phase (for configurations without `phases:`).
    public static let alwaysClosed = Schedule(
        phases: [Phase(name: "competition", kind: .closed, start: .distantPast)], end: .distantFuture)
}

/// Instants in challenge.yaml: ISO 8601 with seconds in UTC (`2026-12-01T09:00:00Z`), or in a
/// template, relative to when `forkboard init` runs (`init`, `init+14d`, `init+36h`, `init-1d`).
public enum Instant {
    /// Parses `text`; relative forms need `reference` (the init time).
    /// - Returns: nil when `text` is neither form (or relative without a reference).
    public static func parse(_ text: String, reference: Date?) -> Date? {
        if text.hasPrefix("init") {
            guard let reference else { return nil }
            let offset = text.dropFirst(4)
            if offset.isEmpty { return reference }
            guard let sign = offset.first, sign == "+" || sign == "-", let unit = offset.last,
                let amount = Double(offset.dropFirst().dropLast())
            else { return nil }
            let seconds: Double
            switch unit {
            case "d": seconds = amount * 86_400
            case "h": seconds = amount * 3_600
            case "m": seconds = amount * 60
            case "s": seconds = amount
            default: return nil
            }
            return reference.addingTimeInterval(sign == "+" ? seconds : -seconds)
        }
        return try? Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).parse(text)
    }

    /// A template's text with every relative `start:` and `end:` instant (`init`, `init+14d`)
    /// replaced by the absolute instant it names for `initTime`.
    public static func resolveRelative(in text: String, initTime: Date) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let match = line.firstMatch(of: /^(\s*-?\s*(?:start|end):\s*)"?(init[^"\s#]*)"?(.*)$/),
                let date = parse(String(match.output.2), reference: initTime)
            else { return String(line) }
            return match.output.1 + format(date) + match.output.3
        }.joined(separator: "\n")
    }

    /// `date` as ISO 8601 with seconds, UTC.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
