import Foundation
import Gateway
import GraphQLEngine
import Testing

/// `POST /webhooks/events`' checks: the HMAC over timestamp and body, the timestamp window,
/// replays, and the body's shape and topic.
@Suite("Gateway: webhook event verification")
struct WebhookVerifierTests {
    static let secret = "webhook-test-secret"
    static let body = Array(#"{"id":"evt-1","topic":"lab-order.resulted","entity":{"id":"9","patientId":"3","test":"CBC","status":"RESULTED","orderedAt":"2026-12-01T08:00:00Z"}}"#.utf8)

    func verifier(secrets: [String] = [secret]) -> WebhookVerifier {
        WebhookVerifier(secrets: secrets, topics: ["lab-order.resulted"], replays: WebhookReplayGuard(redis: nil), origin: "test")
    }

    var now: Int { Int(Date().timeIntervalSince1970) }

    @Test("a signed, fresh event is accepted once; the same id again is a replay")
    func acceptsOnce() async {
        let verifier = self.verifier()
        let timestamp = self.now
        let signature = WebhookVerifier.signature(body: Self.body, timestamp: timestamp, secret: Self.secret)
        guard case .accepted(let event) = await verifier.verify(body: Self.body, timestamp: String(timestamp), signature: signature) else {
            Issue.record("a valid event was refused")
            return
        }
        #expect(event.topic == "lab-order.resulted" && event.id == "evt-1" && event.entity["patientId"] == "3")
        guard case .replay = await verifier.verify(body: Self.body, timestamp: String(timestamp), signature: signature) else {
            Issue.record("a replay was accepted")
            return
        }
    }

    @Test("refused: another secret, a changed body, a stale or missing timestamp, garbage signatures")
    func refusesForgeries() async {
        let verifier = self.verifier()
        let timestamp = self.now
        let good = WebhookVerifier.signature(body: Self.body, timestamp: timestamp, secret: Self.secret)
        let cases: [(body: [UInt8], timestamp: String?, signature: String?)] = [
            (Self.body, String(timestamp), WebhookVerifier.signature(body: Self.body, timestamp: timestamp, secret: "another")),
            (Self.body + [0x20], String(timestamp), good),
            (Self.body, String(timestamp - 3600), WebhookVerifier.signature(body: Self.body, timestamp: timestamp - 3600, secret: Self.secret)),
            (Self.body, nil, good),
            (Self.body, "soon", good),
            (Self.body, String(timestamp), nil),
            (Self.body, String(timestamp), "v1=zz"),
            (Self.body, String(timestamp), "v0=" + good.dropFirst(3)),
            (Self.body, "99999999999999999999999", good),
        ]
        for (body, stamp, signature) in cases {
            guard case .unauthenticated = await verifier.verify(body: body, timestamp: stamp, signature: signature) else {
                Issue.record("accepted: \(String(describing: stamp)) \(String(describing: signature))")
                continue
            }
        }
    }

    @Test("during a rotation either secret verifies; a well-signed body of the wrong shape or topic is refused as invalid")
    func rotationAndShape() async {
        let verifier = self.verifier(secrets: ["new-secret", Self.secret])
        let timestamp = self.now
        let old = WebhookVerifier.signature(body: Self.body, timestamp: timestamp, secret: Self.secret)
        guard case .accepted = await verifier.verify(body: Self.body, timestamp: String(timestamp), signature: "v1=00, " + old) else {
            Issue.record("the old secret was refused during the rotation")
            return
        }
        for text in [#"{"id":"e2","topic":"patient.deleted","entity":{}}"#, #"{"id":"e3","entity":{}}"#, #"[1,2]"#, #"{"id":"e4","topic":"lab-order.resulted","entity":"x"}"#] {
            let body = Array(text.utf8)
            let signature = WebhookVerifier.signature(body: body, timestamp: timestamp, secret: "new-secret")
            guard case .invalid = await verifier.verify(body: body, timestamp: String(timestamp), signature: signature) else {
                Issue.record("accepted: \(text)")
                continue
            }
        }
    }
}
