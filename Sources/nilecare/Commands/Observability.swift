import Foundation
import Gateway
import Logging
import Metrics
import NileTracing
import Prometheus
import ServiceLifecycle
import Tracing

/// Process-wide observability of `nilecare serve` and `nilecare fixtures serve`: swift-metrics into
/// a Prometheus registry (served at `/metrics`), and tracing through our own tracer (`NileTracer`:
/// W3C trace context, OpenTelemetry samplers, OTLP/HTTP protobuf export) when an endpoint is
/// configured, set by the standard `OTEL_*` variables.
enum Observability {
    /// Installs the Prometheus metrics backend; returns the registry `/metrics` emits.
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Installs the log backend: text or JSON lines, each line carrying the request id and the
    /// current trace and span ids. Call before any logger is made.
    static func bootstrapLogging(format: String) {
        // The tracer's ids win over the client's trace id when a tracer is installed.
        let provider = Logger.MetadataProvider.multiplex([RequestID.metadataProvider, TraceLogMetadata.provider])
        if format == "json" {
            LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, metadataProvider: provider) }, metadataProvider: provider)
        } else {
            LoggingSystem.bootstrap({ label, provider in StreamLogHandler.standardOutput(label: label, metadataProvider: provider) }, metadataProvider: provider)
        }
    }

    /// Whether tracing is asked for: `--tracing on`, or an OTLP endpoint in the environment.
    static func tracingRequested(_ flag: Bool?) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if TracerConfiguration.isDisabled(environment) { return false }
        if let flag { return flag }
        return environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
    }

    /// Installs the tracer (traces only: metrics go to Prometheus, logs to swift-log), configured
    /// from the `OTEL_*` environment, and returns the service that exports spans; run it in the
    /// service group.
    static func bootstrapTracing(serviceName: String) -> any Service {
        let logger = Logger(label: "nilecare.tracing")
        let configuration = TracerConfiguration(environment: ProcessInfo.processInfo.environment, defaultServiceName: serviceName)
        for warning in configuration.warnings { logger.warning("\(warning)") }
        let tracer = NileTracer(configuration: configuration, logger: logger)
        InstrumentationSystem.bootstrap(tracer)
        logger.info(
            "tracing on", metadata: ["sampler": "\(configuration.sampler)", "endpoint": "\(configuration.exportsSpans ? configuration.tracesEndpoint : "none")"])
        return tracer.exportService
    }
}
