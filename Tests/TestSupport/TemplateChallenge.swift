import Foundation

/// Challenge files of the project's templates, made ready for in-process tests.
public enum TemplateChallenge {
    /// The breast-cancer template's challenge.yaml with its schedule placed around `now`: the
    /// first (closed) phase started a minute before, the open phase starts a day after, the
    /// frozen one two days after, and the challenge ends three days after; its runtime is the
    /// machine's `/usr/bin` (nothing is run in a sandbox by the tests that use it).
    /// - Throws: when the template cannot be read.
    public static func breastCancer(now: Date = Date()) throws -> String {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("templates/breast-cancer/challenge.yaml")
        let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
        return try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "start: init+14d", with: "start: \(now.addingTimeInterval(86_400).formatted(format))")
            .replacingOccurrences(of: "start: init+28d", with: "start: \(now.addingTimeInterval(2 * 86_400).formatted(format))")
            .replacingOccurrences(of: "end: init+42d", with: "end: \(now.addingTimeInterval(3 * 86_400).formatted(format))")
            .replacingOccurrences(of: "start: init", with: "start: \(now.addingTimeInterval(-60).formatted(format))")
            + "runtime:\n  bin: /usr/bin\n"
    }
}
