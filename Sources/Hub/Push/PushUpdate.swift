import Foundation
import Git

/// One line of what git gives pre-receive and post-receive on stdin: a ref's old and new id.
public struct PushUpdate: Sendable, Equatable {
    public let oldID: ObjectID
    public let newID: ObjectID
    /// Full ref name, for example `refs/tags/submission-logreg-v2`. A name that is not valid
    /// UTF-8 (git stores any bytes) is shown with each such byte as `\xHH` (and `\` as `\\`),
    /// which keeps two different names different.
    public let ref: String
    /// False when git's name for the ref is not valid UTF-8.
    public let isValidUTF8: Bool

    public init(oldID: ObjectID, newID: ObjectID, ref: String, isValidUTF8: Bool = true) {
        self.oldID = oldID
        self.newID = newID
        self.ref = ref
        self.isValidUTF8 = isValidUTF8
    }

    /// Parses git's `<old> <new> <ref>` lines; malformed lines are skipped.
    public static func parse(_ text: String) -> [PushUpdate] {
        parse(Array(text.utf8))
    }

    /// Parses git's `<old> <new> <ref>` lines as git wrote them (bytes); malformed lines are
    /// skipped.
    public static func parse(_ bytes: [UInt8]) -> [PushUpdate] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2)
            guard parts.count == 3, let old = ObjectID(hex: String(decoding: parts[0], as: UTF8.self)),
                let new = ObjectID(hex: String(decoding: parts[1], as: UTF8.self))
            else { return nil }
            var name = Array(parts[2])
            if name.last == UInt8(ascii: "\r") { name.removeLast() }
            if let valid = String(validating: name, as: UTF8.self) {
                return PushUpdate(oldID: old, newID: new, ref: valid)
            }
            return PushUpdate(oldID: old, newID: new, ref: escaped(name), isValidUTF8: false)
        }
    }

    /// `bytes` as text: ASCII printable bytes as they are (`\` doubled), every other byte as
    /// `\xHH`. Reversible: two different byte strings never look alike.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            if byte == UInt8(ascii: "\\") { return "\\\\" }
            if (0x20..<0x7f).contains(byte) { return String(UnicodeScalar(byte)) }
            return String(format: "\\x%02x", byte)
        }.joined()
    }

    /// The prefix of submission tags.
    public static let submissionTagPrefix = "refs/tags/submission-"

    /// The submission name when this ref is a submission tag (`refs/tags/submission-<name>`).
    public var submissionName: String? {
        ref.hasPrefix(Self.submissionTagPrefix) ? String(ref.dropFirst(Self.submissionTagPrefix.count)) : nil
    }

    /// True when the push creates the ref.
    public var isCreation: Bool { oldID.isZero && !newID.isZero }
    /// True when the push deletes the ref.
    public var isDeletion: Bool { newID.isZero }
}
