/// A challenge configuration that cannot be used: names the file and the key at fault.
public struct ChallengeError: Error, CustomStringConvertible, Sendable {
    /// The file that was read, for example `/hub/challenge.yaml`.
    public let file: String
    /// The key at fault as a path, for example `questions[0].folds.count`; empty for the file.
    public let key: String
    /// What is wrong with it.
    public let problem: String

    public init(file: String, key: String, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        key.isEmpty ? "\(file): \(problem)" : "\(file): \(key): \(problem)"
    }
}
