import AsyncHTTPClient
import GraphQLEngine
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Tracing

/// Calls the downstream services over pooled HTTP/1.1 connections (AsyncHTTPClient).
///
/// Every request has its service's timeout, cut to what is left of the client request's time
/// (`RequestDeadline`). Each service has a circuit breaker: calls fail at once while it is open.
/// A GET that got no answer or a 502/503/504 is retried (at most `maxRetries` times, with jittered
/// exponential back-off, only within the request's remaining time); POSTs are never retried.
/// `Authorization` and `traceparent` from the client's request are forwarded.
public final class DownstreamClient: Sendable {
    let httpClient: HTTPClient
    let endpoints: [String: ServiceEndpoint]
    let logger: Logger
    /// The largest downstream body read (bytes).
    private let maxBodyBytes = 32 * 1024 * 1024
    /// Each service's circuit (none: breakers off).
    public let breakers: [String: CircuitBreaker]
    /// Retries of a failed GET.
    let maxRetries: Int

    public init(
        services: [ServiceEndpoint], breakerPolicy: CircuitBreakerPolicy? = CircuitBreakerPolicy(), maxRetries: Int = 2, tls: TLSConfiguration? = nil,
        logger: Logger = Logger(label: "nilecare.downstream")
    ) {
        self.breakers = Dictionary(
            (breakerPolicy.map { policy in services.map { ($0.name, CircuitBreaker(service: $0.name, policy: policy, logger: logger)) } } ?? []),
            uniquingKeysWith: { _, last in last })
        self.maxRetries = max(0, maxRetries)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.timeout = .init(connect: .seconds(2))
        // A refused connection fails the call at once (the pool would otherwise retry it with
        // back-off for the whole connect timeout): a service that is down costs nothing to ask.
        configuration.connectionPool.retryConnectionEstablishment = false
        if let tls { configuration.tlsConfiguration = tls }
        // Calls are traced here (one client span per call, named by endpoint): no second span from the client library.
        configuration.tracing.tracer = nil
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.endpoints = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.logger = logger
    }

    /// The services this client knows, by name.
    public var serviceNames: [String] { self.endpoints.keys.sorted() }

    public func shutdown() async throws {
        try await self.httpClient.shutdown()
    }

    /// GETs `pathAndQuery` from `service` and decodes the JSON answer. `endpoint` names the call in
    /// metrics and spans: the path template (`/api/v1/patients/{id}`), so ids in a path never
    /// become label values or span names; by default the path without its query.
    public func get(_ service: String, _ pathAndQuery: String, endpoint: String? = nil, headers: ForwardedHeaders) async throws(DownstreamError) -> Value {
        try await self.retrying(service) { () async throws(DownstreamError) -> Value in
            try await self.guarded(service, .GET, pathAndQuery, endpoint: endpoint, body: nil, headers: headers)
        }
    }

