import Synchronization

/// A W3C trace id: 16 bytes, never all zero.
public struct TraceID: Hashable, Sendable {
    /// The first eight bytes, big-endian.
    public let high: UInt64
    /// The last eight bytes, big-endian (what ratio sampling reads).
    public let low: UInt64

    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.init(nonZeroHigh: high, low: low)
    }

    /// An id whose `high` half is known to be non-zero.
    init(nonZeroHigh high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// 32 lowercase hex digits.
    public var hex: String { HexDigits.encode(self.high) + HexDigits.encode(self.low) }
}

/// A W3C span (parent) id: 8 bytes, never all zero.
public struct SpanID: Hashable, Sendable {
    public let value: UInt64

    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.init(nonZero: value)
    }

    init(nonZero value: UInt64) {
        self.value = value
    }

    /// 16 lowercase hex digits.
    public var hex: String { HexDigits.encode(self.value) }
}

/// Random trace, span and request ids without a system call per id: a SplitMix64 sequence from a
/// random seed, advanced atomically (ids are identifiers, not secrets).
public struct IDGenerator: ~Copyable, Sendable {
    private let state: Atomic<UInt64>

    public init(seed: UInt64 = UInt64.random(in: .min ... .max)) {
        self.state = Atomic(seed)
    }

    /// A fresh non-zero 64-bit value.
    public func next() -> UInt64 {
        while true {
            let counter = self.state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
            var mixed = counter
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            if mixed != 0 { return mixed }
        }
    }

    func traceID() -> TraceID {
        TraceID(nonZeroHigh: self.next(), low: self.next())
    }

    func spanID() -> SpanID {
        SpanID(nonZero: self.next())
    }

    /// A fresh random (version 4) UUID in lowercase text, as `UUID().uuidString.lowercased()` gives
    /// but without opening `/dev/urandom` (which Foundation does for every UUID on Linux).
    public func uuidString() -> String {
        // Version 4 in the high word, the RFC 4122 variant in the low one.
        let high = (self.next() & ~0xF000) | 0x4000
        let low = (self.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var out = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[out] = UInt8(ascii: "-")
                    out += 1
                }
                buffer[out] = HexDigits.digit(nibble < 16 ? high : low, nibble % 16)
                out += 1
            }
            return out
        }
    }
}

/// Lowercase hex of fixed-width integers, and its strict parsing.
enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The hex digit at `index` (0: most significant) of a 64-bit value.
    @inline(__always)
    static func digit(_ value: UInt64, _ index: Int) -> UInt8 {
        Self.digits[Int((value >> UInt64(60 - index * 4)) & 0xF)]
    }

    static func encode(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                buffer[index] = Self.digit(value, index)
            }
            return 16
        }
    }

    static func encode(_ value: UInt8) -> String {
        String(unsafeUninitializedCapacity: 2) { buffer in
            buffer[0] = Self.digits[Int(value >> 4)]
            buffer[1] = Self.digits[Int(value & 0xF)]
            return 2
        }
    }

    /// The value of exactly `count` lowercase hex digits at `start` (W3C forbids uppercase), or nil.
    static func decode(_ bytes: some Collection<UInt8>, from start: Int, count: Int) -> UInt64? {
        var value: UInt64 = 0
        var index = bytes.index(bytes.startIndex, offsetBy: start)
        for _ in 0..<count {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
            index = bytes.index(after: index)
        }
        return value
    }
}
