import Challenge

/// A cross-validation fold: row indices (into the public training rows) to train on and to
/// validate on.
public struct Fold: Sendable, Equatable {
    public let trainRows: [Int]
    public let validationRows: [Int]
}

/// Splits rows into folds deterministically from a ``FoldScheme`` (method, count, seed), so
/// that every submission of a question sees exactly the same folds.
///
/// The shuffle is a Fisher-Yates shuffle driven by SplitMix64 (Steele, Lea, Flood, 2014),
/// which is fully specified and stable across platforms and Swift versions. The folds are
/// therefore Forkboard's own and do not reproduce scikit-learn's (which depend on numpy's
/// generator); they follow the same definitions:
/// - K-fold: the shuffled rows cut into K consecutive parts whose sizes differ by at most one.
/// - Stratified K-fold: each class's shuffled rows dealt over the folds in turn, continuing
///   where the previous class stopped, so every fold gets each class in proportion.
/// - Shuffle-split: K independent shuffles, each holding out `ceil(fraction x rows)` rows.
public enum FoldSplitter {
    /// The folds of `rowCount` rows; `classes` (one class index per row) is used by the
    /// stratified method only.
    /// - Precondition: `rowCount >= scheme.count` for K-fold methods.
    public static func folds(rowCount: Int, classes: [Int]?, scheme: FoldScheme) -> [Fold] {
        var generator = SplitMix64(seed: scheme.seed)
        var assignments: [[Int]]
        switch scheme.method {
        case .kFold:
            let order = shuffled(Array(0..<rowCount), using: &generator)
            assignments = (0..<scheme.count).map { fold in
                let start = fold * rowCount / scheme.count
                let end = (fold + 1) * rowCount / scheme.count
                return Array(order[start..<end])
            }
        case .stratifiedKFold:
            let classOf = classes ?? Array(repeating: 0, count: rowCount)
            assignments = Array(repeating: [], count: scheme.count)
            var next = 0
            for classIndex in Set(classOf).sorted() {
                let rows = (0..<rowCount).filter { classOf[$0] == classIndex }
                for row in shuffled(rows, using: &generator) {
                    assignments[next].append(row)
                    next = (next + 1) % scheme.count
                }
            }
        case .explicit:
            // Read from the scheme's file by `QuestionData.load`, never split here.
            assignments = []
        case .shuffleSplit:
            let held = Int((Double(rowCount) * scheme.validationFraction).rounded(.up))
            assignments = (0..<scheme.count).map { _ in
                Array(shuffled(Array(0..<rowCount), using: &generator).prefix(held))
            }
        }
        return assignments.map { validation in
            let validationSet = Set(validation)
            return Fold(
                trainRows: (0..<rowCount).filter { !validationSet.contains($0) },
                validationRows: validation.sorted())
        }
    }

    private static func shuffled(_ rows: [Int], using generator: inout SplitMix64) -> [Int] {
        var rows = rows
        guard rows.count > 1 else { return rows }
        for index in stride(from: rows.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            rows.swapAt(index, other)
        }
        return rows
    }
}

/// SplitMix64: a small, fully specified 64-bit generator (Steele, Lea and Flood, "Fast
/// splittable pseudorandom number generators", OOPSLA 2014).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
