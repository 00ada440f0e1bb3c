/// Redis Cluster's key slots: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
///
/// See https://redis.io/docs/reference/cluster-spec/#key-distribution-model
public enum RedisKeySlot {
    public static let count = 16384

    /// The slot of `key`. When the key holds `{tag}` with a non-empty tag, only the tag is hashed,
    /// so keys sharing a tag share a slot (and a node).
    public static func slot(_ key: some Collection<UInt8>) -> Int {
        let key = Array(key)
        if let open = key.firstIndex(of: UInt8(ascii: "{")),
            let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            return Int(crc16(key[(open + 1)..<close]) & 0x3FFF)
        }
        return Int(crc16(key[...]) & 0x3FFF)
    }

    public static func slot(_ key: String) -> Int { self.slot(Array(key.utf8)) }

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
