import COpenSSL

/// SHA-256 through the system OpenSSL (`libssl-dev`); the only file that calls it.
enum SHA256Digest {
    /// The digest of `bytes`, as lowercase hex.
    static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            _ = COpenSSL.SHA256(input.baseAddress, input.count, &digest)
        }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func hex(_ string: String) -> String { self.hex(Array(string.utf8)) }
}
