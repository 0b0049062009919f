import Evaluation
import SyntheticWorkloads
import Testing

@testable import Credit

struct HistoricalContributivityTests {
    @Test func rampWorkedExample() throws {
        // A 0.2, B 0.3, C 0.5; C credits B 50%; B credits A 50%.
        let result = try HistoricalContributivity.distribute([
            CreditedSubmission(contributivity: 0.2),
            CreditedSubmission(contributivity: 0.3, credits: [CreditShare(submission: 0, fraction: 0.5)]),
            CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 1, fraction: 0.5)]),
        ])
        #expect(result.count == 3)
        #expect(abs(result[0] - 0.475) < 1e-12)
        #expect(abs(result[1] - 0.275) < 1e-12)
        #expect(abs(result[2] - 0.25) < 1e-12)
    }

    @Test func withoutCreditsNothingMoves() throws {
        let contributivities = [0.1, 0.6, 0.3]
        let result = try HistoricalContributivity.distribute(contributivities.map { CreditedSubmission(contributivity: $0) })
        #expect(result == contributivities)
    }

    @Test func fullCreditPassesEverythingBack() throws {
        let result = try HistoricalContributivity.distribute([
            CreditedSubmission(contributivity: 0),
            CreditedSubmission(contributivity: 0.4, credits: [CreditShare(submission: 0, fraction: 1)]),
            CreditedSubmission(
                contributivity: 0.6,
                credits: [CreditShare(submission: 0, fraction: 0.25), CreditShare(submission: 1, fraction: 0.75)]),
        ])
        #expect(result[2] == 0)
        #expect(result[1] == 0)
        #expect(abs(result[0] - 1) < 1e-12)
    }

    @Test func repeatedSharesAddUp() throws {
        let result = try HistoricalContributivity.distribute([
            CreditedSubmission(contributivity: 0),
            CreditedSubmission(
                contributivity: 1,
                credits: [CreditShare(submission: 0, fraction: 0.25), CreditShare(submission: 0, fraction: 0.25)]),
        ])
        #expect(abs(result[0] - 0.5) < 1e-12)
        #expect(abs(result[1] - 0.5) < 1e-12)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func totalCreditIsConserved(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let count = 60
        var raw = (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) }
        let rawTotal = raw.reduce(0, +)
        raw = raw.map { $0 / rawTotal }
        let submissions = (0..<count).map { index in
            var credits: [CreditShare] = []
            var remaining = 1.0
            if index > 0 {
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    let fraction = Double.random(in: 0..<remaining, using: &generator)
                    credits.append(CreditShare(submission: Int.random(in: 0..<index, using: &generator), fraction: fraction))
                    remaining -= fraction
                }
            }
            return CreditedSubmission(contributivity: raw[index], credits: credits)
        }
        let result = try HistoricalContributivity.distribute(submissions)
        #expect(abs(result.reduce(0, +) - 1) < 1e-12)
        #expect(result.allSatisfy { $0 >= 0 })
    }

    @Test func creditsMustGoToEarlierSubmissions() {
        #expect(throws: CreditError.creditNotToEarlierSubmission(giver: 1, receiver: 1)) {
            try HistoricalContributivity.distribute([
                CreditedSubmission(contributivity: 0.5),
                CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 1, fraction: 0.2)]),
            ])
        }
        #expect(throws: CreditError.creditNotToEarlierSubmission(giver: 0, receiver: 1)) {
            try HistoricalContributivity.distribute([
                CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 1, fraction: 0.2)]),
                CreditedSubmission(contributivity: 0.5),
            ])
        }
    }

    @Test func sharesMayNotExceedOne() {
        #expect(throws: CreditError.sharesExceedOne(submission: 2, total: 1.2)) {
            try HistoricalContributivity.distribute([
                CreditedSubmission(contributivity: 0.2),
                CreditedSubmission(contributivity: 0.3),
                CreditedSubmission(
                    contributivity: 0.5,
                    credits: [CreditShare(submission: 0, fraction: 0.6), CreditShare(submission: 1, fraction: 0.6)]),
            ])
        }
    }

    @Test func amountsMustBeFiniteAndNonNegative() {
        #expect(throws: CreditError.invalidAmount(submission: 0, value: -0.1)) {
            try HistoricalContributivity.distribute([CreditedSubmission(contributivity: -0.1)])
        }
        #expect(throws: CreditError.invalidAmount(submission: 1, value: -0.5)) {
            try HistoricalContributivity.distribute([
                CreditedSubmission(contributivity: 0.5),
                CreditedSubmission(contributivity: 0.5, credits: [CreditShare(submission: 0, fraction: -0.5)]),
            ])
        }
    }

    @Test func selfShareIsWhatIsNotGiven() {
        let submission = CreditedSubmission(
            contributivity: 1, credits: [CreditShare(submission: 0, fraction: 0.3), CreditShare(submission: 1, fraction: 0.2)])
        #expect(abs(submission.selfShare - 0.5) < 1e-15)
    }
}
