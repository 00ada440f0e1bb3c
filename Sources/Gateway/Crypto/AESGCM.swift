import COpenSSL

/// AES-256-GCM through the system OpenSSL (`EVP_aes_256_gcm`); the only file that calls OpenSSL's
/// cipher API. Each seal uses a fresh random 96-bit nonce.
enum AESGCM {
    static let nonceSize = 12
    static let tagSize = 16

    /// `nonce ‖ ciphertext ‖ tag`; `nil` if OpenSSL fails (the caller then does not cache).
    /// `associatedData` is authenticated, not stored: opening needs the same bytes.
    static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8] = []) -> [UInt8]? {
        guard key.count == 32 else { return nil }
        var nonce = [UInt8](repeating: 0, count: nonceSize)
        guard RAND_bytes(&nonce, Int32(nonceSize)) == 1, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0
        var total: Int32 = 0
        var tag = [UInt8](repeating: 0, count: tagSize)
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
            associatedData.isEmpty || associatedData.withUnsafeBufferPointer({ EVP_EncryptUpdate(context, nil, &length, $0.baseAddress, Int32($0.count)) }) == 1,
            plaintext.withUnsafeBufferPointer({ EVP_EncryptUpdate(context, &ciphertext, &length, $0.baseAddress, Int32($0.count)) }) == 1
        else { return nil }
        total = length
        guard ciphertext.withUnsafeMutableBufferPointer({ EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(total), &length) }) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), &tag) == 1
        else { return nil }
        total += length
        return nonce + ciphertext.prefix(Int(total)) + tag
    }

    /// The plaintext, or `nil` when the data was not sealed with `key` or was altered.
    static func open(_ sealed: [UInt8], key: [UInt8], associatedData: [UInt8] = []) -> [UInt8]? {
        guard key.count == 32, sealed.count >= nonceSize + tagSize, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let nonce = Array(sealed.prefix(nonceSize))
        let ciphertext = Array(sealed[nonceSize..<(sealed.count - tagSize)])
        var tag = Array(sealed.suffix(tagSize))
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
            associatedData.isEmpty || associatedData.withUnsafeBufferPointer({ EVP_DecryptUpdate(context, nil, &length, $0.baseAddress, Int32($0.count)) }) == 1,
            ciphertext.withUnsafeBufferPointer({ EVP_DecryptUpdate(context, &plaintext, &length, $0.baseAddress, Int32($0.count)) }) == 1
        else { return nil }
        let total = length
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &tag) == 1,
            plaintext.withUnsafeMutableBufferPointer({ EVP_DecryptFinal_ex(context, $0.baseAddress! + Int(total), &length) }) == 1
        else { return nil }
        return Array(plaintext.prefix(Int(total + length)))
    }

    /// 32 random bytes (an ephemeral key when none is configured).
    static func randomKey() -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        _ = RAND_bytes(&key, 32)
        return key
    }
}
