import Foundation

/// The stored form of cached values: `"NCV2" ‖ protection ‖ …`, where the wall-clock millisecond the
/// value stops being fresh (8 bytes, big endian: replicas share the entry) always sits inside what
/// the protection covers, so neither the value nor its freshness can be changed unnoticed:
///
/// - `plain`: `fresh ‖ json` (in-process stores only; nothing else can write them);
/// - `sealed`: AES-256-GCM of `fresh ‖ json`, bound to the entry's key (PRIVATE values);
/// - `signed`: `fresh ‖ MAC tag ‖ json`, the tag over key, fresh and json (PUBLIC values).
enum CachedValue {
    enum Protection: UInt8 {
        case plain = 0
        case sealed = 1
        case signed = 2
    }

    static let magic: [UInt8] = Array("NCV2".utf8)

    static func frame(_ protection: Protection, _ body: [UInt8]) -> [UInt8] {
        var bytes = magic
        bytes.reserveCapacity(magic.count + 1 + body.count)
        bytes.append(protection.rawValue)
        bytes.append(contentsOf: body)
        return bytes
    }

    /// The protection and the body after it; `nil` for anything not framed as above.
    static func unframe(_ stored: [UInt8]) -> (Protection, ArraySlice<UInt8>)? {
        guard stored.count > magic.count, stored.starts(with: magic), let protection = Protection(rawValue: stored[magic.count]) else { return nil }
        return (protection, stored[(magic.count + 1)...])
    }

    static func stamp(_ freshUntil: Int64) -> [UInt8] {
        withUnsafeBytes(of: freshUntil.bigEndian) { Array($0) }
    }

    /// The 8-byte stamp at the start of `bytes`, and what follows it.
    static func readStamp(_ bytes: ArraySlice<UInt8>) -> (freshUntil: Int64, rest: ArraySlice<UInt8>)? {
        guard bytes.count >= 8 else { return nil }
        var freshUntil: Int64 = 0
        for byte in bytes.prefix(8) { freshUntil = freshUntil << 8 | Int64(byte) }
        return (freshUntil, bytes.dropFirst(8))
    }
}

/// Milliseconds since the Unix epoch.
public func wallClockMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}

extension Duration {
    /// Whole milliseconds, saturating at Int64's range (a configured duration can be anything).
    var milliseconds: Int64 {
        let (whole, overflow) = self.components.seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return self.components.seconds < 0 ? .min : .max }
        let (total, overflowAgain) = whole.addingReportingOverflow(self.components.attoseconds / 1_000_000_000_000_000)
        return overflowAgain ? .max : total
    }
}
