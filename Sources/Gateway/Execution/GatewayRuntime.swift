import Synchronization

/// The executor requests run on, swapped atomically when the schema is reloaded: a request keeps
/// the executor it started with, the next one gets the new schema. Downstream client, options,
/// cache store and subscription hub are shared across reloads (cache keys carry the schema version).
public final class GatewayRuntime: Sendable {
    private let state: Mutex<GatewayExecutor>
    private let reloads = Mutex(0)

    public init(_ executor: GatewayExecutor) {
        self.state = Mutex(executor)
    }

    /// The executor of the schema in force.
    public var current: GatewayExecutor { self.state.withLock { $0 } }

    /// Schemas loaded since start.
    public var reloadCount: Int { self.reloads.withLock { $0 } }

    /// Builds the schema at `path` and, if it loads (and still fits the subgraph SDLs the schema in
    /// force was checked against), serves it from the next request on; a schema with errors
    /// changes nothing and its errors (`file:line:column: message`) are returned.
    @discardableResult
    public func reload(from path: String) -> Result<GatewaySchema, GatewaySchemaError> {
        let old = self.current
        let schema: GatewaySchema
        do {
            schema = try GatewaySchema(contentsOf: path, services: old.client.serviceNames, subgraphs: old.gatewaySchema.subgraphs)
        } catch let error as GatewaySchemaError {
            return .failure(error)
        } catch {
            return .failure(GatewaySchemaError(messages: ["\(error)"]))
        }
        let executor = GatewayExecutor(
            schema: schema, client: old.client, options: old.options, cacheStore: old.cache?.store, sealer: old.cache?.sealer,
            subscriptions: old.subscriptions)
        self.state.withLock { $0 = executor }
        self.reloads.withLock { $0 += 1 }
        // Open subscriptions were planned against the old schema: they end, and clients subscribe again.
        old.subscriptions?.endAll(message: "The schema was reloaded: subscribe again.", code: "SCHEMA_RELOADED")
        return .success(schema)
    }

    /// Serves the next requests with `options` (same schema, client and cache store).
    public func update(options: ExecutionOptions) {
        let old = self.current
        let executor = GatewayExecutor(
            schema: old.gatewaySchema, client: old.client, options: options, cacheStore: old.cache?.store, sealer: old.cache?.sealer,
            subscriptions: old.subscriptions)
        self.state.withLock { $0 = executor }
    }
}
