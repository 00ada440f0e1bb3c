import Foundation
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// The REST facades at `/api/v1/…`, `/api/v2/…`, and `/api/…` (version from `X-API-Version`,
/// default v1), each route generated from the schema and run through the GraphQL executor.
struct RestFacadeRoutes: Sendable {
    let runtime: GatewayRuntime
    let options: GatewayServerOptions
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "QUERY"]

    /// One handler for everything under `/api`, matched against the routes of the schema in force,
    /// so a reloaded schema's routes are served at once.
    func register(on router: Router<BasicRequestContext>) {
        for name in Self.methods {
            router.on("/api/**", method: HTTPRequest.Method(name)!) { request, context in
                await self.dispatch(request, context)
            }
        }
    }

    private func dispatch(_ request: Request, _ context: BasicRequestContext) async -> Response {
        var segments = request.uri.path.split(separator: "/").map(String.init).dropFirst()  // "api"
        var fixed: RestVersion?
        var prefix = "/api"
        if let first = segments.first, let version = RestVersion(rawValue: first) {
            fixed = version
            prefix += "/" + first
            segments = segments.dropFirst()
        }
        let executor = self.runtime.current
        var allowed: [String] = []
        for route in executor.gatewaySchema.restRoutes {
            guard let parameters = route.match(segments) else { continue }
            guard route.method.rawValue == request.method.rawValue else {
                allowed.append(route.method.rawValue)
                continue
            }
            context.coreContext.endpointPath.value = prefix + route.path
            return await self.serve(route, fixed, parameters, request, executor)
        }
        if !allowed.isEmpty {
            let allow = allowed.sorted().joined(separator: ", ")
            var response = self.reply(
                RestFacade.failure(RestFailure(status: 405, code: "METHOD_NOT_ALLOWED", message: "Use \(allow) here."), nil), fixed ?? .v1)
            response.headers[.allow] = allow
            return response
        }
        return self.reply(
            RestFacade.failure(RestFailure(status: 404, code: "NOT_FOUND", message: "No route \(request.method.rawValue) \(request.uri.path)."), nil),
            fixed ?? .v1)
    }

    private func serve(
        _ route: RestRoute, _ fixedVersion: RestVersion?, _ parameters: [String: String], _ request: Request, _ executor: GatewayExecutor
    ) async -> Response {
        let requested = request.headers[.apiVersion]?.lowercased()
        guard let version = fixedVersion ?? (requested.map { RestVersion(rawValue: $0) } ?? .v1) else {
            let supported = RestVersion.allCases.map(\.rawValue).joined(separator: ", ")
            return self.reply(
                RestFacade.failure(RestFailure(status: 400, code: "UNSUPPORTED_VERSION", message: "Unsupported API version \"\(requested ?? "")\"; supported: \(supported)."), nil),
                .v1)
        }
        let principal: Principal
        switch await self.options.principal(of: request) {
        case .success(let verified): principal = verified
        case .failure(let failure):
            return self.reply(RestFacade.failure(RestFailure(status: 401, code: "UNAUTHENTICATED", message: failure.message), nil), version)
        }
        var body: Value?
        if route.method == .post {
            let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingSpacesAndTabs.lowercased()
            guard contentType == "application/json" else {
                return self.reply(RestFacade.failure(RestFailure(status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json."), nil), version)
            }
            let bytes: ByteBuffer
            switch await request.readBody(limit: self.options.maxBodyBytes) {
            case .success(let read): bytes = read
            case .failure(.tooLarge):
                return self.reply(RestFacade.failure(RestFailure(status: 413, code: "PAYLOAD_TOO_LARGE", message: "The body is too large."), nil), version)
            case .failure(.malformed):
                return self.reply(RestFacade.failure(RestFailure(status: 400, code: "BAD_REQUEST", message: "The body is malformed."), nil), version)
            }
            let raw = Array(buffer: bytes)
            guard String(validating: raw, as: UTF8.self) != nil else {
                return self.reply(RestFacade.failure(.init(status: 400, code: "BAD_REQUEST", message: "The body is not valid UTF-8."), nil), version)
            }
            do {
                body = try JSONReader.parse(raw, maxDepth: 64)
            } catch {
                let message = "The body is not valid JSON: \(error.message) at byte \(error.offset)."
                return self.reply(RestFacade.failure(.init(status: 400, code: "BAD_REQUEST", message: message), nil), version)
            }
        }
        // No parameter of the facades takes several values: a repeated one is ambiguous, not the last one.
        if let repeated = request.uri.repeatedFormParameter {
            let message = "The query parameter \"\(repeated)\" is given more than once."
            return self.reply(RestFacade.failure(.init(status: 400, code: "BAD_REQUEST", message: message), nil), version)
        }
        let query = request.uri.formParameters
        let headers = ForwardedHeaders(
            authorization: request.headers[.authorization], traceparent: request.headers[.traceparent])
        let facade = RestFacade(executor: executor)
        let result = await facade.handle(
            route,
            RestRequest(
                version: version, pathParameters: parameters, query: query, body: body, headers: headers, principal: principal,
                clientAddress: request.headers[PeerAddressHandler.field]))
        var response = self.reply(result, version)
        if result.status == 201, let location = self.location(of: result, route, version, facade) { response.headers[.location] = location }
        return response
    }

    private func reply(_ result: RestResult, _ version: RestVersion) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .apiVersion: version.rawValue]
        headers[.cacheControl] = result.status == 200 ? (result.response?.cacheControl ?? "no-store") : "no-store"
        if version == .v1 {
            // v1 is deprecated (RFC 9745 / RFC 8594), with v2 as its successor.
            headers[.deprecation] = "true"
            headers[.sunset] = self.options.restV1Sunset
            headers[.link] = #"</api/v2>; rel="successor-version""#
        }
        if result.status == 401 { headers[.wwwAuthenticate] = #"Bearer error="invalid_token""# }
        if let decision = result.response?.rateLimit { decision.write(to: &headers) }
        return Response(status: .init(code: result.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.body)))
    }

    /// Where a created entity can be read: the GET route of the POST path plus `/{id}`.
    private func location(of result: RestResult, _ route: RestRoute, _ version: RestVersion, _ facade: RestFacade) -> String? {
        guard let id = result.response?.result.data?["result"]?["id"]?.stringValue,
            let read = facade.routes.first(where: { $0.method == .get && $0.nestedField == nil && $0.path == route.path + "/{id}" })
        else { return nil }
        return "/api/\(version.rawValue)" + read.path.replacingOccurrences(of: "{id}", with: id)
    }
}
