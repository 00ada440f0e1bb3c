import Foundation
import GraphQLEngine
import RedisClient
import Synchronization

/// Checks events that downstream services post to `POST /webhooks/events`:
///
/// - `X-NileCare-Timestamp`: the sending time, Unix seconds, within `tolerance` of ours;
/// - `X-NileCare-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` (several
///   comma-separated during a secret rotation; one matching any configured secret suffices);
/// - the body `{"id": …, "topic": …, "entity": {…}}`: an `id` seen before (within twice the
///   tolerance, across replicas when Redis is shared) is a replay and refused.
public struct WebhookVerifier: Sendable {
    public enum Outcome: Sendable, Equatable {
        case accepted(GatewayEvent)
        /// Bad signature or stale timestamp (401).
        case unauthenticated(String)
        /// A malformed body or an unknown topic (422).
        case invalid(String)
        /// This event id was delivered already (409).
        case replay(String)
    }

    let secrets: [[UInt8]]
    let tolerance: TimeInterval
    let topics: Set<String>
    let replays: WebhookReplayGuard
    let origin: String
    var now: @Sendable () -> Date = { Date() }

    public init(secrets: [String], tolerance: TimeInterval = 300, topics: Set<String>, replays: WebhookReplayGuard, origin: String) {
        self.secrets = secrets.map { Array($0.utf8) }
        self.tolerance = tolerance
        self.topics = topics
        self.replays = replays
        self.origin = origin
    }

    /// The signature a sender puts in `X-NileCare-Signature` (for senders and tests).
    public static func signature(body: [UInt8], timestamp: Int, secret: String) -> String {
        "v1=" + Hex.encode(HMACSHA256.mac(Array("\(timestamp).".utf8) + body, key: Array(secret.utf8)))
    }

    public func verify(body: [UInt8], timestamp: String?, signature: String?) async -> Outcome {
        guard let timestamp, let seconds = Int(timestamp.trimmingCharacters(in: .whitespaces)) else {
            return .unauthenticated("Missing or malformed X-NileCare-Timestamp (Unix seconds).")
        }
        guard abs(self.now().timeIntervalSince1970 - Double(seconds)) <= self.tolerance else {
            return .unauthenticated("X-NileCare-Timestamp is more than \(Int(self.tolerance)) s from the gateway's clock.")
        }
        let signed = Array("\(seconds).".utf8) + body
        let offered = (signature ?? "").split(separator: ",").compactMap { part -> [UInt8]? in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("v1=") else { return nil }
            return Hex.decode(trimmed.dropFirst(3))
        }
        let valid = self.secrets.contains { secret in
            let expected = HMACSHA256.mac(signed, key: secret)
            return offered.contains { HMACSHA256.equal($0, expected) }
        }
        guard valid else { return .unauthenticated("X-NileCare-Signature does not verify.") }
        guard let value = try? JSONReader.parse(body, maxDepth: 64), case .string(let id)? = value["id"], !id.isEmpty, id.utf8.count <= 200,
            case .string(let topic)? = value["topic"], case .object? = value["entity"], let entity = value["entity"]
        else { return .invalid("The body must be {\"id\": string, \"topic\": string, \"entity\": object}.") }
        guard self.topics.contains(topic) else {
            return .invalid("Unknown topic; the schema's topics are \(self.topics.sorted().joined(separator: ", ")).")
        }
        guard await self.replays.firstSighting(of: id, within: self.tolerance * 2) else {
            return .replay("Event \(id) was delivered already.")
        }
        return .accepted(GatewayEvent(topic: topic, entity: entity, id: id, origin: self.origin))
    }
}
