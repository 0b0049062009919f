import Foundation

/// A value read from a YAML file, with the key path that leads to it, so that every
/// validation error names the file and the key.
struct YAMLNode {
    let value: Any?
    let path: String
    let file: String

    func child(_ key: String) -> YAMLNode {
        let dictionary = value as? [String: Any]
        return YAMLNode(value: dictionary?[key], path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    var isMissing: Bool { value == nil || value is NSNull }

    func error(_ problem: String) -> ChallengeError {
        ChallengeError(file: file, key: path, problem: problem)
    }

    func string() throws -> String {
        guard let value else { throw error("is required") }
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        // YAML reads an unquoted 2026-12-01T09:00:00Z as a timestamp.
        if let date = value as? Date { return Instant.format(date) }
        throw error("must be a string")
    }

    func string(default fallback: String) throws -> String {
        isMissing ? fallback : try string()
    }

    func integer(default fallback: Int? = nil, minimum: Int? = nil) throws -> Int {
        if isMissing, let fallback { return fallback }
        guard let number = value as? Int else { throw error(isMissing ? "is required" : "must be an integer") }
        if let minimum, number < minimum { throw error("must be at least \(minimum)") }
        return number
    }

    func double(default fallback: Double) throws -> Double {
        if isMissing { return fallback }
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        throw error("must be a number")
    }

    /// Refuses keys of this mapping that are not in `known`, so that a misspelt key is reported
    /// instead of silently falling back to a default.
    func rejectUnknownKeys(_ known: [String]) throws {
        guard let dictionary = value as? [String: Any] else {
            if !isMissing, !(value is [String: Any]) { throw error("must be a mapping of keys to values") }
            return
        }
        for key in dictionary.keys.sorted() where !known.contains(key) {
            throw child(key).error("unknown key; expected one of: \(known.joined(separator: ", "))")
        }
    }

    func boolean(default fallback: Bool) throws -> Bool {
        if isMissing { return fallback }
        guard let value = value as? Bool else { throw error("must be true or false") }
        return value
    }

    func list() throws -> [YAMLNode] {
        guard let items = value as? [Any] else { throw error(isMissing ? "is required" : "must be a list") }
        return items.enumerated().map { YAMLNode(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    func stringList() throws -> [String] {
        try list().map { try $0.string() }
    }

    func stringList(default fallback: [String]) throws -> [String] {
        isMissing ? fallback : try stringList()
    }
}
