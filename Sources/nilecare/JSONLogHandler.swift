import Foundation
import GraphQLEngine
import Logging
import Synchronization

/// Log lines as JSON objects, one per line, on standard error: time, level, logger, message, and
/// every metadata value (the request id and trace id come from the metadata provider).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    private static let output = Mutex(FileHandle.standardError)

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        let metadata = event.metadata
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let metadata { merged.merge(metadata) { _, new in new } }
        var object: [String: Value] = [
            "time": .string(Date().formatted(.iso8601)), "level": .string(level.rawValue), "logger": .string(self.label),
            "message": .string(message.description),
        ]
        for (key, value) in merged where object[key] == nil { object[key] = .string("\(value)") }
        if let error = event.error { object["error"] = .string(String(describing: type(of: error))) }
        var writer = JSONWriter(capacity: 256)
        writer.value(.object(object))
        let line = Data(writer.bytes + [UInt8(ascii: "\n")])
        Self.output.withLock { $0.write(line) }
    }
}
