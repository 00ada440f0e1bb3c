import Tracing
import NIOHTTP1

/// Writes trace context (`traceparent`, `tracestate`) into a downstream request's headers.
struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}
