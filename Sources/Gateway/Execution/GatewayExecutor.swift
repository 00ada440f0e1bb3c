import Foundation
import GraphQLEngine
import Logging
import Synchronization
import Tracing

/// Limits and options of GraphQL execution in the gateway.
public struct ExecutionOptions: Sendable {
    /// Keys per downstream batch call (larger batches are split).
    public var maxBatchSize = 100
    /// Operations whose downstream calls, as the document tells, exceed this are rejected before any
    /// call; while one runs, no call past this is made (its fields fail instead).
    public var maxDownstreamCalls = 50
    public var parseOptions = ParseOptions(maxTokens: 15_000, maxDepth: 64)
    public var documentCacheSize = 1_000
    /// How long past `maxAge` cached entries may be served when their service fails.
    public var staleIfError: Duration = .seconds(300)
    /// The wall clock cache freshness is judged by, in milliseconds since the epoch.
    public var wallClock: @Sendable () -> Int64 = wallClockMilliseconds
    /// Depth, aliases, root fields and cost an operation may have.
    public var limits = OperationLimits()
    /// Whether `__schema` / `__type` may be queried (off in the production profile).
    public var allowIntrospection = true
    /// The longest a request may run; fields still unresolved then are `REQUEST_TIMEOUT` errors.
    public var requestTimeout: Duration = .seconds(30)
    /// Where records of PHI access go; `nil`: not recorded.
    public var auditSink: (any AuditSink)?
    /// Replace the messages of unexpected errors with a reference (production: no internals).
    public var maskUnexpectedErrors = false
    /// Rate limits per principal and client address; `nil`: none.
    public var rateLimiter: RateLimiter?
    /// Label operation metrics by operation name (names are client-chosen: bounded, and off in production).
    public var metricsOperationNames = true

    public init() {}
}

/// A GraphQL request as the HTTP layer hands it over.
public struct GatewayRequest: Sendable {
    public var query: String
    public var operationName: String?
    public var variables: [String: Value]
    public var headers: ForwardedHeaders
    /// Who the request runs for (from its verified token).
    public var principal: Principal
    /// The client's address (the connection's peer), for per-address rate limits.
    public var clientAddress: String?
    /// The client accepts incremental delivery (multipart): `@defer`red fragments come later, in
    /// `GatewayResponse.deferred`; otherwise `@defer` is ignored and everything comes at once.
    public var incrementalDelivery = false
    /// For one event of a subscription: the root value its selection is resolved from.
    var eventRoot: Value?

    public init(
        query: String, operationName: String? = nil, variables: [String: Value] = [:], headers: ForwardedHeaders = .init(),
        principal: Principal = .anonymous, clientAddress: String? = nil
    ) {
        self.clientAddress = clientAddress
        self.query = query
        self.operationName = operationName
        self.variables = variables
        self.headers = headers
        self.principal = principal
    }
}

/// The outcome of a request: the result, and what it cost downstream.
public struct GatewayResponse: Sendable {
    public internal(set) var result: ExecutionResult
    public let statistics: DownstreamStatistics
    /// Whether a query operation ran (not a mutation, nor a request error).
    public var ranQuery = false
    /// `query`, `mutation` or `subscription`; `nil` when no operation was selected.
    public var operationType: String?
    /// Why the request was refused before running (a limit), for metrics.
    public var rejection: String?
    /// What the rate limiter decided (its header fields go on the HTTP response); `nil`: no limiter.
    public var rateLimit: RateLimitDecision?
    /// The name of the operation that ran (from the request, or the document's single operation).
    public var operationName: String?
    /// The traced execution, whose attributes go on the request's span with the operation's.
    var tracing: ExecutionTracing?
    /// The deferred payloads still to send after `result` (an incremental delivery); `nil`: none.
    public var deferred: DeferredDelivery?

    init(result: ExecutionResult, statistics: DownstreamStatistics) {
        self.result = result
        self.statistics = statistics
    }

    /// The same response with the statistics of the whole request (its deferred payloads included).
    func withStatistics(_ statistics: DownstreamStatistics) -> GatewayResponse {
        var copy = GatewayResponse(result: self.result, statistics: statistics)
        copy.ranQuery = self.ranQuery
        copy.operationType = self.operationType
        copy.operationName = self.operationName
        return copy
    }

