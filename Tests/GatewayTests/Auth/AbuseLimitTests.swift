import Foundation
import FixtureServices
import Gateway
import GraphQLEngine
import Testing

@Suite("Auth: limits on what one request may ask")
struct AbuseLimitTests {
    static func code(_ response: (data: Value?, errors: [GraphQLError])) -> String? {
        guard response.data == nil, case .string(let code)? = response.errors.first?.extensions["code"] else { return nil }
        return code
    }

    @Test("depth, aliases, root fields and cost each have a limit and a code; queries within them run")
    func shapeLimits() async throws {
        try await withGateway(configure: {
            $0.limits.maxDepth = 6
            $0.limits.maxAliases = 3
            $0.limits.maxRootFields = 3
            $0.limits.maxCost = 400
        }) { _, gateway in
            let deep = "{ patients(limit: 1) { appointments { patient { appointments { patient { appointments { id } } } } } } }"
            #expect(Self.code(await gateway.run(deep)) == "QUERY_TOO_DEEP")
            #expect(Self.code(await gateway.run("{ patient(id: 1) { a: id b: id c: id d: id } }")) == "TOO_MANY_ALIASES")
            #expect(Self.code(await gateway.run("{ __typename patients { id } provider(id: 1) { id } patient(id: 1) { id } }")) == "TOO_MANY_ROOT_FIELDS")
            // 100 patients × (1 + 10 appointments × 2) is over 400; 10 patients is not.
            #expect(Self.code(await gateway.run("{ patients(limit: 100) { appointments { id reason } } }")) == "QUERY_TOO_COSTLY")
            #expect(
                Self.code(await gateway.run("query ($n: Int) { patients(limit: $n) { appointments { id reason } } }", variables: ["n": 100]))
                    == "QUERY_TOO_COSTLY")
            let fine = await gateway.run("{ patients(limit: 10) { appointments { id reason } } }")
            #expect(fine.errors.isEmpty && fine.data?["patients"]?.listCount == 10)
            // Fragment fan-out costs its arithmetic, not its expansion.
            var fanout = "query { ...F20 } fragment F0 on Query { __typename }"
            for level in 1...20 { fanout += " fragment F\(level) on Query { ...F\(level - 1) ...F\(level - 1) }" }
            #expect(Self.code(await gateway.run(fanout)) == "QUERY_TOO_COSTLY")
        }
    }

    @Test("introspection off: __schema and __type refused (also in fragments), __typename kept")
    func introspectionOff() async throws {
        try await withGateway(configure: { $0.allowIntrospection = false }) { _, gateway in
            #expect(Self.code(await gateway.run("{ __schema { types { name } } }")) == "INTROSPECTION_DISABLED")
            #expect(Self.code(await gateway.run(#"query { ...T } fragment T on Query { __type(name: "Patient") { name } }"#)) == "INTROSPECTION_DISABLED")
            #expect(await gateway.run("{ __typename }").data?["__typename"] == "Query")
            // Nor do error messages suggest the schema's names.
            let misspelt = await gateway.run(#"{ patient(id: "1") { firstNam } }"#)
            #expect(misspelt.errors.map(\.message) == [#"Cannot query field "firstNam" on type "Patient"."#])
        }
        try await withGateway { _, gateway in
            let misspelt = await gateway.run(#"{ patient(id: "1") { firstNam } }"#)
            #expect(misspelt.errors.map(\.message) == [#"Cannot query field "firstNam" on type "Patient". Did you mean "firstName" or "lastName"?"#])
        }
    }

    @Test("checking a document (the explorer's live validation) reports what running it would, caches nothing, suggests nothing with introspection off")
    func checkWithoutRunning() async throws {
        try await withGateway { fixtures, gateway in
            let errors = gateway.check(#"{ patient(id: "1") { firstNam } }"#)
            #expect(errors.map(\.message) == [#"Cannot query field "firstNam" on type "Patient". Did you mean "firstName" or "lastName"?"#])
            #expect(errors.first?.locations == [SourceLocation(line: 1, column: 22)])
            #expect(gateway.check("{ patients(limit: 1) { id } }").isEmpty)
            #expect(gateway.check("{ patients(").first?.message.hasPrefix("Syntax Error") == true)
            #expect(gateway.documents.count == 0)
            let totals = try await fixtures.totals()
            #expect(totals.values.allSatisfy { $0 == 0 })
        }
        try await withGateway(configure: { $0.allowIntrospection = false }) { _, gateway in
            #expect(gateway.check(#"{ patient(id: "1") { firstNam } }"#).map(\.message) == [#"Cannot query field "firstNam" on type "Patient"."#])
            #expect(gateway.check("{ __schema { types { name } } }").first?.extensions["code"] == "INTROSPECTION_DISABLED")
        }
    }

    @Test("past the request's deadline, resolved fields stay in data and only the unresolved ones are REQUEST_TIMEOUT errors")
    func requestTimeout() async throws {
        try await withGateway(configure: { $0.requestTimeout = .seconds(2) }) { fixtures, gateway in
            fixtures.services[.medication]!.setFaults(FaultSettings(delay: .seconds(8)))
            let response = await gateway.run(#"{ patient(id: "1") { id firstName medications { name } } }"#)
            #expect(response.data?["patient"]?["id"] == "1")
            #expect(response.data?["patient"]?["firstName"] != nil)
            #expect(response.data?["patient"]?["medications"] == .null)
            #expect(response.errors.map { $0.extensions["code"] } == ["REQUEST_TIMEOUT"])
            #expect(response.errors.first?.path == [.key("patient"), .key("medications")])
        }
    }
}

@Suite("Gateway: unexpected errors")
struct UnexpectedErrorTests {
    @Test("an unexpected field error keeps its message in dev and is masked with a code and reference in production")
    func masking() async throws {
        let text = try String(contentsOfFile: repositoryRoot + "/Schema/nilecare.graphql", encoding: .utf8)
            .replacingOccurrences(of: "  phone: String\n", with: "  phone: String\n  ssn: String!\n")
        let schema = try GatewaySchema(sdl: [("nilecare.graphql", text)], services: ServiceEndpoint.serviceNames)
        try await withGateway { _, gateway in
            let query = #"{ patient(id: "1") { id ssn } }"#
            let plain = await GatewayExecutor(schema: schema, client: gateway.client).run(query)
            #expect(plain.errors.first?.message.contains("Patient.ssn") == true)
            var options = ExecutionOptions()
            options.maskUnexpectedErrors = true
            let masked = await GatewayExecutor(schema: schema, client: gateway.client, options: options).execute(
                GatewayRequest(query: query, headers: ForwardedHeaders(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                               principal: .clinician("dr")))
            #expect(masked.result.errors.first?.message == "Internal error (UNEXPECTED_FIELD_ERROR); reference 4bf92f3577b34da6a3ce929d0e0e4736.")
            #expect(masked.result.errors.first?.extensions["code"] == "UNEXPECTED_FIELD_ERROR")
        }
    }
}
