/// Why historical contributivity could not be computed.
public enum CreditError: Error, Equatable, CustomStringConvertible {
    /// A submission credits itself, a later submission or an index outside the list.
    case creditNotToEarlierSubmission(giver: Int, receiver: Int)
    /// A fraction or contributivity is negative or not finite.
    case invalidAmount(submission: Int, value: Double)
    /// A submission gives away more than all of its credit.
    case sharesExceedOne(submission: Int, total: Double)

    /// A one-line explanation, for logs and error messages.
    public var description: String {
        switch self {
        case .creditNotToEarlierSubmission(let giver, let receiver):
            "submission \(giver) credits submission \(receiver), which is not an earlier submission"
        case .invalidAmount(let submission, let value):
            "submission \(submission) has an invalid amount \(value)"
        case .sharesExceedOne(let submission, let total):
            "submission \(submission) gives away \(total) of its credit, more than all of it"
        }
    }
}
