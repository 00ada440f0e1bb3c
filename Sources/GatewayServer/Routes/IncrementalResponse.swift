import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// A response with `@defer`red or `@stream`ed parts: `multipart/mixed` with boundary `-`, one JSON
/// part per payload, written as each is ready (the first before any deferred work runs).
///
/// See https://github.com/graphql/graphql-over-http/blob/main/rfcs/IncrementalDelivery.md
enum IncrementalResponse {
    static let partHead = ByteBuffer(string: "\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n\r\n")
    static let end = ByteBuffer(string: "\r\n-----\r\n")

    static func make(
        _ outcome: GatewayResponse, _ delivery: DeferredDelivery, format: IncrementalFormat, extensions: Value?, headers: HTTPFields
    ) -> Response {
        var headers = headers
        headers[.contentType] = "multipart/mixed; boundary=\"-\"" + (format == .apollo20220824 ? "; deferSpec=20220824" : "")
        headers[.cacheControl] = "no-store"
        let initial = self.initial(outcome.result, delivery.pending, format: format, extensions: extensions)
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                do {
                    try await writer.write(self.part(initial))
                    while let payload = await delivery.next() {
                        try await writer.write(self.part(self.subsequent(payload, format: format)))
                    }
                    try await writer.write(self.end)
                    try await writer.finish(nil)
                } catch {
                    delivery.close()  // the client went away: nothing more runs, the audit is written
                    throw error
                }
            })
    }

    private static func part(_ json: [UInt8]) -> ByteBuffer {
        var buffer = self.partHead
        buffer.writeBytes(json)
        return buffer
    }

    /// The initial payload: `data`, `errors`, and what is pending (graphql-js) or just `hasNext`.
    static func initial(_ result: ExecutionResult, _ pending: [IncrementalExecution.Pending], format: IncrementalFormat, extensions: Value?) -> [UInt8] {
        var response = result.jsonBytes(extensions: extensions)
        response.removeLast()  // the closing brace: the incremental fields follow
        var writer = JSONWriter(capacity: response.count + 256)
        writer.append(response)
        if format == .graphQLJS {
            writer.raw(",\"pending\":")
            self.write(pending, to: &writer)
        }
        writer.raw(",\"hasNext\":true}")
        return writer.bytes
    }

    /// A later payload in the negotiated format.
    static func subsequent(_ payload: IncrementalExecution.Subsequent, format: IncrementalFormat) -> [UInt8] {
        var writer = JSONWriter(capacity: 2048)
        writer.byte(0x7B)
        switch format {
        case .graphQLJS:
            if !payload.pending.isEmpty {
                writer.raw("\"pending\":")
                self.write(payload.pending, to: &writer)
                writer.byte(0x2C)
            }
            let withData = payload.delivered.filter { $0.data != nil }
            if !withData.isEmpty {
                writer.raw("\"incremental\":[")
                for (index, delivered) in withData.enumerated() {
                    if index > 0 { writer.byte(0x2C) }
                    writer.raw("{\"id\":")
                    writer.string(delivered.pending.id)
                    // A stream's rest is `items`; a fragment's fields are `data`.
                    if delivered.firstIndex != nil { writer.raw(",\"items\":") } else { writer.raw(",\"data\":") }
                    writer.append(delivered.data ?? [])
                    self.writeErrors(delivered.errors, to: &writer)
                    writer.byte(0x7D)
                }
                writer.raw("],")
            }
            writer.raw("\"completed\":[")
            for (index, delivered) in payload.delivered.enumerated() {
                if index > 0 { writer.byte(0x2C) }
                writer.raw("{\"id\":")
                writer.string(delivered.pending.id)
                // A fragment nulled by an error completes with it and without data.
                if delivered.data == nil { self.writeErrors(delivered.errors, to: &writer) }
                writer.byte(0x7D)
            }
            writer.raw("],")
        case .apollo20220824:
            writer.raw("\"incremental\":[")
            for (index, delivered) in payload.delivered.enumerated() {
                if index > 0 { writer.byte(0x2C) }
                // Apollo's shape: a stream's `items` at the path of its first item; a fragment's `data` at its object.
                if let firstIndex = delivered.firstIndex {
                    writer.raw("{\"items\":")
                    if let data = delivered.data { writer.append(data) } else { writer.raw("null") }
                    writer.raw(",\"path\":")
                    writePath(delivered.pending.path + [.index(firstIndex)], to: &writer)
                } else {
                    writer.raw("{\"data\":")
                    if let data = delivered.data { writer.append(data) } else { writer.raw("null") }
                    writer.raw(",\"path\":")
                    writePath(delivered.pending.path, to: &writer)
                }
                if let label = delivered.pending.label {
                    writer.raw(",\"label\":")
                    writer.string(label)
                }
                self.writeErrors(delivered.errors, to: &writer)
                writer.byte(0x7D)
            }
            writer.raw("],")
        }
        writer.raw(payload.hasNext ? "\"hasNext\":true}" : "\"hasNext\":false}")
        return writer.bytes
    }

    private static func writeErrors(_ errors: [GraphQLError], to writer: inout JSONWriter) {
        guard !errors.isEmpty else { return }
        writer.raw(",\"errors\":")
        GraphQLEngine.writeErrors(errors, to: &writer)
    }

    private static func write(_ pending: [IncrementalExecution.Pending], to writer: inout JSONWriter) {
        writer.byte(0x5B)
        for (index, entry) in pending.enumerated() {
            if index > 0 { writer.byte(0x2C) }
            writer.raw("{\"id\":")
            writer.string(entry.id)
            writer.raw(",\"path\":")
            writePath(entry.path, to: &writer)
            if let label = entry.label {
                writer.raw(",\"label\":")
                writer.string(label)
            }
            writer.byte(0x7D)
        }
        writer.byte(0x5D)
    }
}
