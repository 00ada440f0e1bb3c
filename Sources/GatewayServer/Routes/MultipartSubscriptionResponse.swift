import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import NIOCore

/// Subscriptions over multipart HTTP, as Apollo Client and Router speak it: a request whose
/// `Accept` has `multipart/mixed;subscriptionSpec="1.0"` gets `multipart/mixed;boundary="graphql";
/// subscriptionSpec="1.0"`, one part `{"payload": result}` per event, a `{}` heartbeat part while
/// quiet, and the closing `--graphql--` when the subscription ends.
///
/// See https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol
enum MultipartSubscriptionResponse {
    static let partHead = ByteBuffer(string: "\r\n--graphql\r\ncontent-type: application/json\r\n\r\n")
    static let end = ByteBuffer(string: "\r\n--graphql--\r\n")

    /// Whether the client asks for Apollo's multipart subscriptions.
    static func isRequested(_ accept: String?) -> Bool {
        accept?.split(separator: ",").contains { range in
            let pieces = range.split(separator: ";").map { $0.trimmingSpacesAndTabs.lowercased() }
            return pieces.first == "multipart/mixed" && pieces.dropFirst().contains { $0.hasPrefix("subscriptionspec=") }
        } ?? false
    }

    static func stream(_ subscription: GatewaySubscription, heartbeat: Duration) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: #"multipart/mixed;boundary="graphql";subscriptionSpec="1.0""#, .cacheControl: "no-store"],
            body: SubscriptionItems.body(subscription, interval: heartbeat, keepAlive: self.part(Array("{}".utf8)), closing: self.end) {
                self.part(self.payload($0))
            })
    }

    /// `{"payload": <result>}`.
    static func payload(_ result: ExecutionResult) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{\"payload\":")
        writer.append(result.jsonBytes())
        writer.byte(0x7D)
        return writer.bytes
    }

    private static func part(_ json: [UInt8]) -> ByteBuffer {
        var buffer = self.partHead
        buffer.writeBytes(json)
        return buffer
    }
}
