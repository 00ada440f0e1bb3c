"""The worst document shapes known for a GraphQL server's validation and limit checks, as query
texts: shared by the hostile-shapes benchmark and the regression tests."""


def aliased_providers(count):
    """`count` fields of one response name with different arguments: every pair conflicts."""
    return "{ " + " ".join(f'p: provider(id: "{i}") {{ id }}' for i in range(count)) + " }"


def distinct_aliases(count):
    """`count` fields of one response name whose sub-selections differ: no pair conflicts, each pair is compared."""
    return "{ patient(id: \"1\") { " + " ".join(f"appointments {{ a{i}: id }}" for i in range(count)) + " } }"


def repeated_lists(count):
    """The same list field `count` times (cost grows, every copy merges)."""
    return "{ patient(id: \"1\") { " + " ".join("appointments { id }" for _ in range(count)) + " } }"


def fragment_fanout(levels, root="{ __schema { ...F%d } }", base="fragment F0 on __Schema { queryType { name } }",
                    step="fragment F%d on __Schema { ...F%d ...F%d }"):
    """Fragments each spreading the one below twice: 2^levels expansions in 1 KB."""
    parts = [root % levels, base]
    parts += [step % (i, i - 1, i - 1) for i in range(1, levels + 1)]
    return "\n".join(parts)


def patient_fragment_fanout(levels):
    """The same fan-out on data types (no introspection)."""
    return fragment_fanout(levels, root='{ patient(id: "1") { ...F%d } }', base="fragment F0 on Patient { id firstName }",
                           step="fragment F%d on Patient { ...F%d ...F%d }")


def many_errors(count):
    """`count` unknown fields: one error each."""
    return "{ " + " ".join(f"unknown{i}" for i in range(count)) + " }"


SHAPES = {
    "400 aliased provider(id) with different arguments": aliased_providers(400),
    "1000 aliased provider(id) with different arguments": aliased_providers(1000),
    "2000 same-name fields with differing sub-selections": distinct_aliases(2000),
    "3000 repeated appointments { id }": repeated_lists(3000),
    "introspection fragment fan-out 2^22": fragment_fanout(22),
    "introspection fragment fan-out 2^60": fragment_fanout(60),
    "data fragment fan-out 2^60": patient_fragment_fanout(60),
    "5000 unknown fields": many_errors(5000),
}
