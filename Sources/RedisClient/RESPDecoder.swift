import NIOCore

/// Turns socket bytes into replies, hiredis doing the parsing.
final class RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue
    private let reader = HiredisReader()

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            try buffer.withUnsafeReadableBytes { try self.reader.feed($0) }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        while let reply = try self.reader.nextReply() {
            context.fireChannelRead(self.wrapInboundOut(reply))
        }
        return .needMoreData
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }
}
