/// The built-in scalars' coercion rules: input from literals and from variables, and result
/// serialization.
///
/// See https://spec.graphql.org/October2021/#sec-Scalars and graphql-js `src/type/scalars.ts`.
enum ScalarCoercion {
    static let maxInt = Int(Int32.max)
    static let minInt = Int(Int32.min)

    /// Coerces a literal; throws the rule's message when the literal is not accepted.
    static func parseLiteral(_ scalar: BuiltinScalar, _ node: ValueNode) throws(CoercionError) -> Value {
        switch (scalar, node.kind) {
        case (.int, .int(let text)):
            guard let int = Int(text), int >= minInt, int <= maxInt else {
                throw CoercionError("Int cannot represent non 32-bit signed integer value: \(text)")
            }
            return .int(int)
        case (.int, _): throw CoercionError("Int cannot represent non-integer value: \(printValue(node))")
        case (.float, .int(let text)), (.float, .float(let text)):
            guard let double = Double(text), double.isFinite else {
                throw CoercionError("Float cannot represent non numeric value: \(text)")
            }
            return .float(double)
        case (.float, _): throw CoercionError("Float cannot represent non numeric value: \(printValue(node))")
        case (.string, .string(let string, _)): return .string(string)
        case (.string, _): throw CoercionError("String cannot represent a non string value: \(printValue(node))")
        case (.boolean, .boolean(let bool)): return .bool(bool)
        case (.boolean, _): throw CoercionError("Boolean cannot represent a non boolean value: \(printValue(node))")
        case (.id, .string(let string, _)), (.id, .int(let string)): return .string(string)
        case (.id, _): throw CoercionError("ID cannot represent a non-string and non-integer value: \(printValue(node))")
        }
    }

    /// Coerces a variable's JSON value.
    static func parseValue(_ scalar: BuiltinScalar, _ value: Value) throws(CoercionError) -> Value {
        switch (scalar, value) {
        case (.int, .int(let int)):
            guard int >= minInt, int <= maxInt else {
                throw CoercionError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
            }
            return value
        case (.int, .float(let double)) where double.isFinite && double == double.rounded():
            guard let int = double.exactInt, int >= minInt, int <= maxInt else {
                throw CoercionError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
            }
            return .int(int)
        case (.int, _): throw CoercionError("Int cannot represent non-integer value: \(inspect(value))")
        case (.float, .int(let int)): return .float(Double(int))
        case (.float, .float(let double)) where double.isFinite: return value
        case (.float, _): throw CoercionError("Float cannot represent non numeric value: \(inspect(value))")
        case (.string, .string): return value
        case (.string, _): throw CoercionError("String cannot represent a non string value: \(inspect(value))")
        case (.boolean, .bool): return value
        case (.boolean, _): throw CoercionError("Boolean cannot represent a non boolean value: \(inspect(value))")
        case (.id, .string): return value
        case (.id, .int(let int)): return .string(String(int))
        case (.id, .float(let double)) where double.isFinite && double == double.rounded() && abs(double) < 1e18:
            return .string(formatNumber(double))
        case (.id, _): throw CoercionError("ID cannot represent value: \(inspect(value))")
        }
    }

    /// Serializes a resolved value for a result.
    static func serialize(_ scalar: BuiltinScalar, _ value: Value) throws(CoercionError) -> Value {
        switch scalar {
        case .int:
            switch value {
            case .int(let int):
                guard int >= minInt, int <= maxInt else {
                    throw CoercionError("Int cannot represent non 32-bit signed integer value (\(describeKind(value)))")
                }
                return value
            case .bool(let bool): return .int(bool ? 1 : 0)
            case .float(let double) where double.isFinite && double == double.rounded():
                guard let int = double.exactInt, int >= minInt, int <= maxInt else {
                    throw CoercionError("Int cannot represent non 32-bit signed integer value (\(describeKind(value)))")
                }
                return .int(int)
            case .string(let string) where !string.isEmpty:
                if let int = Int(string) { return try serialize(.int, .int(int)) }
                if let double = Double(string) { return try serialize(.int, .float(double)) }
                throw CoercionError("Int cannot represent non-integer value (\(describeKind(value)))")
            default: throw CoercionError("Int cannot represent non-integer value (\(describeKind(value)))")
            }
        case .float:
            switch value {
            case .int(let int): return .float(Double(int))
            case .float(let double) where double.isFinite: return value
            case .bool(let bool): return .float(bool ? 1 : 0)
            case .string(let string) where !string.isEmpty:
                if let double = Double(string), double.isFinite { return .float(double) }
                throw CoercionError("Float cannot represent non numeric value (\(describeKind(value)))")
            default: throw CoercionError("Float cannot represent non numeric value (\(describeKind(value)))")
            }
        case .string:
            switch value {
            case .string: return value
            case .bool(let bool): return .string(bool ? "true" : "false")
            case .int(let int): return .string(String(int))
            case .float(let double) where double.isFinite: return .string(formatNumber(double))
            default: throw CoercionError("String cannot represent value (\(describeKind(value)))")
            }
        case .boolean:
            switch value {
            case .bool: return value
            case .int(let int): return .bool(int != 0)
            case .float(let double) where double.isFinite: return .bool(double != 0)
            default: throw CoercionError("Boolean cannot represent a non boolean value (\(describeKind(value)))")
            }
        case .id:
            switch value {
            case .string: return value
            case .int(let int): return .string(String(int))
            case .float(let double) where double.isFinite && double == double.rounded() && abs(double) < 1e18:
                return .string(formatNumber(double))
            default: throw CoercionError("ID cannot represent value (\(describeKind(value)))")
            }
        }
    }
}

