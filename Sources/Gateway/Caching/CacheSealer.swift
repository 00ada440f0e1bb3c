import Foundation

/// Protects cache values that leave the process, with key rotation (the first key seals, every key
/// opens): PRIVATE (PHI) values are encrypted with AES-256-GCM, bound to their cache key by the
/// associated data, as `"NC1" ‖ key id ‖ nonce ‖ ciphertext ‖ tag`; PUBLIC values carry an
/// HMAC-SHA256 over key and value, under a MAC key derived from the same key.
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
    /// MAC keys by key id, derived from the encryption keys (one key set to configure).
    private let macKeys: [UInt8: [UInt8]]

    /// - Parameter keys: the sealing key first, then older keys still to be read.
    public init?(keys: [Key]) {
        guard let first = keys.first, keys.allSatisfy({ $0.bytes.count == 32 }) else { return nil }
        self.current = first
        self.keys = Dictionary(keys.map { ($0.id, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        self.macKeys = self.keys.mapValues { HMACSHA256.mac(Array("nilecare cache mac v1".utf8), key: $0) }
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

    /// Encrypts `plaintext`, bound to `binding` (the cache key): opened under another key, it fails.
    func seal(_ plaintext: [UInt8], binding: [UInt8] = []) -> [UInt8]? {
        AESGCM.seal(plaintext, key: self.current.bytes, associatedData: binding).map { Self.magic + [self.current.id] + $0 }
    }

    func open(_ sealed: some Collection<UInt8>, binding: [UInt8] = []) -> [UInt8]? {
        let sealed = Array(sealed)
        guard sealed.count > 4, Array(sealed.prefix(3)) == Self.magic, let key = self.keys[sealed[3]] else { return nil }
        return AESGCM.open(Array(sealed.dropFirst(4)), key: key, associatedData: binding)
    }

    /// `key id ‖ HMAC-SHA256(message)` under the sealing key's MAC key.
    func authenticate(_ message: [UInt8]) -> [UInt8] {
        [self.current.id] + HMACSHA256.mac(message, key: self.macKeys[self.current.id] ?? [])
    }

    /// Whether `tag` (as `authenticate` makes it) is a MAC of `message` under a key of the set.
    func verify(_ message: [UInt8], tag: some Collection<UInt8>) -> Bool {
        guard tag.count == 1 + HMACSHA256.size, let id = tag.first, let key = self.macKeys[id] else { return false }
        return HMACSHA256.equal(HMACSHA256.mac(message, key: key), tag.dropFirst())
    }
}
