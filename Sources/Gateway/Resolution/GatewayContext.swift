import GraphQLEngine

/// What resolvers need of the request they serve: its loaders and the headers to forward.
public final class GatewayContext: Sendable {
    public let loaders: RequestLoaders
    public let client: DownstreamClient
    public let headers: ForwardedHeaders
    public let cache: ResolverCache?
    /// Where mutations publish their events (`@publishes`); `nil`: nowhere.
    public let events: (any EventBus)?
    /// Who the request runs for.
    public var principal: Principal { self.loaders.principal }

    public init(loaders: RequestLoaders, client: DownstreamClient, headers: ForwardedHeaders, cache: ResolverCache? = nil, events: (any EventBus)? = nil) {
        self.events = events
        self.loaders = loaders
        self.client = client
        self.headers = headers
        self.cache = cache
    }
}

extension GatewayContext {
    /// The request's context a resolver runs in (an internal error when the host gave none).
    static func of(_ info: ResolveInfo) throws -> GatewayContext {
        guard let context = info.context as? GatewayContext else {
            throw GraphQLError("The gateway context is missing.", extensions: ["code": "INTERNAL_SERVER_ERROR"])
        }
        return context
    }
}