    init(rejected error: GraphQLError, reason: String, _ operation: OperationDefinition?) {
        self.init(result: ExecutionResult(requestErrors: [error]), statistics: DownstreamStatistics())
        self.rejection = reason
        self.operationType = operation.map { $0.operation.rawValue }
    }

    /// The response's HTTP `Cache-Control`: the shortest `maxAge` and strictest scope of the data
    /// it holds; `no-store` for mutations, errors, stale data and data without a cache policy.
    public var cacheControl: String {
        guard self.ranQuery, self.result.errors.isEmpty, self.statistics.staleServed.isEmpty else { return "no-store" }
        return self.statistics.httpCache.cacheControl
    }

    /// What every client must be told in `extensions`: stale data served in place of a failed service.
    public var staleIfErrorNotice: Value? {
        guard !self.statistics.staleServed.isEmpty else { return nil }
        return [
            "entries": .int(self.statistics.staleServed.values.reduce(0, +)),
            "services": .list(self.statistics.staleServed.keys.sorted().map { .string($0) }),
        ]
    }
}

/// Runs GraphQL requests against the gateway schema: cached parse and validation, the
/// downstream-call budget, then execution with per-request loaders.
public final class GatewayExecutor: Sendable {
    public let gatewaySchema: GatewaySchema
    public let client: DownstreamClient
    public let options: ExecutionOptions
    public let documents: DocumentCache
    /// The resolver cache; `nil` disables caching.
    public let cache: ResolverCache?
    /// Automatic persisted queries, in the cache's store (off without a cache).
    public let persistedQueries: PersistedQueries?
    /// Subscriptions' event bus, limits and open subscriptions; `nil`: subscriptions are refused.
    public let subscriptions: SubscriptionHub?
    let logger = Logger(label: "nilecare.graphql")

    public init(
        schema: GatewaySchema, client: DownstreamClient, options: ExecutionOptions = ExecutionOptions(),
        cacheStore: (any CacheStore)? = nil, sealer: CacheSealer? = nil, subscriptions: SubscriptionHub? = nil
    ) {
        self.subscriptions = subscriptions
        self.gatewaySchema = schema
        self.client = client
        self.options = options
        self.documents = DocumentCache(capacity: options.documentCacheSize)
        self.cache = cacheStore.map { ResolverCache(
                store: $0, schemaVersion: schema.version, sealer: sealer, staleIfError: options.staleIfError, volatileFields: schema.volatileFields,
                now: options.wallClock) }
        self.persistedQueries = cacheStore.map { PersistedQueries(store: $0) }
    }

    /// Parses and validates (or takes from the cache) a query.
    public func prepare(_ query: String) -> DocumentCache.Entry {
        self.documents.entry(for: query) { self.analyze(Source(query)) }
    }

    /// The errors a query would be refused with (syntax, limits, validation), without caching it or
    /// running it: what the explorer marks while a developer types. No names are suggested when
    /// introspection is off.
    public func check(_ query: String) -> [GraphQLError] {
        NameSuggestions.$enabled.withValue(NameSuggestions.enabled && self.options.allowIntrospection) {
            self.analyze(Source(query)).errors
        }
    }

    /// Parse, the shape limits, then validation.
    private func analyze(_ source: Source) -> DocumentCache.Entry {
        do {
            let parseStarted = ContinuousClock.now
            let document = try Parser.parse(source, options: self.options.parseOptions)
            let validateStarted = ContinuousClock.now
            GatewayMetrics.phase("parse", validateStarted - parseStarted)
            // Shape limits first: what they refuse never reaches the quadratic rules.
            if !self.options.allowIntrospection, document.operations.contains(where: { IntrospectionGuard.uses($0, fragments: document.fragments) }) {
                return DocumentCache.Entry(source: source, document: nil, errors: [IntrospectionGuard.disabledError], rejection: "introspection")
            }
            if let violation = self.options.limits.documentViolation(document, schema: self.gatewaySchema.schema) {
                return DocumentCache.Entry(source: source, document: nil, errors: [violation], rejection: OperationLimits.reason(violation))
            }
            let errors = validate(schema: self.gatewaySchema.schema, document: document, source: source)
            GatewayMetrics.phase("validate", ContinuousClock.now - validateStarted)
            return DocumentCache.Entry(source: source, document: document, errors: errors)
        } catch {
            return DocumentCache.Entry(source: source, document: nil, errors: [error.graphQLError(in: source)])
        }
    }

