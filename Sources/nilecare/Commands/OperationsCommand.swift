import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine

/// `nilecare operations`: trusted-documents tooling.
struct OperationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operations", abstract: "Trusted-documents tooling.", subcommands: [Extract.self])

    /// `nilecare operations extract DIR…`: every operation of the `.graphql` files under the folders
    /// (fragments may live in any of them), validated against the gateway schema, as an Apollo
    /// persisted query list: `{"format": "apollo-persisted-query-manifest", "version": 1,
    /// "operations": [{"id": sha256(body), "name", "type", "body"}]}`. Exit 1 on any invalid operation.
    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a trusted-documents manifest from .graphql files, validating every operation against the schema.")

        @ArgumentParser.Argument(help: "Folders (or files) of .graphql operations.")
        var paths: [String]

        @Option(help: "The gateway schema: a .graphql file or a folder of them.")
        var schema: String = "Schema"

        @Option(help: "Where to write the manifest (default: standard output).")
        var output: String?

        func run() throws {
            let gatewaySchema = try FileInput.gatewaySchema(self.schema)
            var problems: [String] = []
            let files = try Self.parseFiles(self.paths, problems: &problems)
            var fragments: [String: FragmentDefinition] = [:]
            for file in files { fragments.merge(file.document.fragments) { first, _ in first } }
            var operations: [Value] = []
            for file in files {
                for operation in file.document.operations {
                    if let entry = Self.entry(operation, in: file, fragments: fragments, schema: gatewaySchema.schema, problems: &problems) {
                        operations.append(entry)
                    }
                }
            }
            guard problems.isEmpty else {
                FileHandle.standardError.write(Data((problems.joined(separator: "\n") + "\n").utf8))
                throw ExitCode(1)
            }
            var writer = JSONWriter(capacity: 4096)
            writer.value(["format": "apollo-persisted-query-manifest", "version": 1, "operations": .list(operations)])
            let text = String(decoding: writer.bytes, as: UTF8.self) + "\n"
            if let output = self.output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(text, terminator: "")
            }
        }

        struct ParsedFile {
            let path: String
            let source: Source
            let document: Document
        }

        static func parseFiles(_ paths: [String], problems: inout [String]) throws -> [ParsedFile] {
            var files: [ParsedFile] = []
            for path in try Self.graphQLFiles(paths) {
                let source = Source(try String(contentsOfFile: path, encoding: .utf8), name: path)
                do {
                    files.append(ParsedFile(path: path, source: source, document: try Parser.parse(source)))
                } catch let error as SyntaxError {
                    problems.append(Self.describe(error.graphQLError(in: source), path))
                } catch {
                    problems.append("\(path): \(error)")
                }
            }
            return files
        }

        /// The manifest entry of one operation, or `nil` with its validation errors in `problems`
        /// (located in the file the operation came from).
        static func entry(
            _ operation: OperationDefinition, in file: ParsedFile, fragments: [String: FragmentDefinition], schema: GraphQLSchema,
            problems: inout [String]
        ) -> Value? {
            let body = Self.body(operation, fragments: fragments)
            let source = Source(body, name: file.path)
            guard let standalone = try? Parser.parse(source) else { return nil }
            let errors = GraphQLEngine.validate(schema: schema, document: standalone, source: source)
            guard errors.isEmpty else {
                let location = file.source.location(of: operation.location.start)
                let name = operation.name?.value ?? "anonymous operation"
                for error in errors { problems.append("\(file.path):\(location.line):\(location.column): \(name): \(error.message)") }
                return nil
            }
            let nameValue: Value = operation.name.map { .string($0.value) } ?? .null
            return ["id": .string(TrustedDocuments.id(of: body)), "name": nameValue, "type": .string(operation.operation.rawValue), "body": .string(body)]
        }

        /// The operation's text followed by every fragment it uses (directly or not), each once.
        static func body(_ operation: OperationDefinition, fragments: [String: FragmentDefinition]) -> String {
            var used: [String] = []
            var pending = [operation.selectionSet]
            while let selectionSet = pending.popLast() {
                for name in Self.spreads(selectionSet) where !used.contains(name) {
                    guard let fragment = fragments[name] else { continue }
                    used.append(name)
                    pending.append(fragment.selectionSet)
                }
            }
            return ([Printer.print(operation)] + used.sorted().compactMap { fragments[$0].map(Printer.print) }).joined(separator: "\n\n")
        }

        private static func spreads(_ selectionSet: SelectionSet) -> [String] {
            var names: [String] = []
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    if let inner = field.selectionSet { names += Self.spreads(inner) }
                case .inlineFragment(let fragment): names += Self.spreads(fragment.selectionSet)
                case .fragmentSpread(let spread): names.append(spread.name.value)
                }
            }
            return names
        }

        static func graphQLFiles(_ paths: [String]) throws -> [String] {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("\(path) does not exist.") }
                guard isDirectory.boolValue else {
                    files.append(path)
                    continue
                }
                let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                files += found.filter { $0.hasSuffix(".graphql") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            }
            return files
        }

        private static func describe(_ error: GraphQLError, _ path: String) -> String {
            let location = error.locations.first.map { "\($0.line):\($0.column)" } ?? "1:1"
            return "\(path):\(location): \(error.message)"
        }
    }
}
