"""The engine against graphql-core 3.2.8 (the conformance oracle) on inputs nobody wrote down:
seeded mutations of the conformance corpus's documents for the parser and validator (characters
cut, inserted, reversed; names swapped for the schema's and document's, pieces of syntax added),
and random variable values for the corpus's executions (coercion).

Each input runs through `nilecare validate` / `nilecare execute` (the conformance CLI) and through
graphql-core in this process. They must agree as the conformance harness compares them (validity
and where each error points; for executions, `data` and the paths of errors), and errors must come
in graphql-core's (graphql-js's) order too. The engine must never
crash (also where graphql-core itself raises, which leaves nothing to compare). One difference is
allowed, and only it: graphql-core computes an error's line and column with `str.splitlines()`, so
a position at the start of a line is reported at the end of the line before (and Python's other
line breaks, like U+2028, count). The engine reports what the spec and graphql-js report; its
locations are mapped through graphql-core's formula before comparing.

The seed is fixed: a failure names its input and replays exactly."""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import NILECARE  # noqa: E402

CONFORMANCE = os.environ.get("CONFORMANCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "conformance"))
CORPUS = os.path.join(CONFORMANCE, "corpus", "cases.jsonl")
# Fixed in CI; a longer hunt: DIFFERENTIAL_SEED=7 DIFFERENTIAL_DOCUMENTS=20000 DIFFERENTIAL_DRAWS=100.
SEED = int(os.environ.get("DIFFERENTIAL_SEED", "20261206"))
MUTATED_DOCUMENTS = int(os.environ.get("DIFFERENTIAL_DOCUMENTS", "1600"))
VARIABLE_DRAWS = int(os.environ.get("DIFFERENTIAL_DRAWS", "10"))

pytestmark = pytest.mark.skipif(not os.path.exists(CORPUS), reason=f"conformance corpus not found at {CORPUS} (set CONFORMANCE_DIR)")

# What a mutation inserts: punctuators, keywords, numbers' pieces, string and comment starts,
# non-ASCII (a letter, a line separator), escapes.
INSERTIONS = list('{}()[]:$@!=.,"#\n\r\t ') + ["...", '"""', "on", "null", "true", "1", "-", "0x", "1e", "\u00e9", "\u2028", "\\u00", "&", "|", "\ufeff"]
VARIABLE_VALUES = [None, 0, 1, -1, 2**31, -(2**31) - 1, 1.5, 1.0, "abc", "1", "", True, False, [], [1], [None], ["a", None],
                   {}, {"a": 1}, {"requiredField": True}, [[1]], "RED", "GREEN", 1e100, "1.5", {"stringField": "x", "intField": 1}]


def corpus():
    with open(CORPUS, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def graphql_core_validate(schema_sdl, query):
    from graphql import GraphQLSyntaxError, build_schema, parse, validate
    schema = build_schema(schema_sdl)
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        return [error]
    return validate(schema, document)


def graphql_core_execute(case, variables):
    from graphql import GraphQLSyntaxError, build_schema, execute_sync, parse, validate
    from graphql.execution import ExecutionContext
    schema = build_schema(case["schema_sdl"])
    try:
        document = parse(case["query"])
    except GraphQLSyntaxError:
        return {"errors": [None]}
    if validate(schema, document):
        return {"errors": [None]}
    context = ExecutionContext.build(schema, document, case.get("root_value"), None, variables, case.get("operation_name"))
    if isinstance(context, list):
        return {"errors": [None]}
    result = execute_sync(schema, document, case.get("root_value"), None, variables, case.get("operation_name"))
    response = {"data": result.data}
    if result.errors:
        response["errors"] = [list(error.path) if error.path is not None else None for error in result.errors]
    return response


def run_engine(arguments, files):
    """Runs `nilecare` with `files` ({name: text}) written to a scratch folder; stdout parsed."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, text in files.items():
            paths[name] = os.path.join(folder, name)
            with open(paths[name], "w", encoding="utf-8", newline="") as file:
                file.write(text)
        command = [NILECARE, *[paths.get(argument, argument) for argument in arguments]]
        completed = subprocess.run(command, capture_output=True, timeout=60)
    if completed.returncode < 0:
        return {"crashed": -completed.returncode}
    try:
        return json.loads(completed.stdout)
    except ValueError:
        return {"unreadable": completed.stdout[:200].decode("utf-8", "replace")}


def spec_offset(body, line, column):
    """The character offset of a (line, column) as the spec counts lines (\\r\\n, \\n, \\r)."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|[\n\r]", body)]
    return starts[line - 1] + column - 1 if 0 < line <= len(starts) else None


def graphql_core_location(body, offset):
    """graphql-core's `Source.get_location`: lines by `str.splitlines()`."""
    lines = body[:offset].splitlines()
    return (len(lines), len(lines[-1]) + 1) if lines else (1, 1)


def location_multiset(errors):
    return Counter(tuple(sorted(error)) for error in errors)


NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
# What a semantic mutation inserts, around names drawn from the schema and the document.
FRAGMENTS = ["!", "[", "]", "(a: 1)", " = null", " = 1", ' = "x"', " = [1]", " = {a: 1}", " @skip(if: true) ", " @include(if: $v) "]
NAMES = ["String", "Int", "Boolean", "ID", "Float", "__typename", "__schema", "__type", "skip", "include", "deprecated", "oneOf", "defer", "stream"]