    /// The operation a request would run (to check e.g. that GET does not run a mutation).
    public func operation(in document: Document, named name: String?) -> OperationDefinition? {
        let operations = document.operations
        if let name { return operations.first { $0.name?.value == name } }
        return operations.count == 1 ? operations.first : nil
    }

    /// Runs a request in a span (`graphql.operation.*` attributes), counting it by type and outcome.
    public func execute(_ request: GatewayRequest) async -> GatewayResponse {
        // With introspection off, error messages do not suggest the schema's names either.
        guard self.options.allowIntrospection || !NameSuggestions.enabled else {
            return await NameSuggestions.$enabled.withValue(false) { await self.execute(request) }
        }
        let started = ContinuousClock.now
        return await self.withOperationSpan(request) { span in
            var response = await self.executeUntraced(request, span: span)
            self.recordOutcome(&response, request, span: span, started: started)
            return response
        }
    }

    /// What every finished operation leaves behind: its span's attributes and status, the operation
    /// metrics, stale-if-error counts, and unexpected errors reported (and masked in production).
    func recordOutcome(_ response: inout GatewayResponse, _ request: GatewayRequest, span: any Span, started: ContinuousClock.Instant) {
        let type = response.operationType ?? "unknown"
        let outcome: String
        if let rejection = response.rejection {
            outcome = "rejected"
            GatewayMetrics.rejected(rejection)
        } else if response.result.errors.isEmpty {
            outcome = "ok"
        } else {
            outcome = response.result.hasData ? "partial" : "error"
        }
        let nameLabel = self.options.metricsOperationNames ? OperationNames.label(response.operationName) : "-"
        if span.isRecording {
            // One update of the span (each takes its lock and copies its attributes).
            span.updateAttributes { attributes in
                attributes["graphql.operation.type"] = type
                attributes["graphql.operation.name"] = nameLabel
                attributes["graphql.outcome"] = outcome
                response.tracing?.record(into: &attributes)
            }
        }
        if outcome != "ok" { span.setStatus(SpanStatus(code: .error, message: outcome)) }
        GatewayMetrics.operation(type: type, outcome: outcome, nameLabel: nameLabel, duration: ContinuousClock.now - started)
        for (service, count) in response.statistics.staleServed { GatewayMetrics.staleServed(service: service, count: count) }
        self.reportUnexpectedErrors(&response, request, span)
    }

    /// The request's span for the operation's attributes: the server span when there is one (one
    /// span less per request), else a span of its own.
    private func withOperationSpan(_ request: GatewayRequest, _ body: (any Span) async -> GatewayResponse) async -> GatewayResponse {
        if let serverSpan = RequestSpan.current { return await body(serverSpan) }
        return await withSpanIfTracing("GraphQL \(request.operationName ?? "operation")") { span in await body(span) }
    }

    private func executeUntraced(_ request: GatewayRequest, span: any Span) async -> GatewayResponse {
        // Parsing and validation get their own span only when they happen (not for a cached document).
        let entry = self.documents.cached(request.query) ?? withSpan("GraphQL parse and validate") { _ in self.prepare(request.query) }
        let operation = entry.document.flatMap { self.operation(in: $0, named: request.operationName) }
        var decision: RateLimitDecision?
        if let limiter = self.options.rateLimiter {
            // Every request counts; a valid operation also spends its estimated cost.
            let cost = operation.map { operation in
                entry.facts.cost(ofOperationNamed: request.operationName, operation) {
                    self.options.limits.cost(operation, fragments: entry.document?.fragments ?? [:], variables: request.variables, schema: self.gatewaySchema.schema)
                }
            } ?? 1
            let admitted = await limiter.admit(
                principal: request.principal.rateLimitKey, role: request.principal.role?.rawValue ?? "anonymous", address: request.clientAddress, cost: cost)
            guard admitted.allowed else {
                var response = GatewayResponse(rejected: Self.rateLimited(admitted), reason: "rate_limit", operation)
                response.rateLimit = admitted
                return response
            }
            decision = admitted
        }
        var response = await self.executeAdmitted(request, entry, operation, span: span)
        response.rateLimit = decision
        return response
    }

