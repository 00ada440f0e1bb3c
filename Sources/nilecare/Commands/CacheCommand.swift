import ArgumentParser
import Foundation
import Gateway
import RedisClient

/// `nilecare cache`: operations on the shared resolver cache.
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "Operate the shared (Redis) resolver cache.", subcommands: [Invalidate.self, Warm.self])

    /// `nilecare cache invalidate`: drops cached entries for every gateway sharing the Redis.
    struct Invalidate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop the cached entries of a field (Type.field), for one key or all keys.",
            discussion: "Example: nilecare cache invalidate --redis redis://127.0.0.1:6379 --field Patient.appointments --key 17")

        @Option(help: "The Redis the gateways share (env NILECARE_REDIS_URL).")
        var redis: String? = ProcessInfo.processInfo.environment["NILECARE_REDIS_URL"]

        @Option(help: "The field whose entries go, as Type.field (repeatable).")
        var field: [String]

        @Option(help: "Only the entries of this key (a patient id, ...); all keys without it.")
        var key: String?

        func validate() throws {
            guard let redis, RedisDeployment(url: redis) != nil else { throw ValidationError("--redis \(RedisDeployment.urlForms) is required.") }
            for field in self.field where field.split(separator: ".").count != 2 {
                throw ValidationError("--field takes Type.field, not \(field).")
            }
        }

        func run() async throws {
            let client = RedisDeployment(url: self.redis!)!.makeClient()
            defer { Task { await client.shutdown() } }
            guard await client.ping() else {
                FileHandle.standardError.write(Data("Redis at \(self.redis!) does not answer.\n".utf8))
                throw ExitCode(1)
            }
            let tags = self.field.map { field in self.key.map { "\(field):\($0)" } ?? field }
            await RedisCacheStore(client: client).invalidate(tags: tags)
            print("invalidated: \(tags.joined(separator: ", "))")
        }
    }
}
