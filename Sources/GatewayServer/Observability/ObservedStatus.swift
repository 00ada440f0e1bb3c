import Hummingbird

/// Runs the rest of the chain and reports the status the request was answered with: the
/// response's, an HTTP error's, or 500 for any other error (rethrown either way).
func withObservedStatus(
    _ request: Request, _ context: BasicRequestContext, _ next: (Request, BasicRequestContext) async throws -> Response, report: (Int) -> Void
) async throws -> Response {
    do {
        let response = try await next(request, context)
        report(response.status.code)
        return response
    } catch let error as any HTTPResponseError {
        report(error.status.code)
        throw error
    } catch {
        report(500)
        throw error
    }
}
