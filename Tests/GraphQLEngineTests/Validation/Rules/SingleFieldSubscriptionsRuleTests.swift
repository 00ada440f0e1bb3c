import Testing

@testable import GraphQLEngine

@Suite("Validate: Subscriptions with single field")
struct SingleFieldSubscriptionsRuleTests {
    @Test("valid subscription")
    func valid() throws {
        try expectValid(SingleFieldSubscriptionsRule(), "subscription ImportantEmails { importantEmails }")
    }

    @Test("fails with more than one root field, and with an introspection field")
    func multipleFields() throws {
        try expectErrors(
            SingleFieldSubscriptionsRule(), "subscription S { importantEmails notImportantEmails }",
            [.init("Subscription \"S\" must select only one top level field.", locations: [(1, 34)])])
        try expectErrors(
            SingleFieldSubscriptionsRule(), "subscription { __typename }",
            [.init("Anonymous Subscription must not select an introspection top level field.", locations: [(1, 16)])])
    }
}
