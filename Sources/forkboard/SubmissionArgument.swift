import ArgumentParser
import Ledger

/// A `TEAM/NAME` command-line argument, parsed once here.
extension SubmissionKey: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
