import Gateway
import NIOCore
import NIOPosix
import Testing

/// Answers every request with a head promising 100 bytes of body, sends a few, and stalls.
private final class StallingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"id\":\"1\""
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: head)), promise: nil)
    }
}

@Suite("Downstream: a body that stalls after its head", .timeLimit(.minutes(1)))
struct StalledBodyTests {
    @Test("the call fails at the service's timeout (the body's read is cancelled), and the client stays usable")
    func stalledBodyTimesOut() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(StallingHandler()) } }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = DownstreamClient(
            services: [ServiceEndpoint(name: "clinical", baseURL: "http://127.0.0.1:\(port)", timeout: .milliseconds(300))], breakerPolicy: nil,
            maxRetries: 0)
        for _ in 0..<2 {
            await #expect(throws: DownstreamError.timeout("clinical")) {
                try await client.get("clinical", "/api/v1/patients", headers: ForwardedHeaders())
            }
        }
        try await client.shutdown()
        try await server.close()
    }
}
