/// The tracer's settings, read from the standard OpenTelemetry environment variables.
///
/// Read: `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER(_ARG)`,
/// `OTEL_EXPORTER_OTLP(_TRACES)_ENDPOINT`, `…_HEADERS`, `…_TIMEOUT`, `…_PROTOCOL`,
/// `OTEL_TRACES_EXPORTER`, `OTEL_PROPAGATORS` and `OTEL_BSP_*`. As the OpenTelemetry
/// specification asks, a value that cannot be used is ignored (the default applies) and named in
/// `warnings`, which the caller logs.
public struct TracerConfiguration: Sendable {
    public var serviceName: String
    /// Resource attributes besides `service.name`, in the order given.
    public var resourceAttributes: [(key: String, value: String)] = []
    public var sampler: Sampler = .default
    /// Where spans are POSTed (OTLP/HTTP, protobuf).
    public var tracesEndpoint = "http://localhost:4318/v1/traces"
    /// Extra headers on each export (e.g. a vendor's API key).
    public var headers: [(name: String, value: String)] = []
    /// One export request's timeout.
    public var exportTimeout: Duration = .seconds(10)
    /// The longest a finished span waits before it is exported.
    public var scheduleDelay: Duration = .seconds(5)
    /// Finished spans kept for export at most; past it spans are dropped (and counted).
    public var maxQueueSize = 2048
    /// Spans per export request at most; a batch this large is exported at once.
    public var maxExportBatchSize = 512
    /// `OTEL_TRACES_EXPORTER=none`: spans are sampled and propagated but not exported.
    public var exportsSpans = true
    /// Whether W3C baggage is passed through (`OTEL_PROPAGATORS` lists `baggage`, the default).
    public var propagatesBaggage = true
    /// Settings that could not be used and were ignored.
    public var warnings: [String] = []

    public init(serviceName: String) {
        self.serviceName = serviceName
    }

    /// Whether the environment turns the SDK off (`OTEL_SDK_DISABLED=true`).
    public static func isDisabled(_ environment: [String: String]) -> Bool {
        environment["OTEL_SDK_DISABLED"]?.lowercased() == "true"
    }

    /// The settings `environment` gives, with `defaultServiceName` unless one is set there.
    public init(environment: [String: String], defaultServiceName: String) {
        self.init(serviceName: defaultServiceName)
        var reader = EnvironmentReader(environment: environment)
        for (key, value) in reader.keyValueList("OTEL_RESOURCE_ATTRIBUTES") {
            if key == "service.name" { self.serviceName = value } else { self.resourceAttributes.append((key, value)) }
        }
        if let name = reader.string("OTEL_SERVICE_NAME") { self.serviceName = name }
        self.sampler = reader.sampler()
        if let endpoint = reader.string("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            self.tracesEndpoint = endpoint
        } else if let base = reader.string("OTEL_EXPORTER_OTLP_ENDPOINT") {
            self.tracesEndpoint = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        }
        if !(self.tracesEndpoint.hasPrefix("http://") || self.tracesEndpoint.hasPrefix("https://")) {
            reader.warn("OTLP endpoint \"\(self.tracesEndpoint)\" is not an http(s) URL; using http://localhost:4318/v1/traces")
            self.tracesEndpoint = "http://localhost:4318/v1/traces"
        }
        let headers = reader.keyValueList("OTEL_EXPORTER_OTLP_HEADERS") + reader.keyValueList("OTEL_EXPORTER_OTLP_TRACES_HEADERS")
        self.headers = headers.map { (name: $0.key, value: $0.value) }
        for name in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            if let value = reader.string(name), value != "http/protobuf" {
                reader.warn("\(name)=\(value) is not supported; spans are exported as http/protobuf")
            }
        }
        for name in ["OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"] {
            if let value = reader.string(name), value != "none" {
                reader.warn("\(name)=\(value) is not supported; spans are exported uncompressed")
            }
        }
        if let exporter = reader.string("OTEL_TRACES_EXPORTER") {
            switch exporter {
            case "none": self.exportsSpans = false
            case "otlp": break
            default: reader.warn("OTEL_TRACES_EXPORTER=\(exporter) is not supported; using otlp")
            }
        }
        if let propagators = reader.string("OTEL_PROPAGATORS") {
            self.propagatesBaggage = propagators.split(separator: ",").contains { $0.trimmingSpaces == "baggage" }
        }
        if let timeout = reader.milliseconds("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") ?? reader.milliseconds("OTEL_EXPORTER_OTLP_TIMEOUT") {
            self.exportTimeout = timeout
        }
        if let delay = reader.milliseconds("OTEL_BSP_SCHEDULE_DELAY") { self.scheduleDelay = delay }
        if let size = reader.positiveInt("OTEL_BSP_MAX_QUEUE_SIZE") { self.maxQueueSize = size }
        if let size = reader.positiveInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") { self.maxExportBatchSize = size }
        if self.maxExportBatchSize > self.maxQueueSize {
            reader.warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE is larger than OTEL_BSP_MAX_QUEUE_SIZE; using the queue size")
            self.maxExportBatchSize = self.maxQueueSize
        }
        self.warnings = reader.warnings
    }
}

