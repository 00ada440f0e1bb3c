import Foundation
import GraphQLEngine

/// Something that happened, for subscriptions: a topic (`appointment.changed`) and the entity it
/// is about, as its service returned it. Subscribers' selections are resolved from the entity.
public struct GatewayEvent: Sendable, Equatable {
    public let topic: String
    public let entity: Value
    /// Unique per event: a webhook delivery retried with the same id is refused as a replay.
    public let id: String
    /// The replica that published it (a replica skips its own events coming back through Redis).
    public let origin: String

    public init(topic: String, entity: Value, id: String = UUID().uuidString, origin: String) {
        self.topic = topic
        self.entity = entity
        self.id = id
        self.origin = origin
    }

    /// `{"topic":…,"id":…,"origin":…,"entity":…}`.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.value(["topic": .string(self.topic), "id": .string(self.id), "origin": .string(self.origin), "entity": self.entity])
        return writer.bytes
    }

    /// Reads `jsonBytes`; `nil` for anything else.
    public init?(json: [UInt8]) {
        guard let value = try? JSONReader.parse(json, maxDepth: 64), case .string(let topic)? = value["topic"],
            case .string(let id)? = value["id"], case .string(let origin)? = value["origin"], let entity = value["entity"]
        else { return nil }
        self.init(topic: topic, entity: entity, id: id, origin: origin)
    }
}
