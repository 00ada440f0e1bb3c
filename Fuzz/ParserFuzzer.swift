// libFuzzer entry point: every input is parsed as a GraphQL document (and as SDL); documents that
// parse are printed, re-parsed, validated against a small schema, and executed. Any crash, hang or
// sanitizer report is a bug. Built by Fuzz/run together with the engine's sources.

let fuzzSchema: GraphQLSchema = try! buildSchema(
    """
    type Query { a(x: Int, s: String, l: [Int!], i: In): Q, b: [Q!]!, u: U, e: E }
    type Q implements N { id: ID!, a(x: Int, s: String, l: [Int!], i: In): Q, n: Int, f: Float, s: String }
    interface N { id: ID! }
    union U = Q
    enum E { ONE TWO }
    input In { a: Int, b: [In!], c: E = ONE }
    """)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = Source(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    guard let document = try? Parser.parse(source, options: ParseOptions(maxTokens: 5_000)) else { return 0 }
    let printed = Printer.print(document)
    guard let reparsed = try? Parser.parse(printed) else {
        fatalError("printed document does not parse:\n\(printed)")
    }
    if Printer.print(reparsed) != printed { fatalError("printing is not stable:\n\(printed)") }
    let errors = validate(schema: fuzzSchema, document: document, source: source)
    if errors.isEmpty {
        _ = executeSync(ExecutionRequest(schema: fuzzSchema, document: document, rootValue: ["a": ["id": "1", "n": 2]], source: source))
    }
    _ = try? buildSchema(document, source: source)
    return 0
}

/// Builds the global schema before the first input, so libFuzzer's per-input leak check does not
/// count one-time initialization.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzSchema.queryType
    return 0
}
