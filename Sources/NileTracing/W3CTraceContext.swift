/// The W3C Trace Context headers (`traceparent`, `tracestate`) and W3C Baggage, read strictly
/// and written canonically. See https://www.w3.org/TR/trace-context/.
enum W3CTraceContext {
    static let traceparent = "traceparent"
    static let tracestate = "tracestate"
    static let baggage = "baggage"

    /// The remote parent named by a `traceparent` value, or nil when the value is malformed
    /// (then a new trace starts, as the specification asks).
    static func parse(traceparent value: String, tracestate: String?) -> SpanContext? {
        let bytes = Array(trimmed(value.utf8))
        // version "-" trace-id "-" parent-id "-" flags: 55 characters in version 00; a later
        // version may append fields after a dash.
        guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash,
            let version = HexDigits.decode(bytes, from: 0, count: 2), version != 0xFF,
            version != 0 || bytes.count == 55, bytes.count == 55 || bytes[55] == dash,
            let high = HexDigits.decode(bytes, from: 3, count: 16), let low = HexDigits.decode(bytes, from: 19, count: 16),
            let traceID = TraceID(high: high, low: low),
            let parent = HexDigits.decode(bytes, from: 36, count: 16), let spanID = SpanID(parent),
            let flags = HexDigits.decode(bytes, from: 53, count: 2)
        else { return nil }
        return SpanContext(
            traceID: traceID, spanID: spanID, flags: UInt8(truncatingIfNeeded: flags) & 0x01,
            traceState: tracestate.flatMap(checkedTraceState), isRemote: true)
    }

    /// The `traceparent` value for `context` (version 00).
    static func format(_ context: SpanContext) -> String {
        "00-\(context.traceID.hex)-\(context.spanID.hex)-\(HexDigits.encode(context.flags & 0x01))"
    }

    /// `tracestate` as received when it is well-formed (at most 32 `key=value` members, 512
    /// characters, printable ASCII), else nil: a malformed one is dropped, the trace kept.
    static func checkedTraceState(_ value: String) -> String? {
        let bytes = trimmed(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 512 else { return nil }
        var members = 0
        for member in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            let member = trimmed(member)
            if member.isEmpty { continue }
            members += 1
            guard members <= 32, let equals = member.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let key = member[member.startIndex..<equals]
            let memberValue = member[member.index(after: equals)...]
            guard !key.isEmpty, key.count <= 256, key.allSatisfy(isKeyByte),
                !memberValue.isEmpty, memberValue.count <= 256, memberValue.allSatisfy(isValueByte)
            else { return nil }
        }
        return members > 0 ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// `baggage` as received when it fits W3C Baggage's limits (8,192 bytes, printable ASCII), else nil.
    static func checkedBaggage(_ value: String) -> String? {
        let bytes = trimmed(value.utf8)
        guard !bytes.isEmpty, bytes.count <= 8192, bytes.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let dash = UInt8(ascii: "-")

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: "@")
    }

    private static func isValueByte(_ byte: UInt8) -> Bool {
        (0x20...0x7E).contains(byte) && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
    }

    private static func trimmed<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[first...last]
    }
}
