import COpenSSL

/// SHA-256 through the system OpenSSL (`libssl-dev`); the only file that calls it.
enum SHA256Digest {
    /// The digest of `bytes`, as lowercase hex.
    static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            _ = COpenSSL.SHA256(input.baseAddress, input.count, &digest)
        }
        return Hex.encode(digest)
    }

    static func hex(_ string: String) -> String { self.hex(Array(string.utf8)) }
}
