import ArgumentParser
import AsyncHTTPClient
import Foundation
import GraphQLEngine
import NIOCore
import NIOHTTP1

extension CacheCommand {
    /// `nilecare cache warm`: runs hot queries against a running gateway, filling the cache it uses.
    struct Warm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the named queries of a .graphql file against a gateway, so their data is cached.",
            discussion: "Example: nilecare cache warm --url http://127.0.0.1:4000 --file deploy/hot-queries.graphql")

        @Option(help: "The gateway's base URL.")
        var url: String = "http://127.0.0.1:4000"

        @Option(help: "The .graphql file of hot queries (named operations; variables take their defaults).")
        var file: String

        @Option(help: "The Authorization header to send (PRIVATE data is warmed for that principal only).")
        var authorization: String?

        func run() async throws {
            let text = try String(contentsOfFile: self.file, encoding: .utf8)
            let document: Document
            do {
                document = try Parser.parse(Source(text, name: self.file))
            } catch {
                throw ValidationError("\(self.file): \(error.graphQLError(in: Source(text, name: self.file)).message)")
            }
            let names = document.operations.filter { $0.operation == .query }.compactMap { $0.name?.value }
            guard !names.isEmpty else { throw ValidationError("\(self.file) has no named query to run.") }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            var failures = 0
            for name in names {
                var request = HTTPClientRequest(url: self.url + "/graphql")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-NileCare-Receipt", value: "1")
                if let authorization { request.headers.add(name: "Authorization", value: authorization) }
                var body = JSONWriter(capacity: text.utf8.count + 64)
                body.value(["query": .string(text), "operationName": .string(name)])
                request.body = .bytes(body.bytes)
                let response = try await client.execute(request, timeout: .seconds(30))
                let answer = try JSONReader.parse(Array(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024)))
                let receipt = answer["extensions"]?["receipt"]?["cache"]
                let errors = answer["errors"].map { if case .list(let list) = $0 { list.count } else { 1 } } ?? 0
                if errors > 0 || response.status.code >= 400 { failures += 1 }
                let written = receipt?["misses"].flatMap { if case .int(let count) = $0 { String(count) } else { nil } } ?? "?"
                let present = receipt?["hits"].flatMap { if case .int(let count) = $0 { String(count) } else { nil } } ?? "?"
                print("\(name): status \(response.status.code), written \(written), already cached \(present), errors \(errors)")
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
