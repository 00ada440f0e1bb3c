import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine

/// `nilecare schema`: schema tooling.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Schema tooling.",
        subcommands: [Print.self, OpenAPI.self]
    )

    /// `nilecare schema print`: the schema as SDL, as introspection sees it.
    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a schema as SDL.")

        @Option(help: "The schema, as SDL.")
        var schema: String

        func run() throws {
            do {
                print(printSchema(try FileInput.schema(self.schema)))
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }
    }

    /// `nilecare schema openapi`: the OpenAPI 3.1 document of a REST facade version.
    struct OpenAPI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "openapi", abstract: "Print the OpenAPI 3.1 document of the REST facade (v1 or v2) generated from the gateway schema.")

        @Option(help: "The gateway schema: a .graphql file or a folder of them.")
        var schema: String = "Schema"

        @Option(help: "v1 or v2.")
        var version: String = "v2"

        func run() throws {
            guard let version = RestVersion(rawValue: self.version) else { throw ValidationError("--version takes v1 or v2.") }
            let gatewaySchema: GatewaySchema
            do {
                gatewaySchema = try GatewaySchema(contentsOf: self.schema, services: ServiceEndpoint.serviceNames)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            var writer = JSONWriter(capacity: 32 * 1024)
            writer.value(OpenAPIDocument.make(gatewaySchema, version: version))
            print(String(decoding: writer.bytes, as: UTF8.self))
        }
    }
}
