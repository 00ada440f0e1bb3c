import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// GraphQL over Server-Sent Events, distinct connections mode: a request with
/// `Accept: text/event-stream` gets `text/event-stream`, one `next` event per result and a
/// `complete` event at the end. A subscription streams until the client goes, its token expires,
/// the schema is reloaded or the gateway shuts down; a query or mutation is one `next`. A comment
/// line every `keepAlive` keeps proxies from closing a quiet stream.
///
/// See https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md
enum EventStreamResponse {
    static let contentType = "text/event-stream"
    static let complete = ByteBuffer(string: "event: complete\ndata:\n\n")
    static let keepAliveComment = ByteBuffer(string: ":\n\n")

    /// Whether the client asks for an event stream.
    static func isRequested(_ accept: String?) -> Bool {
        accept?.split(separator: ",").contains { $0.split(separator: ";").first?.trimmingSpacesAndTabs.lowercased() == contentType } ?? false
    }

    static func next(_ result: ExecutionResult, extensions: Value? = nil) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: next\ndata: ")
        buffer.writeBytes(result.jsonBytes(extensions: extensions))
        buffer.writeString("\n\n")
        return buffer
    }

    static var headers: HTTPFields {
        [.contentType: "\(contentType); charset=utf-8", .cacheControl: "no-store", .accelBuffering: "no"]
    }

    /// One result, then `complete`.
    static func single(_ result: ExecutionResult, extensions: Value?) -> Response {
        var body = self.next(result, extensions: extensions)
        var end = self.complete
        body.writeBuffer(&end)
        return Response(status: .ok, headers: self.headers, body: .init(byteBuffer: body))
    }

    /// The subscription's results as they come, then `complete`.
    static func stream(_ subscription: GatewaySubscription, keepAlive: Duration) -> Response {
        Response(
            status: .ok, headers: self.headers,
            body: SubscriptionItems.body(subscription, interval: keepAlive, keepAlive: self.keepAliveComment, closing: self.complete) { self.next($0) })
    }
}
