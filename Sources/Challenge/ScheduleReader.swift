import Foundation

/// Reads and validates `phases:` in challenge.yaml.
enum ScheduleReader {
    static func read(_ node: YAMLNode, initTime: Date?) throws -> Schedule {
        let items = try node.list()
        guard !items.isEmpty else { throw node.error("must list at least one phase") }
        var phases: [Phase] = []
        var end: Date?
        for (index, item) in items.enumerated() {
            try item.rejectUnknownKeys(["name", "kind", "start", "end"])
            let name = try item.child("name").string()
            guard name.range(of: "^[A-Za-z0-9_-]{1,40}$", options: .regularExpression) != nil else {
                throw item.child("name").error("'\(name)' must match [A-Za-z0-9_-]{1,40}")
            }
            guard !phases.contains(where: { $0.name == name }) else { throw item.child("name").error("'\(name)' is used by two phases") }
            let kindText = try item.child("kind").string()
            guard let kind = Phase.Kind(rawValue: kindText) else {
                throw item.child("kind").error("'\(kindText)' is not one of closed, open, frozen")
            }
            let start = try instant(item.child("start"), initTime: initTime)
            if let previous = phases.last, start <= previous.start {
                throw item.child("start").error("must be after the start of phase '\(previous.name)'")
            }
            phases.append(Phase(name: name, kind: kind, start: start))
            if index == items.count - 1 {
                let last = try instant(item.child("end"), initTime: initTime)
                guard last > start else { throw item.child("end").error("must be after the phase's start") }
                end = last
            } else if !item.child("end").isMissing {
                throw item.child("end").error("only the last phase has an end (a phase lasts until the next starts)")
            }
        }
        return Schedule(phases: phases, end: end!)
    }

    private static func instant(_ node: YAMLNode, initTime: Date?) throws -> Date {
        let text = try node.string()
        guard let date = Instant.parse(text, reference: initTime) else {
            throw node.error(
                text.hasPrefix("init") && initTime == nil
                    ? "'\(text)' is relative to 'forkboard init'; a hub's challenge.yaml needs absolute instants like 2026-12-01T09:00:00Z"
                    : "'\(text)' is not an instant: use ISO 8601 in UTC with seconds, like 2026-12-01T09:00:00Z")
        }
        return date
    }
}
