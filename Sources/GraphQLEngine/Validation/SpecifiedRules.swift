/// The rules of the specification, in graphql-js's order (`specifiedRules`), each a fresh instance.
///
/// Hosts add their own (depth, cost, ...) by appending to this list.
public func specifiedRules() -> [any ValidationRule] {
    [
        // https://spec.graphql.org/October2021/#sec-Executable-Definitions
        ExecutableDefinitionsRule(),
        // https://spec.graphql.org/October2021/#sec-Operation-Name-Uniqueness
        UniqueOperationNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Lone-Anonymous-Operation
        LoneAnonymousOperationRule(),
        // https://spec.graphql.org/October2021/#sec-Single-root-field
        SingleFieldSubscriptionsRule(),
        // https://spec.graphql.org/October2021/#sec-Fragment-Spread-Type-Existence
        KnownTypeNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Fragments-On-Composite-Types
        FragmentsOnCompositeTypesRule(),
        // https://spec.graphql.org/October2021/#sec-Variables-Are-Input-Types
        VariablesAreInputTypesRule(),
        // https://spec.graphql.org/October2021/#sec-Leaf-Field-Selections
        ScalarLeafsRule(),
        // https://spec.graphql.org/October2021/#sec-Field-Selections-on-Objects-Interfaces-and-Unions-Types
        FieldsOnCorrectTypeRule(),
        // https://spec.graphql.org/October2021/#sec-Fragment-Name-Uniqueness
        UniqueFragmentNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Fragment-spread-target-defined
        KnownFragmentNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Fragments-Must-Be-Used
        NoUnusedFragmentsRule(),
        // https://spec.graphql.org/October2021/#sec-Fragment-spread-is-possible
        PossibleFragmentSpreadsRule(),
        // https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles
        NoFragmentCyclesRule(),
        // https://spec.graphql.org/October2021/#sec-Variable-Uniqueness
        UniqueVariableNamesRule(),
        // https://spec.graphql.org/October2021/#sec-All-Variable-Uses-Defined
        NoUndefinedVariablesRule(),
        // https://spec.graphql.org/October2021/#sec-All-Variables-Used
        NoUnusedVariablesRule(),
        // https://spec.graphql.org/October2021/#sec-Directives-Are-Defined
        KnownDirectivesRule(),
        // https://spec.graphql.org/October2021/#sec-Directives-Are-Unique-Per-Location
        UniqueDirectivesPerLocationRule(),
        // The incremental delivery RFC (https://github.com/graphql/graphql-spec/pull/742), for
        // schemas that declare @defer and @stream (elsewhere they are unknown directives only).
        DeferStreamDirectiveOnRootFieldRule(),
        DeferStreamDirectiveLabelRule(),
        StreamDirectiveOnListFieldRule(),
        // https://spec.graphql.org/October2021/#sec-Argument-Names
        KnownArgumentNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Argument-Uniqueness
        UniqueArgumentNamesRule(),
        // https://spec.graphql.org/October2021/#sec-Values-of-Correct-Type
        ValuesOfCorrectTypeRule(),
        // https://spec.graphql.org/October2021/#sec-Required-Arguments
        ProvidedRequiredArgumentsRule(),
        // https://spec.graphql.org/October2021/#sec-All-Variable-Usages-are-Allowed
        VariablesInAllowedPositionRule(),
        // https://spec.graphql.org/October2021/#sec-Field-Selection-Merging
        OverlappingFieldsCanBeMergedRule(),
        // https://spec.graphql.org/October2021/#sec-Input-Object-Field-Uniqueness
        UniqueInputFieldNamesRule(),
        // graphql-js 16.9: bounds the cost of introspection queries
        MaxIntrospectionDepthRule(),
    ]
}