    func executeAdmitted(_ request: GatewayRequest, _ entry: DocumentCache.Entry, _ operation: OperationDefinition?, span: any Span) async
        -> GatewayResponse
    {
        if let reason = entry.rejection, let error = entry.errors.first {
            return GatewayResponse(rejected: error, reason: reason, nil)
        }
        guard let document = entry.document, entry.errors.isEmpty else {
            return GatewayResponse(result: ExecutionResult(requestErrors: entry.errors), statistics: DownstreamStatistics())
        }
        if operation?.operation == .subscription, request.eventRoot == nil {
            let error = GraphQLError(
                "Subscriptions need a streaming transport: POST /graphql with Accept: text/event-stream (GraphQL over SSE), or the graphql-transport-ws WebSocket at /graphql.",
                extensions: ["code": "SUBSCRIPTION_NEEDS_STREAM"])
            return GatewayResponse(rejected: error, reason: "subscription_transport", operation)
        }
        if let operation {
            // (Introspection, when it is off, was refused with the document, before validation.)
            let fragments = document.fragments
            if let violation = entry.facts.limitViolation(ofOperationNamed: request.operationName, operation, compute: {
                self.options.limits.violation(operation, fragments: fragments, variables: request.variables, schema: self.gatewaySchema.schema)
            }) {
                return GatewayResponse(rejected: violation, reason: OperationLimits.reason(violation), operation)
            }
            let bound = entry.facts.downstreamBound(ofOperationNamed: request.operationName) {
                DownstreamBudget(gatewaySchema: self.gatewaySchema, fragments: document.fragments).upperBound(operation)
            }
            if bound > self.options.maxDownstreamCalls {
                let error = GraphQLError(
                    "The operation could make up to \(bound) downstream calls; the limit is \(self.options.maxDownstreamCalls).",
                    extensions: ["code": "DOWNSTREAM_BUDGET_EXCEEDED"])
                return GatewayResponse(rejected: error, reason: "downstream_budget", operation)
            }
        }
        let tracing = ExecutionTracing(requestSpan: span)
        let budget = DownstreamCallBudget(limit: self.options.maxDownstreamCalls)
        let makeLoaders = { @Sendable [self] (tracing: ExecutionTracing?) in
            RequestLoaders(
                client: self.client, headers: request.headers, principal: request.principal, maxBatchSize: self.options.maxBatchSize,
                cache: self.cache, recordsOwners: self.options.auditSink != nil, tracing: tracing, budget: budget)
        }
        let makeContext = { @Sendable [self] (loaders: RequestLoaders) in
            GatewayContext(loaders: loaders, client: self.client, headers: request.headers, cache: self.cache, events: self.subscriptions?.bus)
        }
        let loaders = makeLoaders(tracing)
        let context = makeContext(loaders)
        var executionRequest = ExecutionRequest(
            schema: self.gatewaySchema.schema, document: document, operationName: request.operationName,
            variables: request.variables, rootValue: request.eventRoot ?? .object([:]), context: context, dispatcher: loaders,
            source: entry.source, plans: entry.plans)
        // Each deferred group gets loaders of its own (the request's budget shared): groups run concurrently.
        let forks = ForkedLoaders()
        executionRequest.forkLoaders = {
            let forked = makeLoaders(nil)
            forks.list.withLock { $0.append(forked) }
            return (makeContext(forked), forked)
        }
        let executeStarted = ContinuousClock.now
        let deadline = executeStarted + self.options.requestTimeout
        // Past the deadline every call fails at once (REQUEST_TIMEOUT on its fields), so execution
        // ends promptly and what was already resolved stays in `data`.
        let result: ExecutionResult
        var incremental: IncrementalExecution?
        if request.incrementalDelivery, operation?.operation == .query {
            let execution = await RequestDeadline.$current.withValue(deadline) { await GraphQLEngine.executeIncrementally(executionRequest) }
            result = execution.initial
            if execution.hasNext { incremental = execution }
        } else {
            result = await RequestDeadline.$current.withValue(deadline) { await GraphQLEngine.execute(executionRequest) }
        }
        let executeDuration = ContinuousClock.now - executeStarted
        tracing?.finish(duration: executeDuration)
        GatewayMetrics.phase("execute", executeDuration)
        var response = GatewayResponse(result: result, statistics: loaders.statistics.withLock { $0 })
        response.tracing = tracing
        response.ranQuery = operation?.operation == .query
        response.operationType = operation.map { $0.operation.rawValue }
        response.operationName = request.operationName ?? operation?.name?.value
        if let incremental {
            // Audited once the deferred payloads are delivered (or the client has gone), with all they touched.
            let initial = response
            response.deferred = DeferredDelivery(execution: incremental, deadline: deadline) { [self] in
                var statistics = loaders.statistics.withLock { $0 }
                for forked in forks.list.withLock({ $0 }) { statistics.add(forked.statistics.withLock { $0 }) }
                let finished = initial.withStatistics(statistics)
                if let sink = self.options.auditSink, finished.statistics.touchedPHI {
                    sink.write(self.auditRecord(request, operation, finished))
                }
            }
        } else if let sink = self.options.auditSink, response.statistics.touchedPHI {
            sink.write(self.auditRecord(request, operation, response))
        }
        return response
    }
}

