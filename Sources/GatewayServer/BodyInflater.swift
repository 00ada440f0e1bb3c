import CZlib

/// Inflates a request body sent with `Content-Encoding: gzip` or `deflate`, strictly: the stream
/// must end where the body ends (a truncated gzip body, missing its trailer, is refused), and the
/// output is bounded (no zip bombs). `deflate` is the zlib format RFC 9110 names; raw deflate, which
/// some clients send under that name, is accepted too (told apart by the zlib header's checksum).
enum BodyInflater {
    enum Failure: Error, Equatable {
        /// The body inflates to more than the limit.
        case tooLarge
        /// Not a complete stream of the coding: corrupt, truncated, or followed by other bytes.
        case invalid
    }

    static func inflate(_ input: [UInt8], coding: ContentCoding, maxSize: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard nilecare_inflate_init(&stream, windowBits(input, coding)) == Z_OK else { throw .invalid }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status = Z_OK
        var input = input
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { (inputBytes) throws(Failure) in
            stream.next_in = inputBytes.baseAddress
            stream.avail_in = uInt(inputCount)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { chunkBytes -> Int in
                    stream.next_out = chunkBytes.baseAddress
                    stream.avail_out = uInt(chunkBytes.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return chunkBytes.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END || (status == Z_BUF_ERROR && produced > 0) else { throw .invalid }
                if output.count + produced > maxSize { throw .tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                // Input used up before the stream's end: truncated.
                if status != Z_STREAM_END, stream.avail_in == 0, produced == 0 { throw .invalid }
            }
            // Bytes after the end of the stream are not part of a body we understand.
            if stream.avail_in != 0 { throw .invalid }
        }
        return output
    }

    /// zlib's window bits for the coding: gzip's header, the zlib header, or raw deflate.
    private static func windowBits(_ input: [UInt8], _ coding: ContentCoding) -> Int32 {
        switch coding {
        case .gzip: return 16 + 15
        case .deflate:
            guard input.count >= 2 else { return 15 }
            let isZlibHeader = input[0] & 0x0F == 8 && input[0] >> 4 <= 7 && (UInt16(input[0]) << 8 | UInt16(input[1])) % 31 == 0
            return isZlibHeader ? 15 : -15
        }
    }
}
