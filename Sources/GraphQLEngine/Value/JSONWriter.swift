/// Appends JSON text to a byte buffer: the one serializer for responses, values and tools.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) {
        self.bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        self.bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public mutating func byte(_ byte: UInt8) { self.bytes.append(byte) }

    /// A JSON string, escaped (quotes, backslash, control characters).
    public mutating func string(_ string: String) {
        self.bytes.append(0x22)
        var string = string
        string.withUTF8 { utf8 in
            var chunkStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                if chunkStart < index { self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<index])) }
                chunkStart = index + 1
                switch byte {
                case 0x22: self.raw("\\\"")
                case 0x5C: self.raw("\\\\")
                case 0x0A: self.raw("\\n")
                case 0x0D: self.raw("\\r")
                case 0x09: self.raw("\\t")
                case 0x08: self.raw("\\b")
                case 0x0C: self.raw("\\f")
                default:
                    self.raw("\\u00")
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    self.bytes.append(hex[Int(byte >> 4)])
                    self.bytes.append(hex[Int(byte & 0xF)])
                }
            }
            if chunkStart < utf8.count {
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<utf8.count]))
            }
        }
        self.bytes.append(0x22)
    }

    public mutating func int(_ value: Int) {
        if value >= 0 && value < 10 {
            self.bytes.append(0x30 + UInt8(value))
            return
        }
        self.bytes.append(contentsOf: String(value).utf8)
    }

    /// A float as JSON: integral values without a fraction, non-finite values as `null`.
    public mutating func float(_ value: Double) {
        guard value.isFinite else {
            self.raw("null")
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            self.int(Int(value))
        } else {
            self.bytes.append(contentsOf: value.description.utf8)
        }
    }

    public mutating func bool(_ value: Bool) { value ? self.raw("true") : self.raw("false") }

    /// Any value; object keys sorted so output is deterministic. Opaque values print as `null`.
    public mutating func value(_ value: Value) {
        switch value {
        case .null, .opaque: self.raw("null")
        case .bool(let bool): self.bool(bool)
        case .int(let int): self.int(int)
        case .float(let double): self.float(double)
        case .string(let string): self.string(string)
        case .list(let items):
            self.byte(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { self.byte(0x2C) }
                self.value(item)
            }
            self.byte(0x5D)
        case .object(let fields):
            self.byte(0x7B)
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { self.byte(0x2C) }
                self.string(key)
                self.byte(0x3A)
                self.value(fields[key]!)
            }
            self.byte(0x7D)
        }
    }
}

extension Value {
    /// The value as compact JSON text.
    public var jsonString: String {
        var writer = JSONWriter(capacity: 64)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
