import ArgumentParser
import Foundation
import Gateway
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

    /// A schema from an SDL file, or from every `.graphql` file of a folder (in name order).
    static func schema(_ path: String) throws -> GraphQLSchema {
        let files = self.graphQLFiles(path)
        guard files.count > 1 || files.first != path else {
            return try buildSchema(String(decoding: try self.bytes(path), as: UTF8.self), sourceName: path)
        }
        let text = try files.map { String(decoding: try self.bytes($0), as: UTF8.self) }.joined(separator: "\n")
        return try buildSchema(text, sourceName: path)
    }

    /// `path` itself, or the `.graphql` files under it (recursively, in path order) when it is a folder.
    static func graphQLFiles(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".graphql") } ?? []
        return found.sorted().map { (path as NSString).appendingPathComponent($0) }
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

    /// The gateway schema of a tool's `--schema`; its errors on standard error and exit status 2.
    static func gatewaySchema(_ path: String) throws -> GatewaySchema {
        do {
            return try GatewaySchema(contentsOf: path, services: ServiceEndpoint.serviceNames)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
