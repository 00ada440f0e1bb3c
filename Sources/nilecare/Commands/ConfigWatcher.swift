import ArgumentParser
import Foundation
import Gateway
import Logging

/// Re-reads a `--config` file when it changes and applies its execution settings (limits,
/// introspection, batch size, downstream budget, stale-if-error, timeout) to the next requests.
/// Settings of the listener, auth and cache need a restart; a file that does not parse changes nothing.
struct ConfigWatcher {
    let path: String
    let runtime: GatewayRuntime
    let logger: Logger

    func run() async {
        await FileChangePoller { [path = self.path] in [path] }.run {
            do {
                let arguments = try ConfigFile.expand(Array(ProcessInfo.processInfo.arguments.dropFirst()))
                let command = try ServeCommand.parse(Array(arguments.dropFirst()))
                var options = try command.executionOptions()
                options.auditSink = self.runtime.current.options.auditSink
                // The limiter's state (and its Redis) belongs to the process, not to the file.
                options.rateLimiter = self.runtime.current.options.rateLimiter
                self.runtime.update(options: options)
                self.logger.info("configuration reloaded", metadata: ["path": "\(self.path)"])
            } catch {
                self.logger.error("configuration not reloaded: the settings in force stay", metadata: ["error": "\(error)"])
            }
        }
    }
}
