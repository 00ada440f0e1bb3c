import ArgumentParser
import Foundation
import GraphQLEngine

/// `nilecare schema`: schema tooling.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Schema tooling.",
        subcommands: [Print.self]
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
}
