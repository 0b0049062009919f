/// A dense matrix of class probabilities: one row per sample, one column per class,
/// stored row-major. Values are probabilities in [0, 1]; rows are expected (not required)
/// to sum to 1.
public struct ProbabilityMatrix: Sendable, Equatable {
    /// Number of rows (samples).
    public let rowCount: Int
    /// Number of columns (classes), in the order of the question's labels.
    public let classCount: Int
    /// Row-major values: `values[row * classCount + column]`.
    public var values: [Double]

    /// Creates a matrix from row-major values.
    /// - Precondition: `values.count == rowCount * classCount`.
    public init(rowCount: Int, classCount: Int, values: [Double]) {
        precondition(values.count == rowCount * classCount, "values must hold rowCount x classCount numbers")
        self.rowCount = rowCount
        self.classCount = classCount
        self.values = values
    }

    /// Creates a matrix from rows; every row must have `classCount` values.
    public init(rows: [[Double]], classCount: Int) {
        precondition(rows.allSatisfy { $0.count == classCount }, "every row must have classCount values")
        self.init(rowCount: rows.count, classCount: classCount, values: rows.flatMap { $0 })
    }

    /// The probability of class `column` for sample `row`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * classCount + column] }
        set { values[row * classCount + column] = newValue }
    }

    /// The probabilities of one sample, in label order.
    public func row(_ row: Int) -> ArraySlice<Double> {
        values[(row * classCount)..<((row + 1) * classCount)]
    }

    /// The matrix restricted to the given rows, in the given order.
    public func selecting(rows indices: [Int]) -> ProbabilityMatrix {
        var selected: [Double] = []
        selected.reserveCapacity(indices.count * classCount)
        for index in indices { selected.append(contentsOf: row(index)) }
        return ProbabilityMatrix(rowCount: indices.count, classCount: classCount, values: selected)
    }
}

/// What a submission predicted for a set of rows.
public enum Predictions: Sendable, Equatable {
    /// Classification: class probabilities, rows x classes.
    case probabilities(ProbabilityMatrix)
    /// Regression: one predicted value per row.
    case values([Double])

    /// Number of predicted rows.
    public var rowCount: Int {
        switch self {
        case .probabilities(let matrix): matrix.rowCount
        case .values(let values): values.count
        }
    }

    /// The predictions of the given rows, in the given order.
    public func selecting(rows: [Int]) -> Predictions {
        switch self {
        case .probabilities(let matrix): .probabilities(matrix.selecting(rows: rows))
        case .values(let values): .values(rows.map { values[$0] })
        }
    }
}

/// The true targets of a set of rows.
public enum GroundTruth: Sendable, Equatable {
    /// Classification: for each row, the index of its class in the question's labels
    /// (`0..<classCount`).
    case classes([Int], classCount: Int)
    /// Regression: the true value of each row.
    case values([Double])

    /// Number of rows.
    public var rowCount: Int {
        switch self {
        case .classes(let classes, _): classes.count
        case .values(let values): values.count
        }
    }
}

extension GroundTruth {
    /// The truth of the given rows, in the given order.
    public func selecting(rows: [Int]) -> GroundTruth {
        switch self {
        case .classes(let classes, let classCount): .classes(rows.map { classes[$0] }, classCount: classCount)
        case .values(let values): .values(rows.map { values[$0] })
        }
    }
}