/// Reads OpenTelemetry environment variables, collecting what it had to ignore.
private struct EnvironmentReader {
    let environment: [String: String]
    var warnings: [String] = []

    mutating func warn(_ message: String) {
        self.warnings.append(message)
    }

    /// The variable's value, trimmed; nil when unset or empty.
    func string(_ name: String) -> String? {
        guard let value = self.environment[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    mutating func positiveInt(_ name: String) -> Int? {
        guard let text = self.string(name) else { return nil }
        guard let value = Int(text), value > 0, value <= 1_000_000 else {
            self.warn("\(name)=\(text) is not an integer from 1 to 1000000; ignored")
            return nil
        }
        return value
    }

    mutating func milliseconds(_ name: String) -> Duration? {
        guard let text = self.string(name) else { return nil }
        guard let value = Int(text), value > 0, value <= 3_600_000 else {
            self.warn("\(name)=\(text) is not a number of milliseconds (1 to 3600000); ignored")
            return nil
        }
        return .milliseconds(value)
    }

    /// A `key1=value1,key2=value2` list with percent-encoded values (W3C Baggage's format, which
    /// the OpenTelemetry variables use); malformed members are ignored and named.
    mutating func keyValueList(_ name: String) -> [(key: String, value: String)] {
        guard let text = self.string(name) else { return [] }
        var pairs: [(key: String, value: String)] = []
        for member in text.split(separator: ",") {
            guard let equals = member.firstIndex(of: "="), let value = PercentDecoding.decode(member[member.index(after: equals)...]) else {
                self.warn("\(name): \"\(member)\" is not key=value; ignored")
                continue
            }
            let key = member[..<equals].trimmingSpaces
            guard !key.isEmpty else {
                self.warn("\(name): a member has no key; ignored")
                continue
            }
            pairs.append((key, value.trimmingSpaces))
        }
        return pairs
    }

    mutating func sampler() -> Sampler {
        guard let name = self.string("OTEL_TRACES_SAMPLER") else { return .default }
        let argument = self.string("OTEL_TRACES_SAMPLER_ARG")
        switch name {
        case "always_on": return Sampler(root: .alwaysOn, parentBased: false)
        case "always_off": return Sampler(root: .alwaysOff, parentBased: false)
        case "parentbased_always_on": return Sampler(root: .alwaysOn, parentBased: true)
        case "parentbased_always_off": return Sampler(root: .alwaysOff, parentBased: true)
        case "traceidratio": return Sampler(root: .traceIDRatio(self.ratio(argument)), parentBased: false)
        case "parentbased_traceidratio": return Sampler(root: .traceIDRatio(self.ratio(argument)), parentBased: true)
        default:
            self.warn("OTEL_TRACES_SAMPLER=\(name) is not supported; using parentbased_always_on")
            return .default
        }
    }

    private mutating func ratio(_ argument: String?) -> Double {
        guard let argument else { return 1 }
        guard let ratio = Double(argument), ratio >= 0, ratio <= 1 else {
            self.warn("OTEL_TRACES_SAMPLER_ARG=\(argument) is not a ratio between 0 and 1; using 1")
            return 1
        }
        return ratio
    }
}

/// `%XX` escapes decoded as UTF-8.
enum PercentDecoding {
    static func decode(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let lowercased: (UInt8) -> UInt8 = { (0x41...0x46).contains($0) ? $0 | 0x20 : $0 }
            guard let high = utf8.next(), let low = utf8.next(), let value = HexDigits.decode([lowercased(high), lowercased(low)], from: 0, count: 2) else {
                return nil
            }
            bytes.append(UInt8(truncatingIfNeeded: value))
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
