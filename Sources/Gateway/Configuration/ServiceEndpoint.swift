/// Where a downstream service lives and how long the gateway waits for it.
public struct ServiceEndpoint: Sendable, Hashable {
    /// The name the schema's `@fetch(service:)` uses: `clinical`, `business`, `medication`, `lab`, `insurance`.
    public var name: String
    /// Scheme, host and port, without a trailing slash: `http://127.0.0.1:4001`.
    public var baseURL: String
    /// The deadline of one request to this service (connection, response and body).
    public var timeout: Duration

    public init(name: String, baseURL: String, timeout: Duration = .seconds(5)) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    /// The services of the NileCare downstream contract: four REST services and the insurance
    /// GraphQL subgraph.
    public static let serviceNames = ["clinical", "business", "medication", "lab", "insurance"]
}
