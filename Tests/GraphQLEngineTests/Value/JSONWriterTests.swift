import Foundation
import Testing

@testable import GraphQLEngine

@Suite("JSON writer: strings escaped exactly where JSON needs it")
struct JSONWriterTests {
    private func written(_ string: String) -> String {
        var writer = JSONWriter(capacity: 16)
        writer.string(string)
        return writer.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test("a byte to escape is found at every position of strings of every length around the word size")
    func everyPositionAndLength() throws {
        for length in 1...25 {
            for position in 0..<length {
                for special: UInt8 in [0x22, 0x5C, 0x0A, 0x00, 0x1F] {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[position] = special
                    let string = String(decoding: bytes, as: UTF8.self)
                    #expect(bytes.withUnsafeBufferPointer { JSONWriter.needsEscaping($0) })
                    let text = self.written(string)
                    // What was written reads back as the same string (Foundation's reader as the judge).
                    let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
                    #expect(decoded == string, "length \(length), byte \(special) at \(position): \(text)")
                }
            }
        }
    }

    @Test("strings of every length up to 40 are written whole, each copy size's edges included")
    func everyLength() {
        for length in 0...40 {
            let string = String((0..<length).map { Character(UnicodeScalar(UInt8(0x41 + $0 % 26))) })
            #expect(self.written(string) == "\"\(string)\"", "length \(length)")
            var writer = JSONWriter(capacity: 16)
            writer.string("x")
            writer.append(Array(string.utf8))
            #expect(writer.withBytes { String(decoding: $0, as: UTF8.self) } == "\"x\"" + string)
        }
    }

    @Test("bytes JSON writes as they are (space, non-ASCII, the bytes next to the escaped ones) are not escaped")
    func cleanStringsAreCopied() {
        let clean = ["", " ", "!#[]~", "p-42", "2024-03-01T09:30:00Z", "Ünïcödé — 東京 🩺", String(repeating: "a]", count: 40)]
        for string in clean {
            #expect(!Array(string.utf8).withUnsafeBufferPointer { JSONWriter.needsEscaping($0) }, "\(string)")
            #expect(self.written(string) == "\"\(string)\"")
        }
    }
}
