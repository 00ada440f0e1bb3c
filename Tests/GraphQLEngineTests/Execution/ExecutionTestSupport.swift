import Testing

@testable import GraphQLEngine

/// Parses, validates (expecting no error) and executes; returns the response as JSON text.
func run(
    _ schema: GraphQLSchema, _ query: String, root: Value = [:], variables: [String: Value] = [:],
    operationName: String? = nil, dispatcher: (any BatchDispatcher)? = nil
) async throws -> String {
    let source = Source(query)
    let document = try Parser.parse(source)
    let errors = validate(schema: schema, document: document, source: source)
    #expect(errors.isEmpty, "validation errors: \(errors)")
    let result = await execute(
        ExecutionRequest(
            schema: schema, document: document, operationName: operationName, variables: variables, rootValue: root,
            dispatcher: dispatcher, source: source))
    return String(decoding: result.jsonBytes(), as: UTF8.self)
}
