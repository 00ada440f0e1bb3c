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
        var seen = self.signature()
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            let now = self.signature()
            guard now != seen else { continue }
            seen = now
            do {
                let arguments = try ConfigFile.expand(Array(ProcessInfo.processInfo.arguments.dropFirst()))
                let command = try ServeCommand.parse(Array(arguments.dropFirst()))
                var options = try command.executionOptions()
                options.auditSink = self.runtime.current.options.auditSink
                self.runtime.update(options: options)
                self.logger.info("configuration reloaded", metadata: ["path": "\(self.path)"])
            } catch {
                self.logger.error("configuration not reloaded: the settings in force stay", metadata: ["error": "\(error)"])
            }
        }
    }

    private func signature() -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: self.path)
        return "\(attributes?[.size] as? Int ?? -1) \((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }
}
