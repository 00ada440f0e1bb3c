"""A real client rebuilds our schema from our introspection result.

Runs the standard introspection query (graphql-core's get_introspection_query, every option
on) through `nilecare execute`, rebuilds the schema with graphql-core's build_client_schema, and
checks it prints the same SDL as graphql-core's own build of the schema and as
`nilecare schema print`.
"""
import json
import os
import subprocess
import tempfile

import pytest
from graphql import build_client_schema, build_schema, get_introspection_query, print_schema

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SCHEMAS = {
    "kitchen": '''
"""The schema"""
schema { query: Root mutation: Change }
"""A node"""
interface Node { id: ID! }
interface Named implements Node { id: ID! name(style: Style = SHORT): String }
type Person implements Node & Named {
  id: ID!
  "The name"
  name(style: Style = SHORT): String
  friends(first: Int = 10, after: String): [Person!]! @deprecated(reason: "Use `connections`.")
  score: Float
  active: Boolean @deprecated
}
type Root { node(id: ID!): Node search(filter: Filter = {text: "x", tags: ["a", "b"]}): [Result] }
type Change { rename(input: RenameInput!): Person }
union Result = Person
enum Style { SHORT LONG @deprecated(reason: "too long") }
input Filter { text: String, tags: [String!], limit: Int = 5 }
input RenameInput { byId: ID, byName: String }
scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
type Clock { now: Date }
directive @cost(weight: Int! = 1, "why" reason: String) repeatable on FIELD_DEFINITION | OBJECT
''',
}


def run(*args):
    return subprocess.run([NILECARE, *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_client_schema_prints_the_same_sdl(name, tmp_path):
    sdl = SCHEMAS[name]
    schema_file = tmp_path / "schema.graphql"
    schema_file.write_text(sdl)
    query_file = tmp_path / "introspection.graphql"
    query_file.write_text(
        get_introspection_query(
            descriptions=True,
            specified_by_url=True,
            directive_is_repeatable=True,
            schema_description=True,
            input_value_deprecation=True,
        )
    )
    root_file = tmp_path / "root.json"
    root_file.write_text("{}")
    result = run("execute", "--schema", str(schema_file), "--root-value", str(root_file), str(query_file))
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout.strip().splitlines()[-1])
    assert "errors" not in response, response.get("errors")
    client_schema = build_client_schema(response["data"])
    expected = print_schema(build_schema(sdl))
    assert print_schema(client_schema) == expected
    printed = run("schema", "print", "--schema", str(schema_file))
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip() == expected.strip()


def test_validate_reports_file_line_column(tmp_path):
    schema_file = tmp_path / "schema.graphql"
    schema_file.write_text("type Query { a: Int }")
    good = tmp_path / "good.graphql"
    good.write_text("{ a }")
    bad = tmp_path / "bad.graphql"
    bad.write_text("{\n  a\n  missing\n}")
    ok = run("validate", "--schema", str(schema_file), str(good))
    assert ok.returncode == 0
    failed = run("validate", "--schema", str(schema_file), str(good), str(bad))
    assert failed.returncode == 1
    assert f"{bad}:3:3: Cannot query field 'missing' on type 'Query'." in failed.stdout  # graphql-core's wording
    js = run("validate", "--wording", "graphql-js", "--schema", str(schema_file), str(bad))
    assert f'{bad}:3:3: Cannot query field "missing" on type "Query".' in js.stdout


def test_bad_schema_is_a_clear_error(tmp_path):
    schema_file = tmp_path / "schema.graphql"
    schema_file.write_text("type Query { a: Nope }")
    query = tmp_path / "q.graphql"
    query.write_text("{ a }")
    result = run("validate", "--schema", str(schema_file), str(query))
    assert result.returncode == 2
    assert "1:17: Unknown type \"Nope\"." in result.stderr
