/// Appends JSON text to a byte buffer: the one serializer for responses, values and tools.
///
/// Writes go to a growable buffer of its own (no per-byte array bookkeeping); `bytes` copies the
/// text out once. A writer is a value that owns its buffer: don't copy one while writing with it.
public struct JSONWriter {
    /// Written by one writer at a time (a writer is not shared while it writes), so its properties
    /// skip dynamic exclusivity checks (several per byte written).
    private final class Buffer {
        @exclusivity(unchecked) var base: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) var count = 0
        @exclusivity(unchecked) var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 16)
            self.base = .allocate(capacity: self.capacity)
        }

        deinit { self.base.deallocate() }

        @inline(__always)
        func reserve(_ extra: Int) {
            if self.count + extra <= self.capacity { return }
            self.grow(extra)
        }

        @inline(never)
        private func grow(_ extra: Int) {
            var capacity = self.capacity * 2
            while capacity < self.count + extra { capacity *= 2 }
            let base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            base.update(from: self.base, count: self.count)
            self.base.deallocate()
            self.base = base
            self.capacity = capacity
        }
    }

    private let buffer: Buffer

    public init(capacity: Int = 1024) {
        self.buffer = Buffer(capacity: capacity)
    }

    /// The text written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: self.buffer.base, count: self.buffer.count)) }

    /// The number of bytes written so far.
    public var count: Int { self.buffer.count }

    /// Calls `body` with the text written so far, in place (valid during the call only): for a
    /// host that copies it once into its own buffer rather than through `bytes`.
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: self.buffer.base, count: self.buffer.count))
    }

    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        self.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    public mutating func byte(_ byte: UInt8) {
        self.buffer.reserve(1)
        self.buffer.base[self.buffer.count] = byte
        self.buffer.count += 1
    }

    /// Bytes that are already JSON.
    @inline(__always)
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { self.append($0) }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        self.buffer.reserve(bytes.count)
        Self.copy(source, bytes.count, to: self.buffer.base + self.buffer.count)
        self.buffer.count += bytes.count
    }

    /// Copies `count` bytes: up to 16 by two overlapping word moves (most keys and values here are
    /// that short, and a call to `memmove` cost more than the copy), longer ones by `memmove`.
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, _ count: Int, to target: UnsafeMutablePointer<UInt8>) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        switch count {
        case 8...16:
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 0..<4:
            for offset in 0..<count { target[offset] = source[offset] }
        default:
            target.update(from: source, count: count)
        }
    }

    /// A JSON string, escaped (quotes, backslash, control characters).
    public mutating func string(_ string: String) {
        // A native string's bytes in place (a small one's copied to the stack): no copy of the string.
        let written: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in self.quoted(utf8) }
        if written == nil {
            var string = string
            string.withUTF8 { self.quoted($0) }
        }
    }

    /// The bytes of a string in quotes: room for all three parts made at once when none needs escaping.
    @inline(__always)
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = utf8.baseAddress, !Self.needsEscaping(utf8) else {
            self.byte(0x22)
            self.escaped(utf8)
            self.byte(0x22)
            return
        }
        let count = utf8.count
        self.buffer.reserve(count + 2)
        let target = self.buffer.base + self.buffer.count
        target[0] = 0x22
        Self.copy(source, count, to: target + 1)
        target[count + 1] = 0x22
        self.buffer.count += count + 2
    }

    /// Whether JSON writes `byte` of a string escaped (quotes, backslash, control characters); every
    /// other byte is written as it is.
    @inline(__always)
    static func isEscaped(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// Whether any byte of `utf8` is one JSON escapes: eight bytes at a time, then the tail's bytes.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = utf8.count
        var offset = 0
        while offset + 8 <= count {
            if Self.escapesAny(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        while offset < count {
            if Self.isEscaped(base[offset]) { return true }
            offset += 1
        }
        return false
    }

    /// Whether a byte of `word` is below 0x20, a quote or a backslash (each test exact for "any
    /// byte": a borrow only marks bytes above one that matched).
    @inline(__always)
    static func escapesAny(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let quote = (quotes &- ones) & ~quotes & highBits
        let backslash = (backslashes &- ones) & ~backslashes & highBits
        return (control | quote | backslash) != 0
    }

    /// The bytes of a string that has bytes to escape (quotes, backslash, control characters), the
    /// runs between them copied whole (`quoted` decided it needs this: no second scan first).
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var chunkStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard Self.isEscaped(byte) else { continue }
            if chunkStart < index { self.append(UnsafeBufferPointer(rebasing: utf8[chunkStart..<index])) }
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
                self.byte(hex[Int(byte >> 4)])
                self.byte(hex[Int(byte & 0xF)])
            }
        }
        if chunkStart < utf8.count {
            self.append(UnsafeBufferPointer(rebasing: utf8[chunkStart..<utf8.count]))
        }
    }

    public mutating func int(_ value: Int) {
        if value >= 0 && value < 10 {
            self.byte(0x30 + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var magnitude = value.magnitude
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                scratch[position] = 0x2D
            }
            self.append(UnsafeBufferPointer(rebasing: scratch.bindMemory(to: UInt8.self)[position...]))
        }
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
            self.append(Array(value.description.utf8))
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
            for (index, field) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { self.byte(0x2C) }
                self.string(field.key)
                self.byte(0x3A)
                self.value(field.value)
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
