/// The protocol buffers wire format, as much as OTLP's trace messages need: varints, fixed
/// 64/32-bit fields, doubles, strings, bytes and nested messages. As in proto3, default values are
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

    mutating func bytesField(_ field: Int, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        self.tag(field, .lengthDelimited)
        self.varint(UInt64(value.count))
        self.bytes.append(contentsOf: value)
    }

    /// A nested message, written by `body` into this buffer and then given its length prefix
    /// (the body is moved up by the prefix's size: one copy, no separate buffer).
    mutating func messageField(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        self.tag(field, .lengthDelimited)
        let start = self.bytes.count
        body(&self)
        let length = self.bytes.count - start
        var prefix = ProtobufWriter(capacity: 5)
        prefix.varint(UInt64(length))
        self.bytes.insert(contentsOf: prefix.bytes, at: start)
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
