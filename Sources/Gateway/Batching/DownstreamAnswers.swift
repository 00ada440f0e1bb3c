import GraphQLEngine

/// The items of a list answer (the answer itself, or its `data` list); `nil` when the answer has
/// neither or an item is not an object: the downstream broke its contract.
func listItems(_ answer: Value) -> [Value]? {
    let items: [Value]
    switch answer {
    case .list(let list): items = list
    case .object:
        guard case .list(let list)? = answer["data"] else { return nil }
        items = list
    default: return nil
    }
    for item in items {
        guard case .object = item else { return nil }
    }
    return items
}

/// The entity of a single answer (its `data` object, or the answer itself), `.null` for none;
/// `nil` when the answer is neither an object nor null.
func singleItem(_ answer: Value) -> Value? {
    switch answer {
    case .null: return .null
    case .object:
        guard let data = answer["data"] else { return answer }
        switch data {
        case .object, .null: return data
        default: return nil
        }
    default: return nil
    }
}

/// What a field takes from an answer, by its plan: the whole envelope (a page type), the list of
/// items, or the one item; `nil` when the answer's shape is not what the field needs.
func shapedValue(_ answer: Value, for plan: FetchPlan) -> Value? {
    if plan.keepsEnvelope {
        guard case .object = answer, listItems(answer) != nil else { return nil }
        return answer
    }
    if plan.returnsList { return listItems(answer).map { .list($0) } }
    return singleItem(answer)
}

/// A key as the downstream writes it: ids may arrive as strings or numbers.
func keyString(_ value: Value) -> String? {
    switch value {
    case .string(let string): string
    case .int(let int): String(int)
    case .float(let double): double.exactInt.map { String($0) }
    default: nil
    }
}

/// Percent-encodes a key for a query string (keys are ids: anything else is escaped). A key of
/// unreserved characters only, as ids are, is returned as it is.
func percentEncode(_ key: String) -> String {
    if key.utf8.allSatisfy(isUnreserved) { return key }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(3 * key.utf8.count)
    let digits = Array("0123456789ABCDEF".utf8)
    for byte in key.utf8 {
        if isUnreserved(byte) {
            bytes.append(byte)
        } else {
            bytes.append(UInt8(ascii: "%"))
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// RFC 3986's unreserved characters: letters, digits, `-`, `_`, `.`, `~`.
@inline(__always)
private func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
        true
    default:
        false
    }
}
