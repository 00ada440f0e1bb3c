/// A Redis reply (RESP2/RESP3 types folded into the ones the gateway uses).
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// A bulk string; `nil` is Redis's null.
    case bulkString([UInt8]?)
    /// An array; `nil` is a null array.
    case array([RESPValue]?)

    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): true
        default: false
        }
    }

    /// The bytes of a bulk or simple string.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let string): Array(string.utf8)
        default: nil
        }
    }

    public var string: String? { self.bytes.map { String(decoding: $0, as: UTF8.self) } }
}
