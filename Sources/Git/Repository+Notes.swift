import CLibgit2
import Foundation

extension Repository {
    /// Attaches `text` as the note of `object` under `notesReference` (for example
    /// `refs/notes/forkboard`), replacing an earlier note of that object.
    /// - Throws: ``GitError`` when the object is missing or the note cannot be written.
    public func setNote(_ text: String, on object: ObjectID, notesReference: String, signature: Signature) throws {
        var gitSignature: UnsafeMutablePointer<git_signature>?
        try GitError.check(
            git_signature_new(&gitSignature, signature.name, signature.email, git_time_t(signature.time.timeIntervalSince1970), 0),
            "make a signature for \(signature.name)")
        defer { git_signature_free(gitSignature) }
        var target = object.oid
        var noteID = git_oid()
        try GitError.check(
            git_note_create(&noteID, handle, notesReference, gitSignature, gitSignature, &target, text, 1),
            "write the note of \(object)")
    }

    /// The note of `object` under `notesReference`, or nil when it has none.
    /// - Throws: ``GitError`` for failures other than "no note".
    public func note(on object: ObjectID, notesReference: String) throws -> String? {
        var note: OpaquePointer?
        var target = object.oid
        let result = git_note_read(&note, handle, notesReference, &target)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "read the note of \(object)")
        defer { git_note_free(note) }
        return git_note_message(note).map { String(cString: $0) }
    }
}
