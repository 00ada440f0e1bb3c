import Foundation

/// Encrypts PRIVATE (PHI) cache values at rest with AES-256-GCM, with key rotation: the first key
/// seals, every key opens. A sealed value is `"NC1" ‖ key id ‖ nonce ‖ ciphertext ‖ tag`.
public struct CacheSealer: Sendable {
    public struct Key: Sendable {
        public let id: UInt8
        public let bytes: [UInt8]

        public init(id: UInt8, bytes: [UInt8]) {
            self.id = id
            self.bytes = bytes
        }
    }

    private static let magic: [UInt8] = Array("NC1".utf8)
    private let current: Key
    private let keys: [UInt8: [UInt8]]

    /// - Parameter keys: the sealing key first, then older keys still to be read.
    public init?(keys: [Key]) {
        guard let first = keys.first, keys.allSatisfy({ $0.bytes.count == 32 }) else { return nil }
        self.current = first
        self.keys = Dictionary(keys.map { ($0.id, $0.bytes) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses `ID:BASE64[,ID:BASE64...]` (ids 0-255, keys of 32 bytes), the sealing key first.
    public init?(configuration: String) {
        var keys: [Key] = []
        for entry in configuration.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = UInt8(parts[0].trimmingCharacters(in: .whitespaces)),
                let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)), data.count == 32
            else { return nil }
            keys.append(Key(id: id, bytes: [UInt8](data)))
        }
        self.init(keys: keys)
    }

    /// A sealer with a random key of this process only (entries unreadable by other replicas).
    public static func ephemeral() -> CacheSealer {
        CacheSealer(keys: [Key(id: 0, bytes: AESGCM.randomKey())])!
    }

    func seal(_ plaintext: [UInt8]) -> [UInt8]? {
        AESGCM.seal(plaintext, key: self.current.bytes).map { Self.magic + [self.current.id] + $0 }
    }

    func open(_ sealed: [UInt8]) -> [UInt8]? {
        guard sealed.count > 4, Array(sealed.prefix(3)) == Self.magic, let key = self.keys[sealed[3]] else { return nil }
        return AESGCM.open(Array(sealed.dropFirst(4)), key: key)
    }
}
