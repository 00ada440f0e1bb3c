import Foundation
import ArgumentParser

/// The `nilecare` command line: the gateway and its developer tools.
@main
struct NileCare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nilecare",
        abstract: "NileCare Gateway: a GraphQL-first federation gateway for the NileCare platform.",
        subcommands: [ServeCommand.self, FixturesCommand.self, CacheCommand.self, ValidateCommand.self, ExecuteCommand.self, SchemaCommand.self, TokenCommand.self, OperationsCommand.self]
    )

    /// Reads `serve --config FILE` (or `NILECARE_CONFIG`) into arguments before parsing.
    static func main() async {
        do {
            await self.main(try ConfigFile.expand(Array(CommandLine.arguments.dropFirst())))
        } catch {
            self.exit(withError: ValidationError("\(error)"))
        }
    }
}
