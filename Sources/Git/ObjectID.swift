import CLibgit2

/// A git object id (SHA-1, 20 bytes), shown as 40 lowercase hexadecimal digits.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 40-digit hexadecimal form.
    public let hex: String

    /// Parses a full 40-digit hexadecimal id; returns nil for anything else.
    public init?(hex: String) {
        let lowered = hex.lowercased()
        guard lowered.utf8.count == 40, lowered.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = lowered
    }

    init(_ oid: git_oid) {
        var copy = oid
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, &copy)
        self.hex = String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The all-zero id git uses for "no object" (a created or deleted ref in a push).
    public static let zero = ObjectID(hex: String(repeating: "0", count: 40))!

    /// True for the all-zero id.
    public var isZero: Bool { self == .zero }

    var oid: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }
}
