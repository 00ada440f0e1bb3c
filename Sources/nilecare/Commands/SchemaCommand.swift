import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine

/// `nilecare schema`: schema tooling.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Schema tooling.",
        subcommands: [Print.self, Diff.self, OpenAPI.self]
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
            let gatewaySchema = try FileInput.gatewaySchema(self.schema)
            var writer = JSONWriter(capacity: 32 * 1024)
            writer.value(OpenAPIDocument.make(gatewaySchema, version: version))
            print(String(decoding: writer.bytes, as: UTF8.self))
        }
    }

    /// `nilecare schema diff OLD NEW`: breaking, dangerous and safe changes between two schemas.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report breaking, dangerous and safe changes from one schema to another (exit 1 when any is breaking).",
            discussion: "OLD and NEW are SDL files or folders of them. Example: nilecare schema diff main-schema/ Schema/ --format json")

        @ArgumentParser.Argument(help: "The schema clients use today.")
        var old: String

        @ArgumentParser.Argument(help: "The schema to compare with it.")
        var new: String

        @Option(help: "text or json.")
        var format: String = "text"

        @Option(help: "OLD and NEW are this subgraph's SDL (e.g. insurance): report what in NEW breaks the gateway schema.")
        var subgraph: String?

        @Option(help: "With --subgraph: the gateway schema the subgraph's change is checked against.")
        var gatewaySchema: String = "Schema"

        func run() throws {
            if let subgraph = self.subgraph { return try self.subgraphDiff(subgraph) }
            let before: GraphQLSchema
            let after: GraphQLSchema
            do {
                before = try FileInput.schema(self.old)
                after = try FileInput.schema(self.new)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let changes = findSchemaChanges(from: before, to: after)
            if self.format == "json" {
                var writer = JSONWriter(capacity: 1024)
                writer.value([
                    "breaking": .int(changes.filter { $0.criticality == .breaking }.count),
                    "changes": .list(
                        changes.map {
                            ["criticality": .string($0.criticality.rawValue), "type": .string($0.type), "path": .string($0.path), "message": .string($0.message)]
                        }),
                ])
                FileInput.printJSON(writer.bytes)
            } else {
                for change in changes { print("\(change.criticality.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(change.path): \(change.message)") }
                if changes.isEmpty { print("no changes") }
            }
            if changes.contains(where: { $0.criticality == .breaking }) { throw ExitCode(1) }
        }
    }
}

extension SchemaCommand.Diff {
    /// A subgraph's change against the gateway schema: the problems its NEW SDL gives our schema
    /// that OLD did not (a field it lost, a type it loosened, a key it dropped), all breaking.
    func subgraphDiff(_ service: String) throws {
        let breaks: [String]
        do {
            let old = try String(contentsOfFile: self.old, encoding: .utf8)
            let new = try String(contentsOfFile: self.new, encoding: .utf8)
            breaks = try GatewaySchema.subgraphBreaks(schemaAt: self.gatewaySchema, service: service, old: old, new: new)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        if self.format == "json" {
            var writer = JSONWriter(capacity: 1024)
            writer.value([
                "breaking": .int(breaks.count),
                "changes": .list(
                    breaks.map { ["criticality": "breaking", "type": "SUBGRAPH_BREAKS_GATEWAY", "path": .string(service), "message": .string($0)] }),
            ])
            FileInput.printJSON(writer.bytes)
        } else {
            for message in breaks { print("breaking  \(service): \(message)") }
            if breaks.isEmpty { print("no change of the \(service) subgraph breaks the gateway schema") }
        }
        if !breaks.isEmpty { throw ExitCode(1) }
    }
}
