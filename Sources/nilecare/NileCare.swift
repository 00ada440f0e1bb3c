import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// The `nilecare` command line: the gateway and its developer tools.
@main
struct NileCare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nilecare",
        abstract: "NileCare Gateway: a GraphQL-first federation gateway for the NileCare platform.",
        subcommands: [
            ServeCommand.self, FixturesCommand.self, CacheCommand.self, ValidateCommand.self, ExecuteCommand.self, SchemaCommand.self, TokenCommand.self,
            OperationsCommand.self, BenchExecuteCommand.self,
        ]
    )

    /// Reads `serve --config FILE` (or `NILECARE_CONFIG`) into arguments before parsing.
    static func main() async {
        MallocTuning.apply()
        // Tasks run on NIO's event loops, where the server and the downstream client do their I/O:
        // no hop between two thread pools per request and per downstream call (BENCHMARKS.md,
        // "The uncached path"). `NILECARE_EXECUTOR=swift` keeps Swift's default pool. Done first,
        // on the main thread, before any task is made.
        if ProcessInfo.processInfo.environment["NILECARE_EXECUTOR"] != "swift" {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        do {
            await self.main(try ConfigFile.expand(Array(CommandLine.arguments.dropFirst())))
        } catch {
            self.exit(withError: ValidationError("\(error)"))
        }
    }
}
