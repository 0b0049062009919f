import ScoreTypes

/// ramp-workflow's preparation of class probabilities before they are averaged (internal).
///
/// ramp-workflow 0.7.0's multi-class `Predictions.combine` clips every probability to
/// `[1e-15, 1 - 1e-15]` and divides each row by its sum before taking the (NaN-ignoring) mean,
/// both when it blends submissions on a fold and when it bags folds. The row sum is numpy's
/// (pairwise for eight or more classes), so the results agree with ramp-workflow to the bit.
enum RampNormalization {
    /// Lower clipping bound of ramp-workflow's combination.
    static let lowerBound = 1e-15
    /// Upper clipping bound of ramp-workflow's combination.
    static let upperBound = 1 - 1e-15

    /// `numpy.clip(value, 1e-15, 1 - 1e-15)`.
    @inline(__always)
    static func clip(_ value: Double) -> Double {
        min(max(value, lowerBound), upperBound)
    }

    /// Writes the clipped and renormalised copy of the `width` probabilities at `source` to
    /// `destination`; `destination` must have room for `width` values and may not alias `source`.
    @inline(__always)
    static func normalizeRow(
        _ source: UnsafePointer<Double>, width: Int, into destination: UnsafeMutablePointer<Double>
    ) {
        for column in 0..<width { destination[column] = clip(source[column]) }
        let sum = pairwiseSum(UnsafePointer(destination), count: width)
        for column in 0..<width { destination[column] /= sum }
    }

    /// numpy's `pairwise_sum` for doubles: plain summation below eight values, eight
    /// interleaved partial sums up to 128, and recursive halving above.
    static func pairwiseSum(_ values: UnsafePointer<Double>, count: Int) -> Double {
        if count < 8 {
            var result = 0.0
            for index in 0..<count { result += values[index] }
            return result
        }
        if count <= 128 {
            var partial = (values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7])
            var index = 8
            while index < count - count % 8 {
                partial.0 += values[index]
                partial.1 += values[index + 1]
                partial.2 += values[index + 2]
                partial.3 += values[index + 3]
                partial.4 += values[index + 4]
                partial.5 += values[index + 5]
                partial.6 += values[index + 6]
                partial.7 += values[index + 7]
                index += 8
            }
            var result =
                ((partial.0 + partial.1) + (partial.2 + partial.3))
                + ((partial.4 + partial.5) + (partial.6 + partial.7))
            while index < count {
                result += values[index]
                index += 1
            }
            return result
        }
        var half = count / 2
        half -= half % 8
        return pairwiseSum(values, count: half) + pairwiseSum(values + half, count: count - half)
    }

    /// `predictions` with every probability row clipped and renormalised; regression values
    /// are returned unchanged (ramp-workflow's default combination does not touch them).
    static func normalized(_ predictions: Predictions) -> Predictions {
        guard case .probabilities(let matrix) = predictions, !matrix.values.isEmpty else { return predictions }
        let width = matrix.classCount
        var values = [Double](repeating: 0, count: matrix.values.count)
        matrix.values.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { destination in
                for row in 0..<matrix.rowCount {
                    normalizeRow(
                        source.baseAddress! + row * width, width: width,
                        into: destination.baseAddress! + row * width)
                }
            }
        }
        return .probabilities(ProbabilityMatrix(rowCount: matrix.rowCount, classCount: width, values: values))
    }
}
