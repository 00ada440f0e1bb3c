import Testing

@testable import GraphQLEngine

@Suite("JSONReader")
struct JSONReaderTests {
    @Test("objects nested in objects and lists keep their own members; a repeated key keeps its last value")
    func nestedObjects() throws {
        let value = try JSONReader.parse(#"{"a":{"b":1,"c":{"d":[{"e":2},{"f":3,"f":4}]},"g":5},"h":{},"a2":[]}"#)
        #expect(value == ["a": ["b": 1, "c": ["d": [["e": 2], ["f": 4]]], "g": 5], "h": [:], "a2": []])
    }

    @Test("integers stay integers, numbers with a fraction or exponent are floats, strings unescape")
    func scalars() throws {
        let value = try JSONReader.parse(#"[1, -2, 1.5, 1e3, true, false, null, "a\"b\u00e9"]"#)
        guard case .list(let items) = value else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 8)
        if case .int(1) = items[0] {} else { Issue.record("1 is not an int") }
        if case .float(1000) = items[3] {} else { Issue.record("1e3 is not a float") }
        #expect(items[7] == "a\"bé")
    }

    @Test("syntax errors name their byte offset; nesting past the limit is refused")
    func errors() {
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(#"{"a":1,}"#) }
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(#"{"a" 1}"#) }
        do {
            _ = try JSONReader.parse(#"{"a":1} x"#)
            Issue.record("trailing characters accepted")
        } catch {
            #expect(error.offset == 8)
        }
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(Array(String(repeating: "[", count: 20).utf8), maxDepth: 10) }
    }

    @Test("integers keep Int's whole range; past it they are floats")
    func integerRange() throws {
        let value = try JSONReader.parse("[9223372036854775807, -9223372036854775808, 9223372036854775808, -0, 0, 120]")
        guard case .list(let items) = value, items.count == 6 else {
            Issue.record("not a list of 6")
            return
        }
        if case .int(Int.max) = items[0] {} else { Issue.record("Int.max is \(items[0])") }
        if case .int(Int.min) = items[1] {} else { Issue.record("Int.min is \(items[1])") }
        if case .float(9_223_372_036_854_775_808) = items[2] {} else { Issue.record("Int.max + 1 is \(items[2])") }
        if case .int(0) = items[3] {} else { Issue.record("-0 is \(items[3])") }
        #expect(items[4] == 0)
        #expect(items[5] == 120)
    }

    @Test("objects with the same keys in order share a shape; keys that part ways partway, or are escaped, still read right")
    func sharedShapes() throws {
        let value = try JSONReader.parse(
            #"[{"id":1,"a":2},{"id":3,"b":4},{"id":5,"a":6},{"id":7,"b":8,"c":9},{"id":1,"a":2,"x":1},{"i\u0064":2,"a":3},{"id":4}]"#)
        guard case .list(let items) = value, items.count == 7 else {
            Issue.record("not a list of 7")
            return
        }
        #expect(items[0] == ["id": 1, "a": 2])
        #expect(items[1] == ["id": 3, "b": 4])
        #expect(items[2] == ["id": 5, "a": 6])
        #expect(items[3] == ["id": 7, "b": 8, "c": 9])
        #expect(items[4] == ["id": 1, "a": 2, "x": 1])
        #expect(items[5] == ["id": 2, "a": 3])
        #expect(items[6] == ["id": 4])
        let shapes = items.map { $0.objectValue?.shape }
        #expect(shapes[0] === shapes[2])
        #expect(shapes[0] === shapes[5])
        #expect(shapes[1] !== shapes[3])
        #expect(items[4].objectValue?.keys.map { $0 } == ["id", "a", "x"])
    }

    @Test("objects read against the shape predicted for their place keep their own keys, values and order")
    func predictedShapes() throws {
        // Two kinds of objects alternate at one depth (each under its own key of the parent); later
        // objects differ from the prediction by order, a prefix of a key, a key longer than the
        // input, a repeated key, an escaped quote, the empty key, fewer and more keys.
        let text = #"""
            [{"id":"p1","appointments":[{"at":1,"status":"OK"},{"at":2,"status":"NO"}],"medications":[{"name":"A","dose":1}]},
             {"id":"p2","appointments":[{"at":3,"status":"OK"}],"medications":[{"name":"B","dose":2},{"dose":3,"name":"C"}]},
             {"id":"p3","appointments":[{"a":4,"status":"OK"},{"at":5,"at":6,"status":"X"}],"medications":[{"name":"D","dose":4,"x":0}]},
             {"id":"p4","appointments":[{"at":7}],"medications":[{"na\"me":"E","":5}]},
             {"id":"p5","appointments":[{"at":8,"status":"OK"}],"medications":[{"name":"F","dose":6}],"extra":true},
             {"id":"p6","appointments":[{"at":9,"status":"OK"}],"medications":[{"name":"G","dose":7}]},
             {"i":"p7"},{"identifier":"p8"},{"id"}]
            """#
        #expect(throws: JSONReader.Error.self) { try JSONReader.parse(text) }
        let valid = String(text.dropLast(#",{"id"}]"#.count)) + "]"
        guard case .list(let patients) = try JSONReader.parse(valid), patients.count == 8 else {
            Issue.record("not a list of 8")
            return
        }
        func keys(_ value: Value?) -> [String] { value?.objectValue?.keys.map { $0 } ?? [] }
        #expect(patients[0] == ["id": "p1", "appointments": [["at": 1, "status": "OK"], ["at": 2, "status": "NO"]], "medications": [["name": "A", "dose": 1]]])
        #expect(patients[1]["medications"] == [["name": "B", "dose": 2], ["dose": 3, "name": "C"]])
        #expect(keys(patients[1]["medications"].flatMap { if case .list(let items) = $0 { items[1] } else { nil } }) == ["dose", "name"])
        #expect(patients[2]["appointments"] == [["a": 4, "status": "OK"], ["at": 6, "status": "X"]])
        #expect(patients[2]["medications"] == [["name": "D", "dose": 4, "x": 0]])
        #expect(patients[3]["appointments"] == [["at": 7]])
        #expect(patients[3]["medications"] == [["na\"me": "E", "": 5]])
        #expect(keys(patients[4]) == ["id", "appointments", "medications", "extra"])
        #expect(patients[5] == ["id": "p6", "appointments": [["at": 9, "status": "OK"]], "medications": [["name": "G", "dose": 7]]])
        #expect(patients[6] == ["i": "p7"])
        #expect(patients[7] == ["identifier": "p8"])
        // Objects that match their place's prediction share its shape.
        let first = patients[0]["appointments"].flatMap { if case .list(let items) = $0 { items.first } else { nil } }
        let later = patients[5]["appointments"].flatMap { if case .list(let items) = $0 { items.first } else { nil } }
        #expect(first?.objectValue?.shape === later?.objectValue?.shape)
    }

    @Test("long keys that differ from the predicted ones only past their eighth byte, or run on past them, keep their own names")
    func longPredictedKeys() throws {
        let text = #"""
            [{"appointmentsOfPatient":1,"medicationOrders":2},
             {"appointmentsOfPatiemt":3,"medicationOrders":4},
             {"appointmentsOfPatient":5,"medicationOrdersX":6},
             {"appointmentsOfPatientX":7,"medicationOrder":8},
             {"appointmentsOfPatient":9,"medicationOrders":10}]
            """#
        guard case .list(let items) = try JSONReader.parse(text), items.count == 5 else {
            Issue.record("not a list of 5")
            return
        }
        #expect(items[0].objectValue?.keys == ["appointmentsOfPatient", "medicationOrders"])
        #expect(items[1].objectValue?.keys == ["appointmentsOfPatiemt", "medicationOrders"])
        #expect(items[2].objectValue?.keys == ["appointmentsOfPatient", "medicationOrdersX"])
        #expect(items[3].objectValue?.keys == ["appointmentsOfPatientX", "medicationOrder"])
        #expect(items[4] == ["appointmentsOfPatient": 9, "medicationOrders": 10])
        #expect(items.map { $0.objectValue?.values.first } == [1, 3, 5, 7, 9])
    }

    @Test("an object of few keys after one of thousands in its place reads its own keys only")
    func smallObjectAfterLargeOne() throws {
        let big = "{" + (0..<5_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        guard case .list(let items) = try JSONReader.parse("[\(big),{\"z\":0},\(big),{\"z\":1}]"), items.count == 4 else {
            Issue.record("not a list of 4")
            return
        }
        #expect(items[2].objectValue?.count == 5_000)
        #expect(items[3] == ["z": 1] && items[3].objectValue?.keys == ["z"])
    }

    @Test("bytes changed, inserted or dropped anywhere: an error or a value that reads the same lazily, made whole and written again")
    func mutatedDocuments() throws {
        let document = Array(#"{"data":[{"id":"1","name":"Ada \u00e9","tags":["a","b"],"n":-12.5e3,"ok":true,"none":null,"o":{"k":{}}},"#.utf8)
            + Array(#"{"id":"2","name":"B\"q","tags":[],"n":7,"ok":false,"none":null,"o":{"k":{"x":[1,2]}}}],"count":2,"dup":1,"dup":2}"#.utf8)
        let alphabet = Array("{}[]:,\"\\ 0123456789.eE+-truefalsnul\u{7F}".utf8) + [0x00, 0x1F, 0xC3, 0xA9, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            // SplitMix64: the same mutations on every run.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var parsed = 0
        for _ in 0..<4_000 {
            var bytes = document
            for _ in 0...next(3) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.insert(alphabet[next(alphabet.count)], at: at)
                default: bytes.remove(at: at)
                }
            }
            guard let value = try? JSONReader.parse(bytes) else { continue }
            parsed += 1
            let whole = value.materialized
            #expect(value == whole)
            let written = Array(value.jsonString.utf8)
            #expect(written == Array(whole.jsonString.utf8))
            #expect((try? JSONReader.parse(written)) == whole)
        }
        // Some mutations keep the document valid (a changed digit, or a letter in a string).
        #expect(parsed > 100)
    }

    @Test("input cut anywhere is an error, never a crash")
    func truncated() {
        let document = #"[{"id":"7","name":"Ada \u00e9","n":-12.5e3,"ok":true,"none":null},{"id":"8","name":"B"}]"#
        let bytes = Array(document.utf8)
        for end in 0..<bytes.count {
            #expect(throws: JSONReader.Error.self) { try JSONReader.parse(Array(bytes[..<end])) }
        }
        #expect((try? JSONReader.parse(bytes)) != nil)
    }

    @Test("keys read again are the strings read first; many distinct keys sharing the key table's slots each keep their own name")
    func repeatedAndCollidingKeys() throws {
        // 300 distinct keys (more than the table has slots), each object repeating the previous keys
        // in another order, and keys that differ in one byte or only in length.
        var text = "["
        for round in 0..<3 {
            text += round == 0 ? "{" : ",{"
            let order = round == 1 ? Array((0..<300).reversed()) : Array(0..<300)
            text += order.map { #""k\#($0)":\#($0 + round * 1000)"# }.joined(separator: ",")
            text += #","k":-1,"kk":-2,"é\u00e9":-3,"\u006b1":-4}"#
        }
        text += "]"
        let value = try JSONReader.parse(text)
        guard case .list(let objects) = value, objects.count == 3 else {
            Issue.record("not a list of 3")
            return
        }
        for (round, object) in objects.enumerated() {
            for index in [0, 2, 63, 64, 65, 128, 299] {
                #expect(object["k\(index)"] == .int(index + round * 1000))
            }
            #expect(object["k"] == -1)
            #expect(object["kk"] == -2)
            #expect(object["éé"] == -3)
            // "k1" spelled with an escape is the same key: it replaces the value read earlier.
            #expect(object["k1"] == -4)
            #expect(object.objectValue?.count == 303)
        }
    }

    @Test("a document read in place from raw memory reads as the same document from an array")
    func rawMemory() throws {
        let bytes = Array(#" {"a":[1,2.5,"x"],"b":{"c":null}} "#.utf8)
        let fromArray = try JSONReader.parse(bytes)
        let inPlace = try bytes.withUnsafeBytes { (raw) throws(JSONReader.Error) in try JSONReader.parse(raw) }
        #expect(fromArray == inPlace)
        #expect(throws: JSONReader.Error.self) {
            try bytes.dropLast(3).withUnsafeBytes { (raw) throws(JSONReader.Error) in try JSONReader.parse(raw) }
        }
        let empty = [UInt8]()
        #expect(throws: JSONReader.Error.self) {
            try empty.withUnsafeBytes { (raw) throws(JSONReader.Error) in try JSONReader.parse(raw) }
        }
    }
}
