import Git

/// One line of what git gives pre-receive and post-receive on stdin: a ref's old and new id.
public struct PushUpdate: Sendable, Equatable {
    public let oldID: ObjectID
    public let newID: ObjectID
    /// Full ref name, for example `refs/tags/submission-logreg-v2`.
    public let ref: String

    public init(oldID: ObjectID, newID: ObjectID, ref: String) {
        self.oldID = oldID
        self.newID = newID
        self.ref = ref
    }

    /// Parses git's `<old> <new> <ref>` lines; malformed lines are skipped.
    public static func parse(_ text: String) -> [PushUpdate] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let old = ObjectID(hex: String(parts[0])), let new = ObjectID(hex: String(parts[1])) else { return nil }
            return PushUpdate(oldID: old, newID: new, ref: String(parts[2]))
        }
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
