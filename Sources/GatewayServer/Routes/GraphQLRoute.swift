import Foundation
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /graphql` and `GET /graphql`, per the GraphQL-over-HTTP specification: media types
/// negotiated by `Accept`, request errors as 400 for `application/graphql-response+json`,
/// mutations refused over GET (405), a receipt in `extensions` on request.
struct GraphQLRoute: Sendable {
    let runtime: GatewayRuntime
    let options: GatewayServerOptions
    var maxBodyBytes: Int { self.options.maxBodyBytes }

    func register(on router: Router<BasicRequestContext>) {
        let explorer = self.options.servesExplorer ? ExplorerRoute(runtime: self.runtime, options: self.options) : nil
        router.post("/graphql") { request, context in try await self.post(request, context) }
        router.get("/graphql") { request, context in try await self.get(request, context, explorer: explorer) }
        explorer?.register(on: router)
        for method: HTTPRequest.Method in [.put, .delete, .patch] {
            router.on("/graphql", method: method) { _, _ in
                Response(status: .methodNotAllowed, headers: [.allow: "GET, POST"])
            }
        }
    }

    private func post(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        // GraphQL over SSE: errors before the stream starts are application/json.
        let eventStream = EventStreamResponse.isRequested(request.headers[.accept])
        guard let mediaType = eventStream ? .json : GraphQLMediaType.negotiate(request.headers[.accept]) else {
            return self.plain(.notAcceptable, "Accept application/graphql-response+json, application/json or text/event-stream.")
        }
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingSpacesAndTabs.lowercased()
        guard contentType == "application/json" else {
            return self.failure(.unsupportedMediaType, "Send the request as application/json.", mediaType)
        }
        let body: ByteBuffer
        switch await request.readBody(limit: self.maxBodyBytes) {
        case .success(let read): body = read
        case .failure(let failure):
            var response =
                failure == .tooLarge
                ? self.failure(.contentTooLarge, "The request body is larger than \(self.maxBodyBytes) bytes.", mediaType)
                : self.failure(.badRequest, "The request body is malformed.", mediaType)
            response.headers[.connection] = "close"
            return response
        }
        let parameters: GraphQLHTTPParameters
        do {
            parameters = try GraphQLHTTPParameters(json: Array(buffer: body))
        } catch {
            return self.failure(.badRequest, error.message, mediaType)
        }
        return await self.run(parameters, request, mediaType, allowMutation: true, eventStream: eventStream)
    }

    private func get(_ request: Request, _ context: BasicRequestContext, explorer: ExplorerRoute?) async throws -> Response {
        // A browser asking for a page gets the schema explorer.
        if let explorer, let accept = request.headers[.accept], accept.contains("text/html"), request.uri.formParameters["query"] == nil {
            return explorer.page()
        }
        let eventStream = EventStreamResponse.isRequested(request.headers[.accept])
        guard let mediaType = eventStream ? .json : GraphQLMediaType.negotiate(request.headers[.accept]) else {
            return self.plain(.notAcceptable, "Accept application/graphql-response+json, application/json or text/event-stream.")
        }
        if self.options.csrfProtection, !Self.hasPreflightHeader(request) {
            return self.failure(
                .badRequest,
                "This GET could come from another site (CSRF): send it with an X-Apollo-Operation-Name, Apollo-Require-Preflight or X-NileCare-CSRF header, or as a POST of application/json.",
                mediaType)
        }
        let query = request.uri.formParameters
        let parameters: GraphQLHTTPParameters
        do {
            parameters = try GraphQLHTTPParameters(query: query)
        } catch {
            return self.failure(.badRequest, error.message, mediaType)
        }
        return await self.run(parameters, request, mediaType, allowMutation: false, eventStream: eventStream)
    }

    /// Whether a request carries something a cross-site "simple request" cannot: a custom header, or a
    /// `Content-Type` other than the three a form can send.
    static func hasPreflightHeader(_ request: Request) -> Bool {
        for name in ["X-Apollo-Operation-Name", "Apollo-Require-Preflight", "X-NileCare-CSRF"] {
            if let value = request.headers[HTTPField.Name(name)!], !value.isEmpty { return true }
        }
        guard let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingSpacesAndTabs.lowercased()
        else { return false }
        return !["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].contains(contentType)
    }

    private func run(
        _ parameters: GraphQLHTTPParameters, _ request: Request, _ mediaType: GraphQLMediaType, allowMutation: Bool, eventStream: Bool
    ) async -> Response {
        // The schema in force when the request arrived serves all of it (a reload swaps for the next one).
        let executor = self.runtime.current
        let principal: Principal
        switch await self.options.principal(of: request) {
        case .success(let authenticated): principal = authenticated
        case .failure(let failure):
            var writer = JSONWriter(capacity: 256)
            ExecutionResult(requestErrors: [GraphQLError(failure.message, extensions: ["code": "UNAUTHENTICATED"])]).write(to: &writer)
            return Response(
                status: .unauthorized,
                headers: [.contentType: mediaType.contentType, .wwwAuthenticate: #"Bearer error="invalid_token""#, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(json: writer)))
        }
        var parameters = parameters
        if let trusted = self.options.trustedDocuments {
            switch TrustedDocumentGate.decide(parameters, trusted, onlyTrusted: self.options.onlyTrustedDocuments) {
            case .run(let text, _):
                parameters.query = text
                parameters.extensions["persistedQuery"] = nil
            case .refuse(let error):
                var writer = JSONWriter(capacity: 256)
                ExecutionResult(requestErrors: [error]).write(to: &writer)
                return Response(
                    status: mediaType == .json ? .ok : .badRequest, headers: [.contentType: mediaType.contentType, .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(json: writer)))
            case .passThrough: break
            }
        }
        if parameters.query == nil, parameters.extensions["persistedQuery"] == nil {
            return self.failure(.badRequest, "Unknown documentId.", mediaType)
        }
        let query: String
        switch await executor.persistedQueries?.resolve(query: parameters.query, extensions: parameters.extensions)
            ?? .success(parameters.query)
        {
        case .success(let text?): query = text
        case .success(nil): return self.failure(.badRequest, "Missing query.", mediaType)
        case .failure(let error):
            var writer = JSONWriter(capacity: 256)
            ExecutionResult(requestErrors: [error]).write(to: &writer)
            return Response(
                status: mediaType == .json ? .ok : .badRequest, headers: [.contentType: mediaType.contentType],
                body: .init(byteBuffer: ByteBuffer(json: writer)))
        }
        if !allowMutation {
            let entry = executor.prepare(query)
            if let document = entry.document, entry.errors.isEmpty,
                let operation = executor.operation(in: document, named: parameters.operationName),
                operation.operation != .query
            {
                var response = self.failure(.methodNotAllowed, "Only queries can be sent with GET; use POST.", mediaType)
                response.headers[.allow] = "POST"
                return response
            }
        }
        let headers = ForwardedHeaders(
            authorization: request.headers[.authorization], traceparent: request.headers[.traceparent])
        let incremental = IncrementalFormat.negotiate(request.headers[.accept])
        var gatewayRequest = GatewayRequest(
            query: query, operationName: parameters.operationName, variables: parameters.variables, headers: headers,
            principal: principal, clientAddress: request.headers[PeerAddressHandler.field])
        gatewayRequest.incrementalDelivery = incremental != nil && !eventStream
        let multipartSubscription = MultipartSubscriptionResponse.isRequested(request.headers[.accept])
        if eventStream || multipartSubscription,
            let response = await self.streamIfSubscription(gatewayRequest, executor, transport: eventStream ? .serverSentEvents : .multipart)
        {
            return response
        }
        let outcome = await executor.execute(gatewayRequest)
        let wantsReceipt = request.headers[.nileCareReceipt].map { $0 == "1" || $0.lowercased() == "true" } ?? false
        var extensionFields: [String: Value] = [:]
        if wantsReceipt { extensionFields["receipt"] = receipt(outcome.statistics, traceparent: headers.traceparent) }
        if let notice = outcome.staleIfErrorNotice { extensionFields["staleIfError"] = notice }
        let extensions: Value? = extensionFields.isEmpty ? nil : .object(extensionFields)
        if eventStream { return EventStreamResponse.single(outcome.result, extensions: extensions) }
        if let delivery = outcome.deferred, let incremental {
            var headers: HTTPFields = [:]
            outcome.rateLimit?.write(to: &headers)
            return IncrementalResponse.make(outcome, delivery, format: incremental, extensions: extensions, headers: headers)
        }
        var writer = JSONWriter(capacity: outcome.result.jsonCapacityEstimate)
        outcome.result.write(to: &writer, extensions: extensions)
        var status: HTTPResponse.Status = outcome.result.hasData || mediaType == .json ? .ok : .badRequest
        var responseHeaders: HTTPFields = [.contentType: mediaType.contentType, .cacheControl: outcome.cacheControl]
        if let decision = outcome.rateLimit {
            decision.write(to: &responseHeaders)
            if !decision.allowed { status = .tooManyRequests }
        }
        if !allowMutation, status == .ok, outcome.ranQuery {
            // GET: validators for HTTP caches and clients; the receipt differs per request, so it is left out of them.
            let tag = entityTag(for: wantsReceipt ? outcome.result.jsonBytes() : writer.bytes)
            responseHeaders[.eTag] = tag
            if ifNoneMatch(request.headers[.ifNoneMatch], matches: tag) {
                return Response(status: .notModified, headers: responseHeaders)
            }
        }
        return Response(status: status, headers: responseHeaders, body: .init(byteBuffer: ByteBuffer(json: writer)))
    }

    enum StreamTransport {
        case serverSentEvents, multipart
    }

    /// A subscription over SSE or multipart HTTP: its stream, or its refusal as JSON with a status
    /// that says why. `nil` when the operation is not a subscription (it runs once).
    private func streamIfSubscription(_ request: GatewayRequest, _ executor: GatewayExecutor, transport: StreamTransport) async -> Response? {
        guard executor.isSubscription(request) else { return nil }
        switch await executor.subscribe(request) {
        case .started(let subscription):
            switch transport {
            case .serverSentEvents: return EventStreamResponse.stream(subscription, keepAlive: self.options.subscriptionKeepAlive)
            case .multipart: return MultipartSubscriptionResponse.stream(subscription, heartbeat: self.options.multipartHeartbeat)
            }
        case .refused(let result):
            var writer = JSONWriter(capacity: 256)
            result.write(to: &writer)
            return Response(
                status: SubscriptionRefusal.status(of: result), headers: [.contentType: GraphQLMediaType.json.contentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(json: writer)))
        }
    }

    /// A request error as a GraphQL response (no `data`).
    private func failure(_ status: HTTPResponse.Status, _ message: String, _ mediaType: GraphQLMediaType) -> Response {
        var writer = JSONWriter(capacity: 256)
        ExecutionResult(requestErrors: [GraphQLError(message)]).write(to: &writer)
        return Response(
            status: status, headers: [.contentType: mediaType.contentType], body: .init(byteBuffer: ByteBuffer(json: writer)))
    }

    private func plain(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// What a request cost downstream, for `extensions.receipt`; with the W3C trace id the client
/// sent (the same `traceparent` goes to every downstream call).
func receipt(_ statistics: DownstreamStatistics, traceparent: String?) -> Value {
    var receipt: Value = [
        "downstreamCalls": .object(statistics.calls.mapValues { .int($0) }),
        "downstreamCallsTotal": .int(statistics.calls.values.reduce(0, +)),
        "levels": .int(statistics.levels),
        "batches": .int(statistics.batches),
        "cache": ["hits": .int(statistics.cacheHits), "misses": .int(statistics.cacheMisses)],
    ]
    if let traceID = ForwardedHeaders(traceparent: traceparent).traceID, case .object(var fields) = receipt {
        fields["traceId"] = .string(traceID)
        receipt = .object(fields)
    }
    return receipt
}
