import Foundation

/// The stored form of cached values: when the value stops being fresh, then its bytes (an
/// expired value is only served when the downstream fails: stale-if-error).
enum CachedValue {
    /// Stored form: "NCV1", the wall-clock millisecond the value stops being fresh (8 bytes, big
    /// endian; wall clock because replicas share the entry), then the payload.
    static func frame(_ payload: [UInt8], freshUntil: Int64) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(magic.count + 8 + payload.count)
        withUnsafeBytes(of: freshUntil.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: payload)
        return bytes
    }

    static func unframe(_ stored: [UInt8]) -> (freshUntil: Int64, payload: ArraySlice<UInt8>)? {
        guard stored.count >= magic.count + 8, stored.starts(with: magic) else { return nil }
        var freshUntil: Int64 = 0
        for byte in stored[magic.count..<(magic.count + 8)] { freshUntil = freshUntil << 8 | Int64(byte) }
        return (freshUntil, stored[(magic.count + 8)...])
    }

    private static let magic: [UInt8] = Array("NCV1".utf8)
}

/// Milliseconds since the Unix epoch.
public func wallClockMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}

extension Duration {
    var milliseconds: Int64 {
        self.components.seconds * 1000 + self.components.attoseconds / 1_000_000_000_000_000
    }
}
