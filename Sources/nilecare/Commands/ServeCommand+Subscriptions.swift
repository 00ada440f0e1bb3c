import ArgumentParser
import Foundation
import Gateway
import Logging
import RedisClient
import ServiceLifecycle

/// The development webhook secret (refused in production, like the development JWT secret).
let developmentWebhookSecret = "nilecare-development-webhook-secret"

extension ServeCommand {
    /// The subscription hub the options describe: events shared through the cache's Redis when the
    /// cache is in Redis (sealed with its keys), in this process otherwise.
    func subscriptionHub(_ tiers: ResolverCacheTiers, logger: Logger) -> SubscriptionHub? {
        guard self.subscriptions == .on else { return nil }
        var limits = SubscriptionLimits()
        limits.perPrincipal = max(1, self.maxSubscriptionsPerPrincipal)
        limits.perConnection = max(1, self.maxSubscriptionsPerConnection)
        let bus: any EventBus
        if let redis = tiers.redis, let sealer = tiers.sealer, let deployment = tiers.deployment {
            bus = RedisEventBus(redis: redis, nodes: deployment.trackedNodes(of: redis), sealer: sealer, logger: logger, buffer: limits.eventBuffer)
        } else {
            bus = LocalEventBus(buffer: limits.eventBuffer)
        }
        return SubscriptionHub(bus: bus, limits: limits)
    }

    /// The webhook endpoint's verifier: on with `--webhook-secret` (or the development secret outside
    /// production), checked against the topics of the schema.
    func webhookVerifier(_ hub: SubscriptionHub?, schema: GatewaySchema, redis: (any RedisCommandRunner)?) throws -> WebhookVerifier? {
        guard let hub else { return nil }
        let configured = self.webhookSecret?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if self.security.isProduction, configured?.contains(developmentWebhookSecret) == true {
            throw ValidationError("--webhook-secret: the development secret is refused in production.")
        }
        guard let secrets = configured ?? (self.security.isProduction ? nil : [developmentWebhookSecret]), !secrets.isEmpty else { return nil }
        return WebhookVerifier(
            secrets: secrets, topics: Set(schema.subscriptionPlans.values.map(\.topic)), replays: WebhookReplayGuard(redis: redis),
            origin: hub.bus.origin)
    }
}

/// Ends open subscriptions when the gateway shuts down (each client gets a last message saying
/// so), so streams do not hold the graceful shutdown, then stops the event bus.
struct SubscriptionShutdown: Service {
    let hub: SubscriptionHub

    func run() async throws {
        try? await gracefulShutdown()
        self.hub.endAll(message: "The gateway is shutting down: subscribe again.", code: "SHUTTING_DOWN")
        await self.hub.bus.shutdown()
    }
}
