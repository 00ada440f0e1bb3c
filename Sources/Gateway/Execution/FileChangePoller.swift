import Foundation

/// Polls a set of files (names, sizes, modification times) and calls back when they change: what
/// `--watch` runs on for the schema and the config file.
public struct FileChangePoller: Sendable {
    /// The files to watch, listed again at every poll (a folder's files may come and go).
    public let files: @Sendable () -> [String]
    public var interval: Duration = .milliseconds(500)

    public init(files: @escaping @Sendable () -> [String]) {
        self.files = files
    }

    /// Polls until the task is cancelled.
    public func run(onChange: () async -> Void) async {
        var seen = self.signature()
        while !Task.isCancelled {
            try? await Task.sleep(for: self.interval)
            let now = self.signature()
            guard now != seen else { continue }
            seen = now
            await onChange()
        }
    }

    func signature() -> [String] {
        self.files().map { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file) \(attributes?[.size] as? Int ?? -1) \(modified)"
        }
    }
}
