import Foundation
import ScoreTypes

/// A fast, bounded estimate of log loss for every candidate of a blending step (internal).
///
/// Only decisions matter in greedy selection, so the blender screens candidates with this
/// estimate and scores exactly (with the official `LogLoss`) only those that the error
/// bound cannot rule out. The estimate uses two identities of the ensemble mean: the
/// denominator `memberCount + 1` cancels against the row sum, and a product of the factors
/// needs a single logarithm when binary exponents are set aside as it grows. For candidate
/// `i`, row `r`, true class `t`:
/// `-ln q = ln(T_r + 1) - ln max(S_rt + u_irt, epsilon * (T_r + 1))`, where `S` is the
/// ensemble's running sum, `T_r` its row total and `u` the candidate's clipped and
/// renormalised probabilities. The bound covers the approximation (taking every member's row
/// sum as exactly 1, ignoring the clipping of the other classes) and the rounding of both
/// computations, with a wide margin; see ``bound(estimate:)``.
struct LogLossScreening: Sendable {
    /// `u`: for each candidate, its combination-ready probability of each row's true class,
    /// candidate-major (`candidate * rowCount + row`).
    private let trueClassProbabilities: [Double]
    /// The true class of each row.
    private let trueClasses: [Int]
    private let rowCount: Int
    private let classCount: Int
    /// The clipping bound of the official log loss.
    private let epsilon: Double

    /// A screening for `candidates` under `scoreType`, or nil when `scoreType` is not a
    /// `LogLoss` this estimate is proven for (epsilon up to 1e-6) or the fold is not
    /// classification with 2 to 10,000 classes.
    init?(scoreType: any ScoreType, candidates: FoldCandidates) {
        // Eight factors, each between about 1e-15 / classCount and the ensemble size, must
        // multiply to a normal number: hence the class count limit.
        guard let logLoss = scoreType as? LogLoss, logLoss.epsilon <= 1e-6,
            candidates.isProbabilities, candidates.rowCount > 0, candidates.width >= 2, candidates.width <= 10_000,
            case .classes(let classes, let classCount) = candidates.truth,
            classCount == candidates.width, classes.allSatisfy({ $0 >= 0 && $0 < classCount })
        else { return nil }
        rowCount = candidates.rowCount
        self.classCount = classCount
        epsilon = logLoss.epsilon
        trueClasses = classes
        let rowCount = self.rowCount
        trueClassProbabilities = [Double](unsafeUninitializedCapacity: candidates.count * rowCount) {
            buffer, initializedCount in
            let destination = SharedPointer(buffer.baseAddress!)
            try? ParallelWork.forEachRange(count: candidates.count) { range in
                var scratch = [Double](repeating: 0, count: classCount)
                scratch.withUnsafeMutableBufferPointer { scratch in
                    for candidate in range {
                        candidates.values[candidate].withUnsafeBufferPointer { values in
                            for row in 0..<rowCount {
                                RampNormalization.normalizeRow(
                                    values.baseAddress! + row * classCount, width: classCount,
                                    into: scratch.baseAddress!)
                                (destination.pointer + candidate * rowCount + row).initialize(to: scratch[classes[row]])
                            }
                        }
                    }
                }
            }
            initializedCount = candidates.count * rowCount
        }
    }

    /// For every candidate, the estimated log loss of the ensemble in `sums` with that
    /// candidate added, and a bound on the estimate's error: the official score lies in
    /// `estimate ± bound`.
    func estimates(sums: EnsembleSums) throws -> (estimates: [Double], bounds: [Double]) {
        let rowCount = self.rowCount
        let classCount = self.classCount
        var trueSums = [Double](repeating: 0, count: rowCount)
        var floors = [Double](repeating: 0, count: rowCount)
        var commonTotal = 0.0
        for row in 0..<rowCount {
            var total = 0.0
            for column in 0..<classCount { total += sums.sums[row * classCount + column] }
            let denominator = total + 1
            trueSums[row] = sums.sums[row * classCount + trueClasses[row]]
            floors[row] = epsilon * denominator
            commonTotal += log(denominator)
        }
        let common = commonTotal
        let rowTrueSums = trueSums
        let rowFloors = floors
        let candidateCount = trueClassProbabilities.count / rowCount
        let estimates = try ParallelWork.map(count: candidateCount, minimumRangeSize: 8, placeholder: 0.0) { candidate in
            let logSum = logOfCandidate(candidate, trueSums: rowTrueSums, floors: rowFloors)
            return (common - logSum) / Double(rowCount)
        }
        return (estimates, estimates.map { bound(estimate: $0) })
    }

    /// `Σ_r ln max(S_rt + u_rt, floor_r)` for `candidate`, with a single logarithm: the
    /// factors are multiplied in four interleaved products whose binary exponents are moved
    /// to an integer every eight factors (exact scaling by powers of two).
    private func logOfCandidate(_ candidate: Int, trueSums: [Double], floors: [Double]) -> Double {
        let rowCount = self.rowCount
        return trueClassProbabilities.withUnsafeBufferPointer { probabilities in
            trueSums.withUnsafeBufferPointer { trueSums in
                floors.withUnsafeBufferPointer { floors in
                    let own = probabilities.baseAddress! + candidate * rowCount
                    var products = SIMD4<Double>(repeating: 1)
                    var exponents = 0
                    var row = 0
                    while row + 32 <= rowCount {
                        for offset in stride(from: row, to: row + 32, by: 4) {
                            let sums = SIMD4<Double>(
                                trueSums[offset] + own[offset], trueSums[offset + 1] + own[offset + 1],
                                trueSums[offset + 2] + own[offset + 2], trueSums[offset + 3] + own[offset + 3])
                            let lower = SIMD4<Double>(floors[offset], floors[offset + 1], floors[offset + 2], floors[offset + 3])
                            products *= sums.replacing(with: lower, where: sums .< lower)
                        }
                        for lane in 0..<4 { exponents += Self.extractExponent(&products[lane]) }
                        row += 32
                    }
                    var last = 1.0
                    while row < rowCount {
                        last *= max(trueSums[row] + own[row], floors[row])
                        row += 1
                        if row % 8 == 0 { exponents += Self.extractExponent(&last) }
                    }
                    exponents += Self.extractExponent(&last)
                    var mantissas = last
                    for lane in 0..<4 { mantissas *= products[lane] }
                    return log(mantissas) + Double(exponents) * M_LN2
                }
            }
        }
    }

    /// Scales the positive normal `value` into [1, 2) and returns the power of two removed.
    @inline(__always)
    private static func extractExponent(_ value: inout Double) -> Int {
        let bits = value.bitPattern
        let exponent = Int((bits >> 52) & 0x7FF) - 1023
        value = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        return exponent
    }

    /// The largest possible difference between an estimate and the official score.
    ///
    /// Per row, the approximation changes `q` by a relative `(4 classCount + 4) epsilon`
    /// (clipping of the other classes) plus a few `classCount` units of rounding; the
    /// official sum of `rowCount` terms of total `rowCount * score` loses at most
    /// `rowCount * ulp * rowCount * score`, the block products and their logarithms
    /// comparably less. The returned bound is several times the sum of these, plus 1e-10
    /// relative for safety; it stays far below the score differences that decide selection.
    func bound(estimate: Double) -> Double {
        let unit = Double.ulpOfOne
        let size = 1 + abs(estimate)
        let rounding = size * (1e-10 + 8 * Double(rowCount) * unit) + Double(64 * classCount + 64) * unit
        return rounding + Double(8 * classCount + 8) * epsilon
    }
}
