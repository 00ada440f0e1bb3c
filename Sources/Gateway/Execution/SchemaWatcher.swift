import Foundation
import Logging

/// Watches a schema file or folder (every `.graphql` file's size and modification time, polled by
/// `FileChangePoller`) and reloads the runtime when it changes. A broken edit is logged with its file, line and column;
/// the schema in force stays.
public struct SchemaWatcher: Sendable {
    public let path: String
    public let runtime: GatewayRuntime
    public var interval: Duration = .milliseconds(500)
    /// Told the outcome of every reload the watcher attempts (after it is logged and applied).
    public var onReload: (@Sendable (Result<GatewaySchema, GatewaySchemaError>) -> Void)?
    let logger: Logger

    public init(path: String, runtime: GatewayRuntime, logger: Logger = Logger(label: "nilecare.schema")) {
        self.path = path
        self.runtime = runtime
        self.logger = logger
    }

    /// Polls until the task is cancelled.
    public func run() async {
        var poller = FileChangePoller { [path = self.path] in (try? GatewaySchema.files(at: path)) ?? [] }
        poller.interval = self.interval
        await poller.run {
            let outcome = self.runtime.reload(from: self.path)
            switch outcome {
            case .success(let schema):
                self.logger.info("schema reloaded", metadata: ["version": "\(schema.version)", "path": "\(self.path)"])
            case .failure(let error):
                self.logger.error("schema not reloaded: the schema in force stays", metadata: ["errors": "\(error.messages.joined(separator: "; "))"])
            }
            self.onReload?(outcome)
        }
    }
}
