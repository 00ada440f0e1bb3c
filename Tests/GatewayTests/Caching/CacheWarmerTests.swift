import Foundation
import Gateway
import GraphQLEngine
import Testing

@Suite("Gateway: cache warming")
struct CacheWarmerTests {
    @Test("the declared hot queries fill the cache: the same data is then served without a downstream call")
    func warmsDeclaredQueries() async throws {
        let hot = try String(contentsOfFile: repositoryRoot + "/deploy/hot-queries.graphql", encoding: .utf8)
        try await withGateway(cache: MemoryCacheStore()) { fixtures, gateway in
            let outcomes = await CacheWarmer(executor: gateway).warm(document: hot, principal: .clinician("warmer"))
            #expect(outcomes.map(\.operation) == ["WarmProviders", "WarmFirstPatientPage"])
            #expect(outcomes.allSatisfy { $0.errors.isEmpty && $0.entriesWritten > 0 }, "\(outcomes)")
            let warmed = try await fixtures.totals()
            let again = await CacheWarmer(executor: gateway).warm(document: hot, principal: .clinician("warmer"))
            #expect(again.allSatisfy { $0.entriesWritten == 0 && $0.entriesPresent > 0 })
            let (data, errors) = await gateway.run(#"{ provider(id: "4") { lastName } }"#, authorization: "Bearer someone")
            #expect(errors.isEmpty && data?["provider"]?["lastName"] != nil)
            #expect(try await fixtures.totals() == warmed)
        }
    }

    @Test("a broken hot-query file is reported, not run")
    func brokenDocument() async throws {
        try await withGateway(cache: MemoryCacheStore()) { _, gateway in
            let outcomes = await CacheWarmer(executor: gateway).warm(document: "query Broken { nope }")
            #expect(outcomes.count == 1)
            #expect(outcomes[0].errors.first?.contains("nope") == true)
        }
    }
}
