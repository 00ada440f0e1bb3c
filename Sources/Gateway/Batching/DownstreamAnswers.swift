import GraphQLEngine

/// The items of a list answer: the answer itself, or its `data` list.
func unwrapItems(_ answer: Value) -> Value {
    if case .list = answer { return answer }
    if let data = answer["data"], case .list = data { return data }
    return .list([])
}

/// The entity of a single answer: its `data` object, or the answer itself.
func unwrapItem(_ answer: Value) -> Value {
    if let data = answer["data"], case .object = data { return data }
    return answer
}

/// A key as the downstream writes it: ids may arrive as strings or numbers.
func keyString(_ value: Value) -> String? {
    switch value {
    case .string(let string): string
    case .int(let int): String(int)
    case .float(let double) where double == double.rounded(): String(Int(double))
    default: nil
    }
}

/// Percent-encodes a key for a query string (keys are ids: anything else is escaped).
func percentEncode(_ key: String) -> String {
    var result = ""
    for byte in key.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            result += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return result
}
