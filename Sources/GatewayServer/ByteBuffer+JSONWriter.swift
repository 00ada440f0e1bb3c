import GraphQLEngine
import NIOCore

extension ByteBuffer {
    /// A response body holding what `writer` wrote, copied once (through `writer.bytes` it was
    /// copied twice: into an array, then into the buffer).
    init(json writer: JSONWriter) {
        self = writer.withBytes { ByteBuffer(bytes: $0) }
    }
}
