import Hummingbird

/// Puts the listener's limits into the request context, which Hummingbird creates without access to
/// the gateway's configuration.
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let maxBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxBodySize = maxBodySize
        return try await next(request, context)
    }
}
