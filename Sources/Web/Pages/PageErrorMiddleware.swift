import Hummingbird

/// Shows a refusal on a page as a page: an `HTTPError` thrown for a path outside `/api/`
/// (whose errors are JSON, ``APIErrorMiddleware``) and `/git/` (whose git client reads plain
/// text) is answered with the `error` template, its status, its message and its headers (a
/// `WWW-Authenticate` challenge stays). (The member signed in is not known out here: the
/// authentication runs inside, on its own copy of the context.)
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = ForkboardRequestContext
    let templates: PageTemplates
    let title: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), !path.hasPrefix("/git/") else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let status = "\(error.status.code) \(error.status.reasonPhrase)"
            let body = templates.render(
                "error",
                [
                    "pageTitle": status, "title": title, "status": status, "message": error.body ?? error.status.reasonPhrase,
                ])
            var response = PageTemplates.html(body, status: error.status)
            for field in error.headers where field.name != .contentType && field.name != .contentLength {
                response.headers.append(field)
            }
            return response
        }
    }
}
