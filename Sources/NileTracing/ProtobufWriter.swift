/// The protocol buffers wire format, as much as OTLP's trace messages need: varints, fixed
/// 64/32-bit fields, doubles, strings, ids as bytes and nested messages. As in proto3, default values are
/// not written, except where `always` says so (a `oneof` member is written even when zero).
/// See https://protobuf.dev/programming-guides/encoding/.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        self.bytes.reserveCapacity(capacity)
    }

    private enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private mutating func tag(_ field: Int, _ wireType: WireType) {
        self.varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        self.bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// An `int64`/`uint32`/enum field (negative `int64` values take ten bytes, as the format says).
    mutating func varintField(_ field: Int, _ value: Int64, always: Bool = false) {
        guard value != 0 || always else { return }
        self.tag(field, .varint)
        self.varint(UInt64(bitPattern: value))
    }

    mutating func boolField(_ field: Int, _ value: Bool, always: Bool = false) {
        guard value || always else { return }
        self.tag(field, .varint)
        self.bytes.append(value ? 1 : 0)
    }

    mutating func fixed64Field(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        self.tag(field, .fixed64)
        self.littleEndian(value, byteCount: 8)
    }

    mutating func fixed32Field(_ field: Int, _ value: UInt32) {
        guard value != 0 else { return }
        self.tag(field, .fixed32)
        self.littleEndian(UInt64(value), byteCount: 4)
    }

    mutating func doubleField(_ field: Int, _ value: Double, always: Bool = false) {
        guard value.bitPattern != 0 || always else { return }
        self.tag(field, .fixed64)
        self.littleEndian(value.bitPattern, byteCount: 8)
    }

    mutating func stringField(_ field: Int, _ value: String, always: Bool = false) {
        guard !value.isEmpty || always else { return }
        self.tag(field, .lengthDelimited)
        var value = value
        value.withUTF8 { utf8 in
            self.varint(UInt64(utf8.count))
            self.bytes.append(contentsOf: utf8)
        }
    }

    /// A nested message, written by `body` into this buffer after a one-byte length placeholder;
    /// a body of 128 bytes or more moves up by the few extra bytes its length needs. No buffer
    /// of its own, no allocation.
    mutating func messageField(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        self.tag(field, .lengthDelimited)
        let lengthIndex = self.bytes.count
        self.bytes.append(0)
        body(&self)
        var length = self.bytes.count - lengthIndex - 1
        var lengthBytes = 1
        while length >> (7 * lengthBytes) != 0 { lengthBytes += 1 }
        if lengthBytes > 1 { self.bytes.insert(contentsOf: repeatElement(0, count: lengthBytes - 1), at: lengthIndex + 1) }
        for index in lengthIndex..<(lengthIndex + lengthBytes) {
            self.bytes[index] = UInt8(truncatingIfNeeded: length & 0x7F) | (index < lengthIndex + lengthBytes - 1 ? 0x80 : 0)
            length >>= 7
        }
    }

    /// A `bytes` field of 8 big-endian bytes (a span id), written in place.
    mutating func bigEndianField(_ field: Int, _ value: UInt64) {
        self.tag(field, .lengthDelimited)
        self.bytes.append(8)
        self.bigEndian(value)
    }

    /// A `bytes` field of 16 big-endian bytes (a trace id), written in place.
    mutating func bigEndianField(_ field: Int, _ high: UInt64, _ low: UInt64) {
        self.tag(field, .lengthDelimited)
        self.bytes.append(16)
        self.bigEndian(high)
        self.bigEndian(low)
    }

    private mutating func bigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { self.bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// A message already encoded (e.g. the resource, encoded once).
    mutating func encodedMessageField(_ field: Int, _ encoded: [UInt8]) {
        self.tag(field, .lengthDelimited)
        self.varint(UInt64(encoded.count))
        self.bytes.append(contentsOf: encoded)
    }

    private mutating func littleEndian(_ value: UInt64, byteCount: Int) {
        for index in 0..<byteCount {
            self.bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(index * 8)))
        }
    }
}