def mutate_semantically(rng, case):
    """Names swapped for other names of the schema or document, and small pieces of syntax
    (types' wrappers, arguments, defaults, directives, spreads) inserted: documents that parse and
    reach the validation rules."""
    query = case["query"]
    names = NAME.findall(case["schema_sdl"]) + NAME.findall(query) + NAMES
    for _ in range(rng.randint(1, 3)):
        spans = [match.span() for match in NAME.finditer(query)]
        roll = rng.random()
        if roll < 0.5 and spans:
            start, end = rng.choice(spans)
            query = query[:start] + rng.choice(names) + query[end:]
        elif roll < 0.75:
            name = rng.choice(names)
            piece = rng.choice(FRAGMENTS + [f"${name}", f"@{name}", f"...{name}", f" {name} ", f": {name}", f"{{ {name} }}"])
            at = rng.randrange(len(query) + 1)
            query = query[:at] + piece + query[at:]
        else:
            query = mutate(rng, query)
    return query


def mutate(rng, query):
    """Characters cut, inserted (punctuators, keywords, odd characters) or reversed."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(query) + 1)
        roll = rng.random()
        if roll < 0.4:
            query = query[:at] + query[at + rng.randint(1, 6):]
        elif roll < 0.8:
            query = query[:at] + rng.choice(INSERTIONS) + query[at:]
        else:
            start, end = sorted((at, rng.randrange(len(query) + 1)))
            query = query[:start] + query[start:end][::-1] + query[end:]
    return query


def validation_difference(schema_sdl, query):
    """Why the engine and graphql-core disagree on `query`, or None."""
    ours = run_engine(["validate", "--schema", "schema.graphql", "--format", "json", "query.graphql"],
                      {"schema.graphql": schema_sdl, "query.graphql": query})
    if "errors" not in ours:
        return f"the engine answered {ours}"
    try:
        expected = [[(location.line, location.column) for location in (error.locations or [])] for error in graphql_core_validate(schema_sdl, query)]
    except Exception:  # graphql-core's own bug (a rule raising on odd input): nothing to compare
        return None
    found = [[(location["line"], location["column"]) for location in error.get("locations", [])] for error in ours["errors"]]
    if bool(found) != bool(expected):
        return f"valid: engine {not found}, graphql-core {not expected} ({ours['errors'][:2]})"

    def as_graphql_core(location):
        offset = spec_offset(query, *location)
        return graphql_core_location(query, offset) if offset is not None else location
    converted = [[as_graphql_core(location) for location in error] for error in found]
    if location_multiset(converted) != location_multiset(expected):
        return f"locations: engine {found} (as graphql-core counts: {converted}), graphql-core {expected}"
    if converted != expected:
        return f"order: engine {converted}, graphql-core {expected}"
    return None


def execution_difference(case, variables):
    expected = graphql_core_execute(case, variables)
    files = {"schema.graphql": case["schema_sdl"], "query.graphql": case["query"],
             "root.json": json.dumps(case.get("root_value")), "variables.json": json.dumps(variables)}
    arguments = ["execute", "--schema", "schema.graphql", "--root-value", "root.json", "--variables", "variables.json"]
    if case.get("operation_name") is not None:  # "" names no operation: an error, not the only one
        arguments += ["--operation-name", case["operation_name"]]
    ours = run_engine(arguments + ["query.graphql"], files)
    if "crashed" in ours or "unreadable" in ours:
        return f"the engine answered {ours}"
    if ("data" in ours) != ("data" in expected) or ours.get("data") != expected.get("data"):
        return f"data: engine {json.dumps(ours.get('data', '<absent>'))[:300]}, graphql-core {json.dumps(expected.get('data', '<absent>'))[:300]}"
    paths = {json.dumps(error.get("path")) for error in ours.get("errors", [])}
    if paths != {json.dumps(path) for path in expected.get("errors", [])}:
        return f"error paths: engine {sorted(paths)}, graphql-core {expected.get('errors')}"
    return None


def test_mutated_documents_parse_and_validate_as_graphql_core_does():
    cases = [case for case in corpus() if case["kind"] == "validate" and case["query"]]
    rng = random.Random(SEED)
    inputs = []
    for index in range(MUTATED_DOCUMENTS):
        case = rng.choice(cases)
        query = mutate(rng, case["query"]) if index % 2 else mutate_semantically(rng, case)
        inputs.append((index, case["id"], case["schema_sdl"], query))
    with ThreadPoolExecutor(max_workers=2) as pool:
        differences = list(pool.map(lambda item: (item, validation_difference(item[2], item[3])), inputs))
    failures = [f"mutation {index} of {source}: {why}\n    query: {query!r}" for (index, source, _, query), why in differences if why]
    assert not failures, f"{len(failures)} of {len(inputs)} mutated documents disagree with graphql-core:\n" + "\n".join(failures[:10])


def test_random_variables_coerce_as_graphql_core_does():
    from graphql import parse
    rng = random.Random(SEED)
    inputs = []
    for case in corpus():
        if case["kind"] != "execute":
            continue
        try:
            document = parse(case["query"])
        except Exception:
            continue
        names = [definition.variable.name.value for operation in document.definitions
                 for definition in (getattr(operation, "variable_definitions", None) or [])]
        for draw in range(VARIABLE_DRAWS if names else 0):
            variables = {name: rng.choice(VARIABLE_VALUES) for name in names if rng.random() >= 0.15}
            inputs.append((case, draw, variables))
    assert len(inputs) > 100  # the corpus has executions with variables to draw for
    with ThreadPoolExecutor(max_workers=2) as pool:
        differences = list(pool.map(lambda item: (item, execution_difference(item[0], item[2])), inputs))
    failures = [f"{case['id']} draw {draw}, variables {json.dumps(variables)}: {why}" for (case, draw, variables), why in differences if why]
    assert not failures, f"{len(failures)} of {len(inputs)} executions disagree with graphql-core:\n" + "\n".join(failures[:10])
