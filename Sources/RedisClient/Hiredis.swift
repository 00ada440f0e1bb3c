import CHiredis

/// The only file that touches hiredis (RESP2, as Debian's hiredis 0.14 and Redis without
/// `HELLO 3` speak it): RESP parsing with `redisReader` and command encoding
/// with `redisFormatCommandArgv`. Every pointer is owned here and freed beside its allocation.
final class HiredisReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        // redisReaderCreate only fails when out of memory.
        self.reader = redisReaderCreate()!
    }

    deinit { redisReaderFree(self.reader) }

    /// Feeds bytes read from the socket.
    func feed(_ bytes: UnsafeRawBufferPointer) throws(RedisError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if redisReaderFeed(self.reader, base.assumingMemoryBound(to: CChar.self), bytes.count) != REDIS_OK {
            throw RedisError.protocolError(self.errorText)
        }
    }

    /// The next complete reply, or `nil` when more bytes are needed.
    func nextReply() throws(RedisError) -> RESPValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(self.reader, &reply) == REDIS_OK else {
            throw RedisError.protocolError(self.errorText)
        }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return Self.convert(reply.assumingMemoryBound(to: redisReply.self))
    }

    private var errorText: String {
        withUnsafeBytes(of: self.reader.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let value = reply.pointee
        func text() -> String {
            guard let str = value.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: Int(value.len)), as: UTF8.self)
        }
        switch value.type {
        case REDIS_REPLY_STATUS: return .simpleString(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_NIL: return .bulkString(nil)
        case REDIS_REPLY_STRING:
            guard let str = value.str else { return .bulkString([]) }
            return .bulkString(Array(UnsafeRawBufferPointer(start: str, count: Int(value.len))))
        case REDIS_REPLY_ARRAY:
            guard let elements = value.element else { return .array([]) }
            return .array((0..<Int(value.elements)).map { elements[$0].map(convert) ?? .bulkString(nil) })
        default: return .error("unsupported reply type \(value.type)")
        }
    }
}

/// Encodes a command (its arguments as bytes) as RESP with hiredis.
func encodeCommand(_ arguments: [[UInt8]]) -> [UInt8] {
    var pointers: [UnsafePointer<CChar>?] = []
    var lengths: [Int] = []
    var storage: [UnsafeMutableRawPointer] = []
    defer { storage.forEach { $0.deallocate() } }
    for argument in arguments {
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(argument.count, 1), alignment: 1)
        storage.append(copy)
        argument.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(copy), byteCount: argument.count) }
        pointers.append(UnsafePointer(copy.assumingMemoryBound(to: CChar.self)))
        lengths.append(argument.count)
    }
    var target: UnsafeMutablePointer<CChar>?
    let length = redisFormatCommandArgv(&target, Int32(arguments.count), &pointers, lengths)
    guard length > 0, let target else { return [] }
    defer { redisFreeCommand(target) }
    return Array(UnsafeRawBufferPointer(start: target, count: Int(length)))
}
