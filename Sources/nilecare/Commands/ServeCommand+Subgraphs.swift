import ArgumentParser
import Foundation
import Gateway
import GraphQLEngine
import Logging

extension ServeCommand {
    /// The schema checked against the SDL of every subgraph it routes to: `--subgraph-sdl NAME=FILE`,
    /// the embedded fixture's, or the running subgraph's `_service { sdl }`. A schema that does not
    /// fit refuses to start (`file:line:column` errors naming the subgraph); a subgraph that cannot
    /// be asked is logged and left unchecked (it may come up after the gateway).
    func checkedAgainstSubgraphs(
        _ schema: GatewaySchema, client: DownstreamClient, embeddedSDL: [String: String], logger: Logger
    ) async throws -> GatewaySchema {
        if schema.subgraphServices.isEmpty { return schema }
        var files: [String: String] = [:]
        for entry in self.subgraphSDLFiles {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { throw ValidationError("--subgraph-sdl takes NAME=FILE.") }
            guard let data = FileManager.default.contents(atPath: parts[1]) else { throw ValidationError("--subgraph-sdl: cannot read \(parts[1]).") }
            files[parts[0]] = String(decoding: data, as: UTF8.self)
        }
        var subgraphs: [SubgraphSDL] = []
        for service in schema.subgraphServices.sorted() {
            let text: String
            if let file = files[service] {
                text = file
            } else if let embedded = embeddedSDL[service] {
                text = embedded
            } else if let asked = await Self.askSDL(service, client: client) {
                text = asked
            } else {
                logger.warning("subgraph SDL not available: its fields are not checked", metadata: ["service": "\(service)"])
                continue
            }
            do {
                subgraphs.append(try SubgraphSDL(service: service, text: text))
            } catch {
                FileHandle.standardError.write(Data("schema errors:\n\(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        do {
            return try GatewaySchema(contentsOf: self.schema, services: ServiceEndpoint.serviceNames, subgraphs: subgraphs)
        } catch let error as GatewaySchemaError {
            FileHandle.standardError.write(Data("schema errors:\n\(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `_service { sdl }` from a running subgraph, asked a few times over about five seconds.
    private static func askSDL(_ service: String, client: DownstreamClient) async -> String? {
        for attempt in 0..<10 {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(500)) }
            if let sdl = await client.subgraphSDL(service) { return sdl }
        }
        return nil
    }
}
