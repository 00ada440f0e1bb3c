import Testing

@testable import NileTracing

@Suite struct TracerConfigurationTests {
    @Test func defaultsWithoutEnvironment() {
        let configuration = TracerConfiguration(environment: [:], defaultServiceName: "nilecare-gateway")
        #expect(configuration.serviceName == "nilecare-gateway")
        #expect(configuration.tracesEndpoint == "http://localhost:4318/v1/traces")
        #expect(configuration.sampler == .default)
        #expect(configuration.scheduleDelay == .seconds(5) && configuration.maxQueueSize == 2048 && configuration.maxExportBatchSize == 512)
        #expect(configuration.exportsSpans && configuration.propagatesBaggage && configuration.warnings.isEmpty)
    }

    @Test func readsTheStandardVariables() {
        let configuration = TracerConfiguration(
            environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example:4318/",
                "OTEL_EXPORTER_OTLP_HEADERS": "api-key=s%20ecret, x-tenant = clinic-7",
                "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-resource,deployment.environment=prod,k8s.pod.name=gw%2D1",
                "OTEL_SERVICE_NAME": "gateway-eu",
                "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1",
                "OTEL_BSP_SCHEDULE_DELAY": "200", "OTEL_BSP_MAX_QUEUE_SIZE": "4096", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "256",
                "OTEL_EXPORTER_OTLP_TIMEOUT": "3000", "OTEL_PROPAGATORS": "tracecontext",
            ], defaultServiceName: "nilecare-gateway")
        #expect(configuration.tracesEndpoint == "https://collector.example:4318/v1/traces")
        #expect(configuration.headers.map { "\($0.name)=\($0.value)" } == ["api-key=s ecret", "x-tenant=clinic-7"])
        #expect(configuration.serviceName == "gateway-eu")
        #expect(configuration.resourceAttributes.map { "\($0.key)=\($0.value)" } == ["deployment.environment=prod", "k8s.pod.name=gw-1"])
        #expect(configuration.sampler == Sampler(root: .traceIDRatio(0.1), parentBased: true))
        #expect(configuration.scheduleDelay == .milliseconds(200) && configuration.exportTimeout == .seconds(3))
        #expect(configuration.maxQueueSize == 4096 && configuration.maxExportBatchSize == 256)
        #expect(!configuration.propagatesBaggage)
        #expect(configuration.warnings.isEmpty)
    }

    @Test func theTracesEndpointIsUsedAsGiven() {
        let configuration = TracerConfiguration(
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:9999/custom"],
            defaultServiceName: "x")
        #expect(configuration.tracesEndpoint == "http://b:9999/custom")
    }

    @Test func unusableValuesAreIgnoredAndNamed() {
        let configuration = TracerConfiguration(
            environment: [
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5",
                "OTEL_BSP_MAX_QUEUE_SIZE": "-3", "OTEL_BSP_SCHEDULE_DELAY": "soon", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
                "OTEL_EXPORTER_OTLP_HEADERS": "novalue,k=%zz", "OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318",
            ], defaultServiceName: "x")
        #expect(configuration.sampler == Sampler(root: .traceIDRatio(1), parentBased: false))
        #expect(configuration.maxQueueSize == 2048 && configuration.scheduleDelay == .seconds(5))
        #expect(configuration.headers.isEmpty)
        #expect(configuration.tracesEndpoint == "http://localhost:4318/v1/traces")
        #expect(configuration.warnings.count == 7, "\(configuration.warnings)")
        #expect(configuration.warnings.contains { $0.contains("OTEL_TRACES_SAMPLER_ARG=1.5") })
        #expect(configuration.warnings.contains { $0.contains("grpc") })
    }

    @Test func sizesAreBounded() {
        let configuration = TracerConfiguration(
            environment: ["OTEL_BSP_MAX_QUEUE_SIZE": "999999999999", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "99999999999999999999999"], defaultServiceName: "x")
        #expect(configuration.maxQueueSize == 2048 && configuration.maxExportBatchSize == 512 && configuration.warnings.count == 2)
    }

    @Test func unknownSamplersFallBackToTheDefault() {
        let configuration = TracerConfiguration(environment: ["OTEL_TRACES_SAMPLER": "jaeger_remote"], defaultServiceName: "x")
        #expect(configuration.sampler == .default)
        #expect(configuration.warnings == ["OTEL_TRACES_SAMPLER=jaeger_remote is not supported; using parentbased_always_on"])
    }

    @Test func exporterNoneKeepsSamplingWithoutExport() {
        let configuration = TracerConfiguration(environment: ["OTEL_TRACES_EXPORTER": "none"], defaultServiceName: "x")
        #expect(!configuration.exportsSpans)
        #expect(TracerConfiguration.isDisabled(["OTEL_SDK_DISABLED": "TRUE"]))
        #expect(!TracerConfiguration.isDisabled(["OTEL_SDK_DISABLED": "false"]))
    }
}
