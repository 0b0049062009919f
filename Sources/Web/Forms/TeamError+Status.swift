import HTTPTypes
import Ledger

extension TeamError {
    /// The status of a form refused for this reason: 409 Conflict when the name or login is
    /// already someone's, 400 Bad Request when it can never be used.
    var responseStatus: HTTPResponse.Status {
        switch self {
        case .teamExists, .loginTaken: .conflict
        case .invalidName, .reservedName: .badRequest
        }
    }
}
