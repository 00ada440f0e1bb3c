import Foundation
import GraphQLEngine
import Synchronization

/// One request that read (or was refused) protected health information. It names who, what and
/// which patients, never the values.
public struct AuditRecord: Sendable, Equatable {
    public var time: Date
    public var subject: String?
    public var role: String?
    public var operationName: String?
    /// SHA-256 of the query text (the text itself may carry PHI in literals).
    public var operationHash: String
    public var patientIDs: [String]
    /// `ok`, `partial` (some fields failed or were refused), `denied` (nothing served), or `error`.
    public var outcome: String
    public var traceID: String?

    /// One JSON object (a line of a JSON-lines log).
    public var json: [UInt8] {
        var object: [String: Value] = [
            "time": .string(self.time.formatted(.iso8601)), "operationHash": .string(self.operationHash),
            "patientIds": .list(self.patientIDs.map { .string($0) }), "outcome": .string(self.outcome), "event": "phi_access",
        ]
        object["subject"] = self.subject.map { .string($0) } ?? .null
        object["role"] = self.role.map { .string($0) } ?? .null
        object["operationName"] = self.operationName.map { .string($0) } ?? .null
        object["traceId"] = self.traceID.map { .string($0) } ?? .null
        var writer = JSONWriter(capacity: 256)
        writer.value(.object(object))
        return writer.bytes
    }
}

/// Where audit records go.
public protocol AuditSink: Sendable {
    func write(_ record: AuditRecord)
}

/// Audit records as JSON lines, appended to a file or written to standard output.
public final class JSONLinesAuditSink: AuditSink {
    private let handle: Mutex<FileHandle>

    /// `path` `-` or `stdout` means standard output; a file is created if needed and appended to.
    public init(path: String) throws {
        if path == "-" || path == "stdout" {
            self.handle = Mutex(FileHandle.standardOutput)
        } else {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
                }
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            self.handle = Mutex(handle)
        }
    }

    public func write(_ record: AuditRecord) {
        let line = Data(record.json + [UInt8(ascii: "\n")])
        self.handle.withLock { try? $0.write(contentsOf: line) }
    }
}

/// Keeps records in memory (tests).
public final class MemoryAuditSink: AuditSink {
    private let storage = Mutex<[AuditRecord]>([])
    public init() {}
    public func write(_ record: AuditRecord) { self.storage.withLock { $0.append(record) } }
    public var records: [AuditRecord] { self.storage.withLock { $0 } }
}