/// A coercion failure with graphql-js's message.
struct CoercionError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A number as graphql-js prints it: integral values below 1e21 without a fraction or exponent.
/// Never traps: magnitudes past `Int` are printed digit by digit.
func formatNumber(_ double: Double) -> String {
    guard double.isFinite, double == double.rounded(), abs(double) < 1e21 else { return String(double) }
    if let int = Int(exactly: double) { return String(int) }
    return integralDigits(double)
}

/// The decimal digits of an integral double of any magnitude below 1e21 (what `Int` cannot hold).
private func integralDigits(_ double: Double) -> String {
    var magnitude = abs(double)
    var digits: [UInt8] = []
    while magnitude >= 1 {
        let next = (magnitude / 10).rounded(.down)
        let digit = magnitude - next * 10
        digits.append(UInt8(ascii: "0") + UInt8(clamping: Int(exactly: digit.rounded()) ?? 0))
        magnitude = next
    }
    if digits.isEmpty { digits.append(UInt8(ascii: "0")) }
    if double < 0 { digits.append(UInt8(ascii: "-")) }
    return String(decoding: digits.reversed(), as: UTF8.self)
}

extension Double {
    /// The value as an `Int` when it is integral and representable; `nil` otherwise (never traps).
    public var exactInt: Int? { Int(exactly: self) }
}

/// What kind of value a result held, for result coercion errors: results come from downstream
/// data, and an error message must never echo that data (it may be PHI).
func describeKind(_ value: Value) -> String {
    switch value {
    case .null: "null"
    case .bool: "a boolean"
    case .int, .float: "a number"
    case .string: "a string"
    case .list: "a list"
    case .object: "an object"
    case .opaque: "an opaque value"
    }
}

/// graphql-js `inspect` (or graphql-core's, in that `MessageStyle`): a value as it appears in error messages.
func inspect(_ value: Value) -> String {
    let python = MessageStyle.current == .graphQLCore
    switch value {
    case .null: return python ? "None" : "null"
    case .bool(let bool): return python ? (bool ? "True" : "False") : (bool ? "true" : "false")
    case .int(let int): return String(int)
    case .float(let double): return formatNumber(double)
    case .string(let string): return python ? pythonRepr(string) : Value.string(string).jsonString
    case .list(let items): return "[" + items.map(inspect).joined(separator: ", ") + "]"
    case .object(let fields):
        let members = fields.sorted(by: { $0.key < $1.key })
        if python { return "{" + members.map { "\(pythonRepr($0.key)): \(inspect($0.value))" }.joined(separator: ", ") + "}" }
        return fields.isEmpty ? "{}" : "{ " + members.map { "\($0.key): \(inspect($0.value))" }.joined(separator: ", ") + " }"
    case .opaque: return python ? "<object>" : "[object]"
    }
}

/// A string as Python's `repr` prints it: single quotes unless it holds one and no double quote.
private func pythonRepr(_ string: String) -> String {
    let quote: Character = string.contains("'") && !string.contains("\"") ? "\"" : "'"
    var result = String(quote)
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where Character(scalar) == quote: result += "\\" + String(quote)
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            let hex = String(scalar.value, radix: 16)
            result += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    result.append(quote)
    return result
}
