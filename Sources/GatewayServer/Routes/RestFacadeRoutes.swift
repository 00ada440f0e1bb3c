import Foundation
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// The REST facades at `/api/v1/…`, `/api/v2/…`, and `/api/…` (version from `X-API-Version`,
/// default v1), each route generated from the schema and run through the GraphQL executor.
struct RestFacadeRoutes: Sendable {
    let facade: RestFacade
    let options: GatewayServerOptions

    func register(on router: Router<BasicRequestContext>) {
        var methodsByPath: [String: [String]] = [:]
        for route in self.facade.routes {
            let template = Self.template(route.path)
            methodsByPath[template, default: []].append(route.method.rawValue)
            let method: HTTPRequest.Method = route.method == .post ? .post : .get
            for prefix in ["/api/v1", "/api/v2", "/api"] {
                let fixed = prefix == "/api/v1" ? RestVersion.v1 : prefix == "/api/v2" ? .v2 : nil
                router.on(RouterPath(prefix + "/" + template), method: method) { request, context in
                    await self.serve(route, fixed, request, context)
                }
            }
        }
        // Other methods on a known path: 405 with the methods it has.
        for (template, methods) in methodsByPath {
            let allow = methods.sorted().joined(separator: ", ")
            let others = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "QUERY"].filter { !methods.contains($0) }
            for prefix in ["/api/v1", "/api/v2", "/api"] {
                for name in others {
                    router.on(RouterPath(prefix + "/" + template), method: HTTPRequest.Method(name)!) { _, _ in
                        let failure = RestFailure(status: 405, code: "METHOD_NOT_ALLOWED", message: "Use \(allow) here.")
                        return Response(
                            status: .methodNotAllowed, headers: [.allow: allow, .contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: RestFacade.errorBody(failure))))
                    }
                }
            }
        }
    }

    /// `/patients/{id}` as the router writes it: `patients/:id`.
    static func template(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
    }

    private func serve(_ route: RestRoute, _ fixedVersion: RestVersion?, _ request: Request, _ context: BasicRequestContext) async -> Response {
        let requested = request.headers[HTTPField.Name("X-API-Version")!]?.lowercased()
        guard let version = fixedVersion ?? (requested.map { RestVersion(rawValue: $0) } ?? .v1) else {
            let supported = RestVersion.allCases.map(\.rawValue).joined(separator: ", ")
            return self.reply(
                RestFacade.failure(RestFailure(status: 400, code: "UNSUPPORTED_VERSION", message: "Unsupported API version \"\(requested ?? "")\"; supported: \(supported)."), nil),
                .v1)
        }
        var principal = Principal.anonymous
        if let authenticator = self.options.authenticator {
            switch await authenticator.authenticate(authorization: request.headers[.authorization]) {
            case .success(let verified): principal = verified
            case .failure(let failure):
                return self.reply(RestFacade.failure(RestFailure(status: 401, code: "UNAUTHENTICATED", message: failure.message), nil), version)
            }
        }
        var body: Value?
        if route.method == .post {
            let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            guard contentType == "application/json" else {
                return self.reply(RestFacade.failure(RestFailure(status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json."), nil), version)
            }
            guard let bytes = await GraphQLRoute.readBody(of: request, limit: self.options.maxBodyBytes) else {
                return self.reply(RestFacade.failure(RestFailure(status: 413, code: "PAYLOAD_TOO_LARGE", message: "The body is too large."), nil), version)
            }
            let raw = Array(buffer: bytes)
            guard String(validating: raw, as: UTF8.self) != nil, let parsed = try? JSONReader.parse(raw, maxDepth: 64) else {
                return self.reply(RestFacade.failure(.init(status: 400, code: "BAD_REQUEST", message: "The body is not valid JSON."), nil), version)
            }
            body = parsed
        }
        var parameters: [String: String] = [:]
        for name in route.pathParameters { parameters[name] = context.parameters.get(name) }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let headers = ForwardedHeaders(
            authorization: request.headers[.authorization], traceparent: request.headers[HTTPField.Name("traceparent")!])
        let result = await self.facade.handle(
            route, RestRequest(version: version, pathParameters: parameters, query: query, body: body, headers: headers, principal: principal))
        var response = self.reply(result, version)
        if result.status == 201, let location = self.location(of: result, route, version) { response.headers[.location] = location }
        return response
    }

    private func reply(_ result: RestResult, _ version: RestVersion) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", HTTPField.Name("X-API-Version")!: version.rawValue]
        headers[.cacheControl] = result.status == 200 ? (result.response?.cacheControl ?? "no-store") : "no-store"
        if version == .v1 {
            // v1 is deprecated (RFC 9745 / RFC 8594), with v2 as its successor.
            headers[HTTPField.Name("Deprecation")!] = "true"
            headers[HTTPField.Name("Sunset")!] = self.options.restV1Sunset
            headers[HTTPField.Name("Link")!] = #"</api/v2>; rel="successor-version""#
        }
        if result.status == 401 { headers[.wwwAuthenticate] = #"Bearer error="invalid_token""# }
        return Response(status: .init(code: result.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.body)))
    }

    /// Where a created entity can be read: the GET route of the POST path plus `/{id}`.
    private func location(of result: RestResult, _ route: RestRoute, _ version: RestVersion) -> String? {
        guard let id = result.response?.result.data?["result"]?["id"]?.stringValue,
            let read = self.facade.routes.first(where: { $0.method == .get && $0.nestedField == nil && $0.path == route.path + "/{id}" })
        else { return nil }
        return "/api/\(version.rawValue)" + read.path.replacingOccurrences(of: "{id}", with: id)
    }
}
