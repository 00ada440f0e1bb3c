import Hummingbird
import NIOCore

/// Why a request body could not be read.
enum BodyReadFailure: Error {
    /// Longer than the route's limit: 413.
    case tooLarge
    /// The HTTP framing broke while reading it (e.g. a bad chunk size): 400.
    case malformed
}

extension Request {
    /// The body, up to `limit` bytes. The rest of a refused body is read and dropped (up to
    /// 64 MiB), so a client still sending it gets the 413 instead of a stall.
    func readBody(limit: Int) async -> Result<ByteBuffer, BodyReadFailure> {
        if let declared = self.headers[.contentLength].flatMap({ Int($0) }), declared > 64 * 1024 * 1024 { return .failure(.tooLarge) }
        var body = ByteBuffer()
        var total = 0
        do {
            for try await chunk in self.body {
                total += chunk.readableBytes
                if total > 64 * 1024 * 1024 { return .failure(.tooLarge) }
                if total <= limit { body.writeImmutableBuffer(chunk) }
            }
        } catch {
            return .failure(.malformed)
        }
        return total <= limit ? .success(body) : .failure(.tooLarge)
    }
}
