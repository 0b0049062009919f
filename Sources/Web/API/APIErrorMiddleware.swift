import Foundation
import Hummingbird

/// Gives every error under `/api/` the API's one shape, `{"error": "..."}`: an unknown path
/// (which the router answers with an empty 404) and an `HTTPError` a handler or middleware
/// throws (which Hummingbird would write in its own shape). Other paths pass unchanged.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = ForkboardRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        let unknown = "no API route \(request.method) \(request.uri.path): see /api/v1/openapi.yaml"
        do {
            let response = try await next(request, context)
            if response.status == .notFound, response.headers[.contentType] == nil {
                return try APIHandlers.json(["error": unknown], status: .notFound)
            }
            return response
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? unknown : error.status.reasonPhrase)
            return try APIHandlers.json(["error": message], status: error.status)
        }
    }
}
