import GraphQLEngine

/// Stage 2 for subgraph fields: one GraphQL call per subgraph per level. Entity fields of one type
/// share one `_entities` call per chunk of keys (each field under its own alias, `_f0`, `_f1`, …);
/// the root fields of a level share one query. The subgraph's errors fail the keys (and fields)
/// their paths point at, under our codes.
extension RequestLoaders {
    /// Each lane's answers by key.
    typealias LaneAnswers = [String: Result<[Value], GraphQLError>]

    func fetchFromSubgraph(_ batch: EndpointBatch, _ chunks: [[String]]) async -> [LaneAnswers] {
        guard let route = batch.plan.subgraph else { return [] }
        switch route.kind {
        case .root:
            return await self.fetchRootFields(batch)
        case .entity(let typeName, _):
            if chunks.count == 1 { return await self.fetchEntities(batch, chunks[0], route, typeName) }
            var answers = [LaneAnswers](repeating: [:], count: batch.lanes.count)
            let results = await withTaskGroup(of: [LaneAnswers].self) { group in
                for chunk in chunks {
                    group.addTask { await self.fetchEntities(batch, chunk, route, typeName) }
                }
                var all: [[LaneAnswers]] = []
                for await result in group { all.append(result) }
                return all
            }
            for result in results {
                for (lane, found) in result.enumerated() where lane < answers.count { answers[lane].merge(found) { first, _ in first } }
            }
            return answers
        }
    }

    /// One `_entities` call for `keys`, every lane's field asked on each entity.
    private func fetchEntities(_ batch: EndpointBatch, _ keys: [String], _ route: SubgraphRoute, _ typeName: String) async -> [LaneAnswers] {
        let plan = batch.plan
        var representations: [Value] = []
        for key in keys {
            guard let representation = route.representation(of: key) else { continue }
            representations.append(representation)
        }
        var (fields, definitions, variables) = Self.laneFields(batch)
        definitions.insert("$_nk_representations: [_Any!]!", at: 0)
        variables["_nk_representations"] = .list(representations)
        let query = "query NileCareEntities(\(definitions.joined(separator: ", "))) { _entities(representations: $_nk_representations) { ... on \(typeName) {\(fields) } } }"
        let outcome = await self.callSubgraph(plan.service, query, variables)
        return batch.lanes.indices.map { lane in
            var found: LaneAnswers = [:]
            for (position, key) in keys.enumerated() {
                found[key] = outcome.flatMap { answer in
                    guard case .list(let entities)? = answer.data?["_entities"], entities.count == representations.count,
                        representations.count == keys.count
                    else { return .failure(DownstreamError.badShape(plan.service).graphQLError) }
                    return Self.laneValue(entities[position]["_f\(lane)"], answer, prefix: ["_entities", .int(position)], lane: lane, plan.service)
                }
            }
            return found
        }
    }

    /// One query for every root field of the level, each under its own alias.
    private func fetchRootFields(_ batch: EndpointBatch) async -> [LaneAnswers] {
        let plan = batch.plan
        let (fields, definitions, variables) = Self.laneFields(batch)
        let header = definitions.isEmpty ? "" : "(\(definitions.joined(separator: ", ")))"
        let outcome = await self.callSubgraph(plan.service, "query NileCareFields\(header) {\(fields) }", variables)
        return batch.lanes.enumerated().map { index, lane in
            var found: LaneAnswers = [:]
            for key in lane.queue.keys {
                found[key] = outcome.flatMap { answer in
                    guard let data = answer.data else { return .failure(DownstreamError.graphQLErrors(plan.service).graphQLError) }
                    return Self.laneValue(data["_f\(index)"], answer, prefix: [], lane: index, plan.service)
                }
            }
            return found
        }
    }

    /// The call, taken from the request's budget and counted for its receipt.
    private func callSubgraph(_ service: String, _ query: String, _ variables: [String: Value]) async -> Result<SubgraphAnswer, GraphQLError> {
        guard self.takeCall() else { return .failure(self.budgetExhausted) }
        self.count(service)
        do throws(DownstreamError) {
            let answer = try await self.client.graphQL(service, query: query, variables: variables, headers: self.headers)
            // No data at all: the whole request failed (a request error, the subgraph's validation).
            guard answer.data != nil else { return .failure(DownstreamError.graphQLErrors(service).graphQLError) }
            return .success(answer)
        } catch {
            return .failure(error.graphQLError)
        }
    }

    /// What one lane found for one entity (or root field): its items (list fields) or item; a
    /// failure when the subgraph's errors point at the entity or at this lane's field in it.
    private static func laneValue(
        _ value: Value?, _ answer: SubgraphAnswer, prefix: [Value], lane: Int, _ service: String
    ) -> Result<[Value], GraphQLError> {
        let alias = Value.string("_f\(lane)")
        let failed = answer.errorPaths.contains { path in
            guard path.count >= prefix.count, Array(path.prefix(prefix.count)) == prefix else { return false }
            // An error on the entity itself fails all its fields; else only the field it names.
            return path.count == prefix.count || path[prefix.count] == alias
        }
        if failed { return .failure(DownstreamError.graphQLErrors(service).graphQLError) }
        switch value ?? .null {
        case .null: return .success([])
        case .list(let items): return .success(items)
        case .object(let fields): return .success([.object(fields)])
        default: return .failure(DownstreamError.badShape(service).graphQLError)
        }
    }

    /// Each lane's field under its alias (`_f0: coverage { … }`), with the variables they use: only
    /// the lanes the caches left something to fetch for.
    private static func laneFields(_ batch: EndpointBatch) -> (fields: String, definitions: [String], variables: [String: Value]) {
        var fields = ""
        var definitions: [String] = []
        var variables: [String: Value] = [:]
        for (index, lane) in batch.lanes.enumerated() where !lane.positions.isEmpty {
            guard let selection = lane.queue.selection else { continue }
            fields += " _f\(index): \(selection.fieldText)"
            for definition in selection.variableDefinitions where !definitions.contains(definition) { definitions.append(definition) }
            variables.merge(selection.variables) { first, _ in first }
        }
        return (fields, definitions, variables)
    }
}
