/// The stable hashes winnowing uses, identical on every run and platform (unlike Swift's
/// randomly seeded `Hasher`), so that fingerprints can be compared and stored.
enum WinnowingHash {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of a token's UTF-8 text.
    static func code(of text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }

    /// The hash of a k-gram: FNV-1a 64 over the little-endian bytes of its tokens' codes,
    /// finished with MurmurHash3's 64-bit finaliser so that the minimum of a window falls
    /// anywhere in it with equal chance.
    static func combine(_ codes: ArraySlice<UInt64>) -> UInt64 {
        var hash = offsetBasis
        for code in codes {
            var value = code
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xFF)) &* prime
                value >>= 8
            }
        }
        return finalize(hash)
    }

    /// MurmurHash3's `fmix64`.
    static func finalize(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
