import NIOSSL

/// TLS towards downstream services: a client certificate for mutual TLS, and the CAs their
/// certificates are verified against (PEM files; the system's roots when none is given).
public struct DownstreamTLS: Sendable {
    public var certificatePath: String?
    public var keyPath: String?
    public var trustRootsPath: String?

    public init(certificatePath: String?, keyPath: String?, trustRootsPath: String?) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.trustRootsPath = trustRootsPath
    }

    /// The client TLS configuration (reads the PEM files).
    public func configuration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let certificatePath, let keyPath {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        }
        if let trustRootsPath { configuration.trustRoots = .file(trustRootsPath) }
        return configuration
    }
}
