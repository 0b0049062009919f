import Challenge
import Foundation
import Hub
import Hummingbird
import Ledger
import Synchronization

/// Outsiders joining in an open phase (`open_registration: true` in challenge.yaml): a form at
/// `/register` (no sign-in) that makes a team with one member and shows its token once. At
/// most ``perAddressPerHour`` registrations per client address and hour (a refused name does
/// not count), and ``attemptsPerAddressPerHour`` attempts; the organisers close it with
/// `forkboard registration close`.
struct RegistrationPages: Sendable {
    let hub: Hub
    let templates: PageTemplates
    let registrations = RateLimiter(limit: perAddressPerHour, window: 3600)
    let attempts = RateLimiter(limit: attemptsPerAddressPerHour, window: 3600)

    static let perAddressPerHour = 3
    /// Attempts, refused ones included: bounds the guessing of taken logins.
    static let attemptsPerAddressPerHour = 30

    func add(to router: Router<ForkboardRequestContext>) {
        router.get("/register") { _, _ in
            let refusal = try await hub.registrationRefusal()
            return PageTemplates.html(render(["refusal": refusal ?? false, "open": refusal == nil]), status: refusal == nil ? .ok : .forbidden)
        }
        router.post("/register") { request, context -> Response in
            let form = try await FormBody.read(request, limit: 16 << 10)
            let team = (form["team"] ?? "").trimmingCharacters(in: .whitespaces)
            let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
            let echo: [String: Any] = ["team": team, "login": login, "open": true]
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            // A place among the registrations is held while this one is tried (so that
            // simultaneous posts cannot pass the limit together), and given back if refused.
            let tried = Date()
            guard attempts.allow(address, now: tried) else {
                return PageTemplates.html(
                    render(echo.merging(["refusal": "too many attempts from your address: try again in an hour"]) { $1 }),
                    status: .tooManyRequests)
            }
            guard registrations.allow(address, now: tried) else {
                return PageTemplates.html(
                    render(echo.merging(["refusal": "too many registrations from your address: try again in an hour"]) { $1 }),
                    status: .tooManyRequests)
            }
            do {
                let token = try await hub.registerTeam(team, member: login, from: address)
                let origin = "http://\(request.head.authority ?? "localhost")"
                var response = PageTemplates.html(render(["team": team, "login": login, "token": token, "cloneURL": "\(origin)/git/\(team).git"]))
                response.headers[.cacheControl] = "no-store"  // the token is shown once
                return response
            } catch let error as HubError {
                registrations.release(address, recordedAt: tried)
                return PageTemplates.html(render(echo.merging(["refusal": error.description, "open": false]) { $1 }), status: .forbidden)
            } catch let error as TeamError {
                registrations.release(address, recordedAt: tried)
                // (Whose login it is stays with the organisers.)
                var refusal = error.description
                if case .loginTaken(let login, _) = error { refusal = "the login '\(login)' is taken: choose another" }
                return PageTemplates.html(render(echo.merging(["refusal": refusal]) { $1 }), status: error.responseStatus)
            }
        }
    }

    private func render(_ context: [String: Any]) -> ByteBuffer {
        templates.render("register", context.merging(["pageTitle": "Register", "title": hub.challenge.title]) { $1 })
    }
}

/// At most `limit` events per key in a sliding window of `window` seconds, in memory.
final class RateLimiter: Sendable {
    let limit: Int
    let window: TimeInterval
    private let events = Mutex<[String: [Date]]>([:])

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Records an event for `key` and returns true, or returns false when the key is over its limit.
    func allow(_ key: String, now: Date = Date()) -> Bool {
        events.withLock { events in
            let recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count < limit else {
                events[key] = recent
                return false
            }
            events[key] = recent + [now]
            return true
        }
    }

    /// Gives back the event recorded for `key` at `recordedAt` (one that did not happen after all).
    func release(_ key: String, recordedAt: Date) {
        events.withLock { events in
            guard let index = events[key]?.firstIndex(of: recordedAt) else { return }
            events[key]?.remove(at: index)
        }
    }
}
