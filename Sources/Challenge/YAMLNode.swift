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
