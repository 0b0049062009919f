import Foundation
import Hub
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing
@testable import Web

/// Outsiders registering a team in an open phase: the token shown once works, taken names and
/// bad names are refused, each address is limited, and the organisers can close it.
@Suite("Registration of outsiders")
struct RegistrationTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func closedUnlessTheChallengeTakesRegistrations() async throws {
        let fixture = try await WebFixture(submissions: 0)
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/register", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("this challenge does not take registrations"))
            }
        }
    }

    @Test func aPlaceGivenBackCanBeTakenAgainAndAttemptsHaveTheirOwnLimit() {
        let limiter = RateLimiter(limit: 2, window: 3600)
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(limiter.allow("a", now: start) && limiter.allow("a", now: start + 1))
        #expect(!limiter.allow("a", now: start + 2))
        limiter.release("a", recordedAt: start + 1)
        #expect(limiter.allow("a", now: start + 3), "the place given back")
        #expect(!limiter.allow("a", now: start + 4) && limiter.allow("b", now: start + 4), "per key")
        #expect(limiter.allow("a", now: start + 3600), "after the window")
        #expect(RegistrationPages.attemptsPerAddressPerHour > RegistrationPages.perAddressPerHour)
    }

    @Test func takenAndBadNamesAreRefusedEachAddressIsLimitedAndOrganisersCloseIt() async throws {
        let fixture = try await WebFixture(submissions: 0) {
            // The phase in force is open, and registration is.
            $0.replacingOccurrences(of: "  - name: competitive\n    kind: closed", with: "  - name: competitive\n    kind: open")
                + "open_registration: true\n"
        }
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/signin", method: .get) { response in
                #expect(String(buffer: response.body).contains("<a href=\"/register\">Register a team</a>"))
            }
            try await client.execute(uri: "/register", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/register", method: .post, headers: Self.form, body: ByteBuffer(string: "team=dave&login=alice")) {
                response in
                #expect(response.status == .conflict)
                let html = String(buffer: response.body)
                #expect(html.contains("the login &#39;alice&#39; is taken") || html.contains("the login 'alice' is taken"), "\(html)")
                #expect(!html.contains("belongs to team"), "whose login it is stays with the organisers")
                #expect(html.contains("name=\"login\""), "the form is shown again, to choose another")
            }
            try await client.execute(uri: "/register", method: .post, headers: Self.form, body: ByteBuffer(string: "team=Bad%20Name&login=erin")) {
                response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/register", method: .post, headers: Self.form, body: ByteBuffer(string: "team=bob&login=erin")) {
                response in
                #expect(response.status == .conflict, "a taken team name")
            }
            // The refusals above do not count: three registrations do, then the address waits.
            try fixture.makeLedgerRepository()
            for name in ["frank", "grace", "henry"] {
                try await client.execute(uri: "/register", method: .post, headers: Self.form, body: ByteBuffer(string: "team=\(name)&login=\(name)"))
                { response in
                    #expect(
                        response.status == .ok && String(buffer: response.body).contains("is registered"),
                        "\(name): \(response.status) \(String(buffer: response.body).suffix(600))")
                }
            }
            try await client.execute(uri: "/register", method: .post, headers: Self.form, body: ByteBuffer(string: "team=ivan&login=ivan")) {
                response in
                #expect(response.status == .tooManyRequests, "three registrations per address and hour")
            }
            let (henry, ivan) = (try await fixture.hub.ledger.hasTeam("henry"), try await fixture.hub.ledger.hasTeam("ivan"))
            #expect(henry && !ivan)
        }
        try await fixture.hub.setRegistrationClosed(true, by: "organiser")
        try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/register", method: .get) { response in
                #expect(response.status == .forbidden && String(buffer: response.body).contains("the organisers closed the registration"))
            }
        }
        #expect(try fixture.hub.ledger.auditEntries().map(\.action).contains("registration.close"))
    }
}
