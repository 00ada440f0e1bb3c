import NIOCore
import NIOEmbedded
import Testing

@testable import RedisClient

@Suite("RedisClient: RESP decoding and pipelining")
struct RESPDecoderTests {
    @Test("replies split across reads decode once complete, in order")
    func decodesSplitReplies() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        try channel.writeInbound(ByteBuffer(string: "+OK\r\n:42\r\n$5\r\nhel"))
        #expect(try channel.readInbound(as: RESPValue.self) == .simpleString("OK"))
        #expect(try channel.readInbound(as: RESPValue.self) == .integer(42))
        #expect(try channel.readInbound(as: RESPValue.self) == nil)
        try channel.writeInbound(ByteBuffer(string: "lo\r\n*3\r\n$1\r\na\r\n$-1\r\n-ERR bad\r\n"))
        #expect(try channel.readInbound(as: RESPValue.self) == .bulkString(Array("hello".utf8)))
        #expect(try channel.readInbound(as: RESPValue.self) == .array([.bulkString(Array("a".utf8)), .bulkString(nil), .error("ERR bad")]))
    }

    @Test("a protocol violation is an error, not a crash")
    func rejectsGarbage() {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(RESPDecoder()))
        #expect(throws: (any Error).self) { try channel.writeInbound(ByteBuffer(string: "?what\r\n")) }
    }

    @Test("commands encode as RESP arrays of bulk strings, binary-safe")
    func encodes() {
        let encoded = encodeCommand([Array("SET".utf8), Array("k".utf8), [0, 13, 10, 255]])
        #expect(encoded == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + [0, 13, 10, 255] + Array("\r\n".utf8))
    }

    @Test("each reply completes the oldest waiting command; a timed-out command's reply is dropped")
    func pipelinesInOrder() throws {
        let channel = EmbeddedChannel(handlers: [ByteToMessageHandler(RESPDecoder()), RedisCommandHandler()])
        let loop = channel.embeddedEventLoop
        let first = loop.makePromise(of: RESPValue.self)
        let second = loop.makePromise(of: RESPValue.self)
        let third = loop.makePromise(of: RESPValue.self)
        try channel.writeOutbound(RedisCommand(encoded: encodeCommand([Array("GET".utf8)]), promise: first, timeout: .milliseconds(10)))
        try channel.writeOutbound(RedisCommand(encoded: encodeCommand([Array("GET".utf8)]), promise: second, timeout: .seconds(10)))
        loop.advanceTime(by: .milliseconds(20))
        #expect(throws: RedisError.timeout) { try first.futureResult.wait() }
        try channel.writeOutbound(RedisCommand(encoded: encodeCommand([Array("GET".utf8)]), promise: third, timeout: .seconds(10)))
        try channel.writeInbound(ByteBuffer(string: "$1\r\na\r\n$1\r\nb\r\n-ERR c\r\n"))
        #expect(try second.futureResult.wait() == .bulkString(Array("b".utf8)))
        #expect(throws: RedisError.server("ERR c")) { try third.futureResult.wait() }
    }
}
