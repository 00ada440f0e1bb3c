import Foundation
import Gateway
import GraphQLEngine
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// One WebSocket connection's protocol state.
final class GraphQLWebSocketSession: Sendable {
    private let runtime: GatewayRuntime
    private let options: GatewayServerOptions
    let outbound: WebSocketOutboundWriter
    private let upgradeAuthorization: String?
    private let clientAddress: String?
    private let state = Mutex(State())

    private struct State {
        var initReceived = false
        var principal: Principal?
        var authorization: String?
        var operations: [String: GatewaySubscription] = [:]
        var running: Set<String> = []
        var closed = false
    }

    init(runtime: GatewayRuntime, options: GatewayServerOptions, outbound: WebSocketOutboundWriter, upgradeAuthorization: String?, clientAddress: String?) {
        self.runtime = runtime
        self.options = options
        self.outbound = outbound
        self.upgradeAuthorization = upgradeAuthorization
        self.clientAddress = clientAddress
    }

    func run(_ inbound: WebSocketInboundStream) async {
        let initTimeout = Task { [self] in
            try? await Task.sleep(for: self.options.connectionInitTimeout)
            guard !Task.isCancelled, !self.state.withLock({ $0.initReceived }) else { return }
            await self.close(4408, "Connection initialisation timeout")
        }
        defer {
            initTimeout.cancel()
            self.endAll()
        }
        do {
            for try await message in inbound.messages(maxSize: self.options.maxBodyBytes) {
                guard case .text(let text) = message, let value = try? JSONReader.parse(Array(text.utf8), maxDepth: 64),
                    case .string(let type)? = value["type"]
                else {
                    await self.close(4400, "Invalid message")
                    return
                }
                guard await self.handle(type, value) else { return }
            }
        } catch {
            // The connection failed or a message was too large: it is closed, subscriptions end.
        }
    }

    /// Handles one message; false when the connection is closed because of it.
    private func handle(_ type: String, _ message: Value) async -> Bool {
        switch type {
        case "connection_init":
            let first = self.state.withLock { state in
                defer { state.initReceived = true }
                return !state.initReceived
            }
            guard first else {
                await self.close(4429, "Too many initialisation requests")
                return false
            }
            let authorization = Self.authorization(in: message["payload"]) ?? self.upgradeAuthorization
            switch await self.options.principal(authorization: authorization) {
            case .success(let principal):
                self.state.withLock {
                    $0.principal = principal
                    $0.authorization = authorization
                }
                await self.send(["type": "connection_ack"])
                return true
            case .failure(let failure):
                await self.close(4403, "Forbidden: \(failure.message)")
                return false
            }
        case "ping":
            await self.send(["type": "pong"])
            return true
        case "pong":
            return true
        case "subscribe":
            guard case .string(let id)? = message["id"], !id.isEmpty, id.utf8.count <= 256, case .object(let payload)? = message["payload"],
                case .string(let query)? = payload["query"]
            else {
                await self.close(4400, "Invalid subscribe message")
                return false
            }
            guard let principal = self.state.withLock({ $0.principal }) else {
                await self.close(4401, "Unauthorized")
                return false
            }
            let limit = self.limitPerConnection
            let accepted = self.state.withLock { state in
                state.running.count < limit && state.running.insert(id).inserted
            }
            guard accepted else {
                if self.state.withLock({ $0.running.contains(id) }) {
                    await self.close(4409, "Subscriber for \(id) already exists")
                    return false
                }
                await self.sendErrors(id, [GraphQLError("Too many operations on this connection (at most \(limit)).", extensions: ["code": "TOO_MANY_SUBSCRIPTIONS"])])
                return true
            }
            var variables: [String: Value] = [:]
            if case .object(let given)? = payload["variables"] { variables = given.dictionary }
            let operationName = payload["operationName"]?.stringValue
            let request = GatewayRequest(
                query: query, operationName: operationName, variables: variables,
                headers: ForwardedHeaders(authorization: self.state.withLock { $0.authorization }), principal: principal, clientAddress: self.clientAddress)
            Task { await self.start(id, request) }
            return true
        case "complete":
            guard case .string(let id)? = message["id"] else { return true }
            let subscription = self.state.withLock { state in
                state.running.remove(id)
                return state.operations.removeValue(forKey: id)
            }
            subscription?.cancel()
            return true
        default:
            await self.close(4400, "Unknown message type \(type)")
            return false
        }
    }

    private var limitPerConnection: Int { self.runtime.current.subscriptions?.limits.perConnection ?? 50 }

    /// Runs one operation: a subscription streams `next` results; anything else is one `next`.
    private func start(_ id: String, _ request: GatewayRequest) async {
        let executor = self.runtime.current
        guard executor.isSubscription(request) else {
            let response = await executor.execute(request)
            if response.rejection != nil || !response.result.hasData {
                await self.sendErrors(id, response.result.errors)
            } else {
                await self.sendNext(id, response.result)
                await self.send(["type": "complete", "id": .string(id)])
            }
            self.state.withLock { _ = $0.running.remove(id) }
            return
        }
        switch await executor.subscribe(request) {
        case .refused(let result):
            self.state.withLock { _ = $0.running.remove(id) }
            await self.sendErrors(id, result.errors)
        case .started(let subscription):
            let stillWanted = self.state.withLock { state in
                guard state.running.contains(id), !state.closed else { return false }
                state.operations[id] = subscription
                return true
            }
            guard stillWanted else {
                subscription.cancel()
                return
            }
            for await result in subscription.results {
                await self.sendNext(id, result)
            }
            // Ended by the gateway (expiry, reload, shutdown) rather than by the client: say so.
            let endedHere = self.state.withLock { state in
                state.operations.removeValue(forKey: id) != nil && state.running.remove(id) != nil
            }
            if endedHere { await self.send(["type": "complete", "id": .string(id)]) }
        }
    }

    private func close(_ code: UInt16, _ reason: String) async {
        self.endAll()
        try? await self.outbound.close(.unknown(code), reason: reason)
    }

    private func endAll() {
        let subscriptions = self.state.withLock { state in
            state.closed = true
            defer { state.operations = [:] }
            return Array(state.operations.values)
        }
        for subscription in subscriptions { subscription.cancel() }
    }

    /// `Authorization` (any case) from the `connection_init` payload.
    static func authorization(in payload: Value?) -> String? {
        guard case .object(let fields)? = payload else { return nil }
        return fields.first { $0.key.lowercased() == "authorization" }?.value.stringValue
    }
}
