import AsyncHTTPClient
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import Synchronization

/// POSTs batches of spans to an OTLP/HTTP endpoint (protobuf). A 429, 502, 503 or 504 answer, or
/// no answer, is retried with jittered exponential back-off (honouring `Retry-After`, at most
/// five attempts); anything else is final. Spans of a batch that could not be delivered are
/// dropped and counted in `tracing_spans_dropped_total{reason="export_failed"}`.
final class OTLPHTTPExporter: Sendable {
    private let client: HTTPClient
    private let url: String
    private let headers: [(name: String, value: String)]
    private let timeout: Duration
    private let encoder: OTLPTraceEncoder
    private let logger: Logger
    /// Attempts per batch at most (the first and four retries).
    static let maxAttempts = 5
    /// Whether the last export failed (so a failure, and the recovery, are logged once).
    private let failing = Atomic(false)
    private let exported = Counter(label: "tracing_spans_exported_total")
    private let droppedFailed = Counter(label: "tracing_spans_dropped_total", dimensions: [("reason", "export_failed")])
    private let retries = Counter(label: "tracing_export_retries_total")

    init(configuration: TracerConfiguration, encoder: OTLPTraceEncoder, logger: Logger) {
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(2))
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 2)
        // A refused connection fails the attempt at once; the back-off below decides when to try again.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        // The exporter's own requests are never traced (each export would make spans to export).
        clientConfiguration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.url = configuration.tracesEndpoint
        self.headers = configuration.headers
        self.timeout = configuration.exportTimeout
        self.encoder = encoder
        self.logger = logger
    }

    /// Exports `spans`, retrying what may succeed later (unless `retrying` is false, as at
    /// shutdown); returns whether they were delivered.
    @discardableResult
    func export(_ spans: [FinishedSpan], retrying: Bool = true) async -> Bool {
        guard !spans.isEmpty else { return true }
        var request = HTTPClientRequest(url: self.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "User-Agent", value: "nilecare-tracer")
        for header in self.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: self.encoder.encode(spans)))
        var failure = ""
        for attempt in 1...Self.maxAttempts {
            let outcome = await self.send(request)
            switch outcome {
            case .delivered:
                self.exported.increment(by: spans.count)
                if self.failing.exchange(false, ordering: .relaxed) {
                    self.logger.info("span export recovered", metadata: ["endpoint": "\(self.url)"])
                }
                return true
            case .final(let reason):
                failure = reason
            case .retryable(let reason, let retryAfter):
                failure = reason
                guard retrying, attempt < Self.maxAttempts, !Task.isCancelled else { break }
                self.retries.increment()
                let backoff = Duration.milliseconds(100 << (attempt - 1)) * Double.random(in: 0.5..<1.5)
                try? await Task.sleep(for: min(max(backoff, retryAfter ?? .zero), .seconds(5)))
                continue
            }
            break
        }
        self.droppedFailed.increment(by: spans.count)
        if !self.failing.exchange(true, ordering: .relaxed) {
            self.logger.warning("span export failed; spans are dropped until it succeeds", metadata: ["endpoint": "\(self.url)", "reason": "\(failure)"])
        }
        return false
    }

    private enum Outcome {
        case delivered
        case retryable(String, retryAfter: Duration?)
        case final(String)
    }

    private func send(_ request: HTTPClientRequest) async -> Outcome {
        do {
            let response = try await self.client.execute(request, timeout: TimeAmount(self.timeout))
            // Read (and bound) the answer so the connection can be reused.
            _ = try? await response.body.collect(upTo: 1 << 20)
            switch response.status.code {
            case 200..<300: return .delivered
            case 429, 502, 503, 504:
                let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }.map { Duration.seconds(min(max($0, 0), 60)) }
                return .retryable("HTTP \(response.status.code)", retryAfter: retryAfter)
            default: return .final("HTTP \(response.status.code)")
            }
        } catch {
            return .retryable("\(error)", retryAfter: nil)
        }
    }

    func shutdown() async {
        try? await self.client.shutdown()
    }
}
