/// Checks a submission's `Credit:` trailers: each must name an earlier submission (or the
/// starting kit) that was visible to the giver, and together they may give at most 100% of
/// the giver's own share.
public enum CreditTrailerValidation {
    /// The fractions of the giver's own share given by the valid trailers (the giver not
    /// included), or nil when no trailer is valid; and one line per ignored trailer.
    /// - Parameters:
    ///   - giver: the submission's index in recording order.
    ///   - giverKey: its key.
    ///   - indices: the index of every earlier submission by key; the starting kit's is -1.
    ///   - isVisible: whether the submission at `giver` could see the one at `receiver`
    ///     (indices in recording order); not asked about the starting kit, which all see.
    public static func fractions(
        of trailers: [CreditTrailer], giver: Int, giverKey: String, indices: [String: Int],
        isVisible: (_ giver: Int, _ receiver: Int) -> Bool
    ) -> (fractions: [String: Double]?, problems: [String]) {
        var accepted: [CreditTrailer] = []
        var problems: [String] = []
        for trailer in trailers {
            if trailer.submission == giverKey {
                problems.append("ignored '\(trailer.text)': a submission cannot credit itself")
            } else if let receiver = indices[trailer.submission], receiver < giver {
                if receiver < 0 || isVisible(giver, receiver) {
                    accepted.append(trailer)
                } else {
                    problems.append("ignored '\(trailer.text)': \(trailer.submission) was not visible to \(giverKey)")
                }
            } else {
                problems.append("ignored '\(trailer.text)': no earlier submission is named \(trailer.submission)")
            }
        }
        guard !accepted.isEmpty else { return (nil, problems) }
        let total = accepted.reduce(0) { $0 + $1.percent }
        guard total <= 100 + 1e-9 else {
            let shown = accepted.map { "'\($0.text)'" }.joined(separator: ", ")
            problems.append("ignored \(shown): together they give \(format(total))%, more than 100%")
            return (nil, problems)
        }
        var fractions: [String: Double] = [:]
        for trailer in accepted {
            fractions[trailer.submission, default: 0] += trailer.fraction
        }
        return (fractions, problems)
    }

    /// A percentage without a needless ".0".
    private static func format(_ percent: Double) -> String {
        percent == percent.rounded() && abs(percent) < 1e15 ? String(Int(percent)) : String(percent)
    }
}
