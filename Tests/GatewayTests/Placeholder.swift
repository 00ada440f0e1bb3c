import Testing

@Suite("Gateway placeholder") struct GatewayPlaceholder { @Test("builds") func builds() { #expect(Bool(true)) } }