    /// Runs a call that changes nothing (a GET, a GraphQL query) again after no answer or a
    /// 502/503/504, at most `maxRetries` times, backing off, while the request has time left and
    /// is not cancelled (a cancelled request's call fails as unanswered: asking again would open
    /// new connections for nobody, to services that may be shutting down with the process).
    func retrying(_ service: String, _ call: () async throws(DownstreamError) -> Value) async throws(DownstreamError) -> Value {
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch let error where error.isRetryable && attempt < self.maxRetries && !Task.isCancelled {
                attempt += 1
                // 25 ms, 50 ms, … each between half and one and a half times that, if time is left.
                let backoff = Duration.milliseconds(25 << min(attempt - 1, 6)) * Double.random(in: 0.5..<1.5)
                if let remaining = RequestDeadline.remaining, remaining <= backoff * 2 { throw error }
                GatewayMetrics.downstreamRetry(service: service)
                try? await Task.sleep(for: backoff)
            }
        }
    }

    /// POSTs a JSON body to `service`; never retried.
    public func post(_ service: String, _ path: String, body: Value, headers: ForwardedHeaders) async throws(DownstreamError) -> Value {
        try await self.guarded(service, .POST, path, endpoint: nil, body: body, headers: headers)
    }

    /// One call through the service's circuit: refused at once while it is open; its outcome recorded.
    func guarded(
        _ service: String, _ method: HTTPMethod, _ pathAndQuery: String, endpoint: String?, body: Value?, headers: ForwardedHeaders
    ) async throws(DownstreamError) -> Value {
        guard let breaker = self.breakers[service] else {
            return try await self.send(service, method, pathAndQuery, endpoint: endpoint, body: body, headers: headers)
        }
        guard breaker.permitsCall() else {
            GatewayMetrics.downstream(service: service, endpoint: endpoint ?? Self.path(of: pathAndQuery), status: "circuit_open", duration: .zero)
            throw .circuitOpen(service)
        }
        do {
            let value = try await self.send(service, method, pathAndQuery, endpoint: endpoint, body: body, headers: headers)
            breaker.record(success: true)
            return value
        } catch {
            switch error.countsAgainstService {
            case true?: breaker.record(success: false)
            case false?: breaker.record(success: true)
            case nil: breaker.recordNeutral()
            }
            throw error
        }
    }

    /// One call, in a client span (W3C trace context injected into the request), counted and timed
    /// by service, endpoint and status.
    private func send(
        _ service: String, _ method: HTTPMethod, _ pathAndQuery: String, endpoint: String?, body: Value?, headers: ForwardedHeaders
    ) async throws(DownstreamError) -> Value {
        let endpointPath = endpoint ?? Self.path(of: pathAndQuery)
        let started = ContinuousClock.now
        let outcome: Result<Value, DownstreamError> = await withSpanIfTracing("\(method.rawValue) \(endpointPath)", ofKind: .client) { span in
            span.setAttributesIfRecording {
                $0["http.request.method"] = method.rawValue
                $0["url.path"] = endpointPath
                $0["peer.service"] = service
            }
            do throws(DownstreamError) {
                return .success(try await self.sendUntraced(service, method, pathAndQuery, body: body, headers: headers, span: span))
            } catch {
                span.setStatus(SpanStatus(code: .error, message: error.shortDescription))
                return .failure(error)
            }
        }
        let status: String
        switch outcome {
        case .success: status = "2xx"
        case .failure(let error): status = error.statusLabel
        }
        GatewayMetrics.downstream(service: service, endpoint: endpointPath, status: status, duration: ContinuousClock.now - started)
        return try outcome.get()
    }

    /// One exchange through the pool, its body collected (at most `maxBodyBytes`), failed with
    /// `deadlineExceeded` when `timeout` passes before the body's end, cancelled with the task.
    /// The delegate form: no task, actor or async body sequence per call (the async form makes
    /// each), and the delegate runs on the calling thread's loop (the client picks it).
    private func exchange(_ request: HTTPClient.Request, timeout: Duration) async throws -> HTTPClient.Response {
        let task = self.httpClient.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: self.maxBodyBytes),
            eventLoop: .indifferent, deadline: .now() + TimeAmount(timeout), logger: nil)
        return try await withTaskCancellationHandler { try await task.futureResult.get() } onCancel: { task.cancel() }
    }

    /// One GET to a service through the same HTTP client, and nothing else: no breaker, span,
    /// metric or JSON reading; the answer's bytes as they came (`nil`: no 2xx answer). For the
    /// benchmark endpoint that measures what the server and one downstream call cost on their own.
    public func relay(_ service: String, _ pathAndQuery: String) async -> ByteBuffer? {
        guard let endpoint = self.endpoints[service] else { return nil }
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        guard let request = try? HTTPClient.Request(url: endpoint.baseURL + pathAndQuery, method: .GET, headers: headers),
            let response = try? await self.exchange(request, timeout: endpoint.timeout),
            (200..<300).contains(response.status.code)
        else { return nil }
        return response.body ?? ByteBuffer()
    }

    /// A path without its query string.
    static func path(of pathAndQuery: String) -> String {
        String(pathAndQuery.prefix { $0 != "?" })
    }

    private func sendUntraced(
        _ service: String, _ method: HTTPMethod, _ pathAndQuery: String, body: Value?, headers: ForwardedHeaders, span: any Span
    ) async throws(DownstreamError) -> Value {
        guard let endpoint = self.endpoints[service] else { throw .unavailable(service) }
        // The service's timeout, or what is left of the request's time when that is less.
        let timeout = RequestDeadline.bound(endpoint.timeout)
        // Cut short by the request's deadline, not the service's own timeout: say so.
        let timedOut: DownstreamError = timeout < endpoint.timeout ? .deadline(service) : .timeout(service)
        guard timeout > .zero else { throw timedOut }
        var requestHeaders = HTTPHeaders()
        requestHeaders.add(name: "Accept", value: "application/json")
        if let authorization = headers.authorization { requestHeaders.add(name: "Authorization", value: authorization) }
        // The client's trace context, replaced by this call's span when a tracer is installed.
        if let traceparent = headers.traceparent { requestHeaders.add(name: "traceparent", value: traceparent) }
        InstrumentationSystem.instrument.inject(span.context, into: &requestHeaders, using: HTTPHeadersInjector())
        var requestBody: HTTPClient.Body?
        if let body {
            var writer = JSONWriter(capacity: 256)
            writer.value(body)
            requestHeaders.add(name: "Content-Type", value: "application/json")
            requestBody = .bytes(writer.bytes)
        }
        let status: Int
        let body: ByteBuffer
        do {
            let request = try HTTPClient.Request(url: endpoint.baseURL + pathAndQuery, method: method, headers: requestHeaders, body: requestBody)
            let response = try await self.exchange(request, timeout: timeout)
            status = Int(response.status.code)
            span.setAttributesIfRecording { $0["http.response.status_code"] = status }
            body = response.body ?? ByteBuffer()
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw timedOut
        } catch {
            self.logger.debug("downstream call failed", metadata: ["service": "\(service)", "error": "\(error)"])
            throw .unavailable(service)
        }
        guard (200..<300).contains(status) else {
            let envelope = (try? body.withUnsafeReadableBytes { (bytes) throws(JSONReader.Error) in try JSONReader.parse(bytes, maxDepth: 16) })?["error"]
            // The service's own words stay in the log (with the request id), out of the response.
            self.logger.warning(
                "downstream refused the request",
                metadata: [
                    "service": "\(service)", "status": "\(status)", "downstream_code": "\(envelope?["code"]?.stringValue ?? "-")",
                    "downstream_message": "\(envelope?["message"]?.stringValue.map { String($0.prefix(500)) } ?? "-")",
                ])
            if (400..<500).contains(status) { throw .rejected(status: status, service: service) }
            throw .badStatus(status, service)
        }
        do {
            // Read in place: the answer's bytes are not copied out of the network buffer first.
            return try body.withUnsafeReadableBytes { (bytes) throws(JSONReader.Error) in try JSONReader.parse(bytes) }
        } catch {
            throw .undecodable(service)
        }
    }
}

