import ArgumentParser
import Foundation
import GraphQLEngine

/// `nilecare execute`: runs an operation over a JSON root value with default resolution.
struct ExecuteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Execute a GraphQL operation over a JSON root value and print the response."
    )

    @Option(help: "The schema, as SDL.")
    var schema: String

    @Option(name: .customLong("root-value"), help: "The root value, as JSON.")
    var rootValue: String?

    @Option(help: "Variable values, as a JSON object.")
    var variables: String?

    @Option(name: .customLong("operation-name"), help: "The operation to run, when the document has several.")
    var operationName: String?

    @OptionGroup var wording: WordingOption

    @ArgumentParser.Argument(help: "The operation document.")
    var document: String

    func run() async throws {
        let schema: GraphQLSchema
        let source: Source
        let rootValue: Value
        let variables: Value
        do {
            schema = try FileInput.schema(self.schema)
            source = try FileInput.source(self.document)
            rootValue = try self.rootValue.map(FileInput.json) ?? .object([:])
            variables = try self.variables.map(FileInput.json) ?? .object([:])
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let result = await MessageStyle.$current.withValue(self.wording.wording.style) {
            await executeDocument(source, schema: schema, rootValue: rootValue, variables: variables, operationName: self.operationName)
        }
        FileInput.printJSON(result.jsonBytes())
    }
}

/// Parse, validate and execute: syntax and validation errors are request errors (no `data`).
func executeDocument(
    _ source: Source, schema: GraphQLSchema, rootValue: Value, variables: Value, operationName: String?
) async -> ExecutionResult {
    let document: Document
    do {
        document = try Parser.parse(source)
    } catch {
        return ExecutionResult(requestErrors: [error.graphQLError(in: source)])
    }
    let errors = validate(schema: schema, document: document, source: source)
    guard errors.isEmpty else { return ExecutionResult(requestErrors: errors) }
    guard case .object(let variableValues) = variables else {
        return ExecutionResult(requestErrors: [GraphQLError("Variables must be provided as a JSON object.")])
    }
    return await execute(
        ExecutionRequest(
            schema: schema, document: document, operationName: operationName, variables: variableValues.dictionary,
            rootValue: rootValue, source: source))
}