extension GatewayExecutor {
    /// What the audit log keeps of a request that touched PHI: who, which operation (name and hash),
    /// which patients, how it went; no values.
    func auditRecord(_ request: GatewayRequest, _ operation: OperationDefinition?, _ response: GatewayResponse) -> AuditRecord {
        let statistics = response.statistics
        let outcome: String
        if response.result.errors.isEmpty {
            outcome = "ok"
        } else if statistics.denials > 0, statistics.patientsTouched.isEmpty {
            outcome = "denied"
        } else {
            outcome = response.result.hasData ? "partial" : "error"
        }
        return AuditRecord(
            time: Date(), subject: request.principal.subject, role: request.principal.role?.rawValue,
            operationName: request.operationName ?? operation?.name?.value, operationHash: SHA256Digest.hex(request.query),
            patientIDs: statistics.patientsTouched.sorted(), outcome: outcome, traceID: request.headers.traceID)
    }
}

extension GatewayExecutor {
    /// Field errors nobody planned for (no `extensions.code`, or `INTERNAL_SERVER_ERROR`): each is
    /// counted by a stable code, recorded on the span (so a tracing backend finds it by trace id)
    /// and logged once with its context. Error messages here name fields, never data values.
    func reportUnexpectedErrors(_ response: inout GatewayResponse, _ request: GatewayRequest, _ span: any Span) {
        for (index, error) in response.result.errors.enumerated() {
            guard let path = error.path, !path.isEmpty else { continue }
            let code: String
            switch error.extensions["code"] {
            case nil: code = "UNEXPECTED_FIELD_ERROR"
            case "INTERNAL_SERVER_ERROR": code = "INTERNAL_SERVER_ERROR"
            default: continue
            }
            GatewayMetrics.unexpectedError(code: code)
            span.recordError(UnexpectedFieldError(code: code, message: error.message))
            self.logger.error(
                "unexpected field error",
                metadata: [
                    "code": "\(code)", "path": "\(path.map { "\($0)" }.joined(separator: "."))", "message": "\(error.message)",
                    "operation": "\(response.operationName ?? "anonymous")", "trace_id": "\(request.headers.traceID ?? "")",
                ])
            if self.options.maskUnexpectedErrors {
                let reference = request.headers.traceID ?? RequestID.current ?? "none"
                response.result.errors[index].message = "Internal error (\(code)); reference \(reference)."
                response.result.errors[index].extensions["code"] = .string(code)
            }
        }
    }
}

extension GatewayExecutor {
    /// The error a request refused by the rate limiter gets.
    static func rateLimited(_ decision: RateLimitDecision) -> GraphQLError {
        GraphQLError(
            "Too many requests: the \(decision.refusedBy ?? "requests") limit is reached; retry in \(decision.retryAfterSeconds) s.",
            extensions: ["code": "RATE_LIMITED", "retryAfterSeconds": .int(decision.retryAfterSeconds)])
    }
}

/// The loaders a request's deferred groups made (their statistics go to its audit record).
final class ForkedLoaders: Sendable {
    let list = Mutex<[RequestLoaders]>([])
}

/// An unexpected field error as a span exception event.
struct UnexpectedFieldError: Error, CustomStringConvertible {
    let code: String
    let message: String
    var description: String { "\(self.code): \(self.message)" }
}
