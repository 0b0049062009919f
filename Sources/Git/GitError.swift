import CLibgit2

/// A failed libgit2 call: its return code and the message libgit2 recorded for this thread.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// The libgit2 return code (negative), for example `GIT_ENOTFOUND` (-3).
    public let code: Int32
    /// What Forkboard was doing, for example "open repository /hub/repos/ledger.git".
    public let operation: String
    /// libgit2's own message (`git_error_last()`), empty when it recorded none.
    public let message: String

    public var description: String {
        message.isEmpty ? "\(operation) failed (libgit2 code \(code))" : "\(operation): \(message)"
    }

    /// True when libgit2 reported that the object or reference does not exist.
    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    /// Throws a ``GitError`` when `result` is negative, reading `git_error_last()` at once,
    /// on the calling thread, as libgit2 requires.
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws {
        guard result < 0 else { return }
        var message = ""
        if let last = git_error_last(), let text = last.pointee.message {
            message = String(cString: text)
        }
        throw GitError(code: result, operation: operation(), message: message)
    }
}