/// The client headers the gateway passes on to downstream services.
public struct ForwardedHeaders: Sendable {
    public var authorization: String?
    public var traceparent: String?

    public init(authorization: String? = nil, traceparent: String? = nil) {
        self.authorization = authorization
        self.traceparent = traceparent
    }

    /// The W3C trace id of `traceparent` (version "-" trace-id "-" parent-id "-" flags), if well-formed.
    public var traceID: String? {
        let parts = self.traceparent?.split(separator: "-") ?? []
        guard parts.count == 4, parts[1].count == 32, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return String(parts[1])
    }
}

extension DownstreamClient {
    /// Each service's circuit state (`closed`, `open`, `half-open`), for `/ready`.
    public var circuitStates: [String: String] { self.breakers.mapValues { $0.state.rawValue } }

    /// Whether each service answers at all (any HTTP status) within a second.
    public func probeAll() async -> [String: Bool] {
        await withTaskGroup(of: (String, Bool).self) { group in
            for (name, endpoint) in self.endpoints {
                group.addTask {
                    let request = HTTPClientRequest(url: endpoint.baseURL + "/")
                    do {
                        _ = try await self.httpClient.execute(request, timeout: .seconds(1))
                        return (name, true)
                    } catch {
                        return (name, false)
                    }
                }
            }
            var report: [String: Bool] = [:]
            for await (name, up) in group { report[name] = up }
            return report
        }
    }
}
