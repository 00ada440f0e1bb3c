import Gateway
import GraphQLEngine
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// The protocol's server messages, written as JSON text frames.
extension GraphQLWebSocketSession {
    /// `{"type":"next","id":…,"payload":<result>}`.
    func sendNext(_ id: String, _ result: ExecutionResult) async {
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{\"type\":\"next\",\"id\":")
        writer.string(id)
        writer.raw(",\"payload\":")
        writer.append(result.jsonBytes())
        writer.byte(0x7D)
        await self.write(writer.bytes)
    }

    /// `{"type":"error","id":…,"payload":[errors]}`: the operation was refused before it ran.
    func sendErrors(_ id: String, _ errors: [GraphQLError]) async {
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"type\":\"error\",\"id\":")
        writer.string(id)
        writer.raw(",\"payload\":")
        writeErrors(errors, to: &writer)
        writer.byte(0x7D)
        await self.write(writer.bytes)
    }

    func send(_ message: Value) async {
        var writer = JSONWriter(capacity: 128)
        writer.value(message)
        await self.write(writer.bytes)
    }

    /// A text frame straight from the JSON bytes (no String in between: the writer's output is UTF-8).
    private func write(_ bytes: [UInt8]) async {
        try? await self.outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))))
    }
}
