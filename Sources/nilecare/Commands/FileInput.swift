import Foundation
import GraphQLEngine

/// Reading the files the developer tools take: bytes as they are (no newline normalisation,
/// since error lines and columns depend on them).
enum FileInput {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "Cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func source(_ path: String) throws -> Source {
        Source(bytes: try self.bytes(path), name: path)
    }

    static func schema(_ path: String) throws -> GraphQLSchema {
        let text = String(decoding: try self.bytes(path), as: UTF8.self)
        return try buildSchema(text, sourceName: path)
    }

    static func json(_ path: String) throws -> Value {
        do {
            return try JSONReader.parse(try self.bytes(path))
        } catch let error as JSONReader.Error {
            throw Failure(description: "\(path): \(error)")
        }
    }

    static func printJSON(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes + [0x0A]))
    }
}
