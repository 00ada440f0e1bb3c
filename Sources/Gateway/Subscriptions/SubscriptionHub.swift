import Foundation
import Synchronization

/// How many subscriptions may be open.
public struct SubscriptionLimits: Sendable {
    /// Per principal (a patient's or clinician's token subject; anonymous callers share one count).
    public var perPrincipal = 20
    /// On one WebSocket connection.
    public var perConnection = 50
    /// In this replica.
    public var total = 10_000
    /// Events a subscriber may fall behind by before it loses the oldest.
    public var eventBuffer = 256

    public init() {}
}

/// What subscriptions share across schema reloads: the event bus, the limits, and the open
/// subscriptions, counted per principal and ended together on reload and shutdown.
public final class SubscriptionHub: Sendable {
    public let bus: any EventBus
    public let limits: SubscriptionLimits
    private let open = Mutex<OpenSubscriptions>(OpenSubscriptions())

    private struct OpenSubscriptions {
        var nextID: UInt64 = 0
        var byID: [UInt64: (principal: String, subscription: GatewaySubscription)] = [:]
        var perPrincipal: [String: Int] = [:]
    }

    public init(bus: any EventBus, limits: SubscriptionLimits = SubscriptionLimits()) {
        self.bus = bus
        self.limits = limits
    }

    /// Counts `subscription` for `principal`; `nil` (and nothing counted) when a limit is reached.
    func register(_ subscription: GatewaySubscription, principal: String) -> UInt64? {
        self.open.withLock { open in
            guard open.byID.count < self.limits.total, open.perPrincipal[principal, default: 0] < self.limits.perPrincipal else { return nil }
            open.nextID &+= 1
            open.byID[open.nextID] = (principal, subscription)
            open.perPrincipal[principal, default: 0] += 1
            return open.nextID
        }
    }

    func unregister(_ id: UInt64) {
        self.open.withLock { open in
            guard let entry = open.byID.removeValue(forKey: id) else { return }
            let left = open.perPrincipal[entry.principal, default: 1] - 1
            open.perPrincipal[entry.principal] = left > 0 ? left : nil
        }
    }

    /// Subscriptions open in this replica.
    public var openCount: Int { self.open.withLock { $0.byID.count } }

    /// Ends every open subscription with a final error (`code`), e.g. on a schema reload.
    public func endAll(message: String, code: String) {
        let all = self.open.withLock { $0.byID.values.map(\.subscription) }
        for subscription in all { subscription.end(message: message, code: code) }
    }
}
