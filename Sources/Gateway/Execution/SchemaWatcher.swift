import Foundation
import Logging

/// Watches a schema file or folder (every `.graphql` file's size and modification time, polled)
/// and reloads the runtime when it changes. A broken edit is logged with its file, line and column;
/// the schema in force stays.
public struct SchemaWatcher: Sendable {
    public let path: String
    public let runtime: GatewayRuntime
    public var interval: Duration = .milliseconds(500)
    let logger: Logger

    public init(path: String, runtime: GatewayRuntime, logger: Logger = Logger(label: "nilecare.schema")) {
        self.path = path
        self.runtime = runtime
        self.logger = logger
    }

    /// Polls until the task is cancelled.
    public func run() async {
        var seen = self.signature()
        while !Task.isCancelled {
            try? await Task.sleep(for: self.interval)
            let now = self.signature()
            guard now != seen else { continue }
            seen = now
            switch self.runtime.reload(from: self.path) {
            case .success(let schema):
                self.logger.info("schema reloaded", metadata: ["version": "\(schema.version)", "path": "\(self.path)"])
            case .failure(let error):
                self.logger.error("schema not reloaded: the schema in force stays", metadata: ["errors": "\(error.messages.joined(separator: "; "))"])
            }
        }
    }

    /// What identifies the current files: names, sizes and modification times.
    func signature() -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: self.path, isDirectory: &isDirectory) else { return [] }
        let files =
            isDirectory.boolValue
            ? ((try? manager.contentsOfDirectory(atPath: self.path)) ?? []).filter { $0.hasSuffix(".graphql") }.sorted()
                .map { (self.path as NSString).appendingPathComponent($0) } : [self.path]
        return files.map { file in
            let attributes = try? manager.attributesOfItem(atPath: file)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file) \(attributes?[.size] as? Int ?? -1) \(modified)"
        }
    }
}
