import Hummingbird
import NIOCore

extension Request {
    /// The body, or `nil` when it is longer than `limit`. The rest of a refused body is read and
    /// dropped (up to 64 MiB), so a client still sending it gets the 413 instead of a stall.
    func readBody(limit: Int) async -> ByteBuffer? {
        if let declared = self.headers[.contentLength].flatMap({ Int($0) }), declared > 64 * 1024 * 1024 { return nil }
        var body = ByteBuffer()
        var total = 0
        do {
            for try await chunk in self.body {
                total += chunk.readableBytes
                if total > 64 * 1024 * 1024 { return nil }
                if total <= limit { body.writeImmutableBuffer(chunk) }
            }
        } catch {
            return nil
        }
        return total <= limit ? body : nil
    }
}
