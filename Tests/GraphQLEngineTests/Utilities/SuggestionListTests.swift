import Testing

@testable import GraphQLEngine

@Suite("Suggestions for misspelt names (graphql-js suggestionList, didYouMean)")
struct SuggestionListTests {
    @Test("close options, closest first, ties by name; far ones left out")
    func ordersByDistance() {
        #expect(suggestionList("nam", ["name", "nickname", "firstName", "nom", "family"]) == ["name", "nom"])
        #expect(suggestionList("GREEN", ["green"]) == ["green"])  // a case change is one edit
        #expect(suggestionList("ab", ["ba", "abc", "xyz"]) == ["abc", "ba"])  // a transposition is one edit
        #expect(suggestionList("dosage", ["dosage"]) == ["dosage"])
        #expect(suggestionList("patientz", ["patient", "patients", "practitioner"]) == ["patient", "patients"])
        #expect(suggestionList("x", []).isEmpty)
    }

    @Test("the threshold is 40% of the input's length, plus one")
    func threshold() {
        // "abcd": threshold 2, so two edits suggest and three do not.
        #expect(suggestionList("abcd", ["abxy"]) == ["abxy"])
        #expect(suggestionList("abcd", ["axyz"]).isEmpty)
        // Length alone rules an option out.
        #expect(suggestionList("a", ["abcdefgh"]).isEmpty)
    }

    @Test("at most five, quoted, joined as graphql-js joins them")
    func formats() {
        #expect(didYouMean([]) == "")
        #expect(didYouMean(["a"]) == " Did you mean \"a\"?")
        #expect(didYouMean(["a", "b"]) == " Did you mean \"a\" or \"b\"?")
        #expect(didYouMean(["a", "b", "c"], after: "the enum value") == " Did you mean the enum value \"a\", \"b\", or \"c\"?")
        #expect(didYouMean(["a", "b", "c", "d", "e", "f", "g"]) == " Did you mean \"a\", \"b\", \"c\", \"d\", or \"e\"?")
    }
}
