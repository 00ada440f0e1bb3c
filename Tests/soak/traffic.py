"""What the fuzz/soak run sends: GraphQL documents generated from the schema (valid ones, and
mutated ones), hostile variables, REST calls with random parameters, and tokens valid, forged and
odd. Everything draws from one `random.Random`, so a seed replays a run."""
import json
import os
import sys
import time

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, build_schema, get_named_type, is_leaf_type

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Benchmarks", "hostile"))
from jwt_tokens import forged  # noqa: E402
from shapes import SHAPES  # noqa: E402

EXTREME_VALUES = [
    1e19, -1e19, 9223372036854775807, 9223372036854775808, -9223372036854775809, 1e308, -1e308, 5e-324, 0, -0.0, 2147483648,
    "", " ", "0", "-1", "1e19", "NaN", "Infinity", "\u0000", "\ud83d\ude00" * 50, "é" * 1000, "x" * 70000, "'; DROP TABLE patients;--",
    "<img src=x onerror=alert(1)>", "../../etc/passwd", "%00%ff", "17,18,19", None, True, False, [], {}, [1, "2", None], {"a": {"b": [1e19]}},
]


class Traffic:
    def __init__(self, rng, sdl, patients=60):
        self.rng = rng
        self.schema = build_schema(sdl)
        self.patients = patients

    # Values and arguments

    def extreme(self):
        return self.rng.choice(EXTREME_VALUES)

    def patient_id(self):
        return str(self.rng.randint(1, self.patients))

    def argument_literal(self, name, type_):
        named = get_named_type(type_)
        if self.rng.random() < 0.1:
            return self.rng.choice(['"x"', "1e19", "-1", "null", "[1,2]", "{a: 1}", "9223372036854775808", '"\\u0000"', "true"])
        if name in ("limit", "first"):
            return str(self.rng.choice([1, 2, 5, 20, 100, 0, -1, 101]))
        if name == "offset":
            return str(self.rng.choice([0, 5, 50, 10000, -5]))
        if named.name == "ID":
            return '"%s"' % self.rng.choice([self.patient_id(), self.patient_id(), "999999", "0", "abc"])
        if named.name == "Int":
            return str(self.rng.randint(-3, 200))
        if named.name == "String":
            return '"%s"' % self.rng.choice(["a", "2031-01-01", "09:00"])
        return "null"

    # Documents

    def selection(self, type_, depth):
        fields = list(type_.fields.items())
        chosen = self.rng.sample(fields, k=min(len(fields), self.rng.randint(1, 4)))
        parts = []
        for name, field in chosen:
            named = get_named_type(field.type)
            if is_leaf_type(named):
                parts.append(name)
            elif depth < 3 and isinstance(named, GraphQLObjectType):
                arguments = self.arguments(field)
                parts.append(f"{name}{arguments} {{ {self.selection(named, depth + 1)} }}")
        if not parts:
            parts.append("__typename")
        if self.rng.random() < 0.1:
            parts.append(f"alias{self.rng.randint(0, 9)}: __typename")
        return " ".join(parts)

    def arguments(self, field):
        if not field.args:
            return ""
        given = [f"{name}: {self.argument_literal(name, argument.type)}" for name, argument in field.args.items()
                 if isinstance(argument.type, GraphQLNonNull) or self.rng.random() < 0.5]
        return f"({', '.join(given)})" if given else ""

    def query(self):
        root = self.schema.query_type
        name, field = self.rng.choice(list(root.fields.items()))
        named = get_named_type(field.type)
        body = self.selection(named, 1) if isinstance(named, GraphQLObjectType) else ""
        return "{ %s%s%s }" % (name, self.arguments(field), f" {{ {body} }}" if body else "")

    def mutated(self, text):
        """A document broken the ways clients and attackers break them."""
        characters = list(text)
        for _ in range(self.rng.randint(1, 6)):
            operation = self.rng.random()
            position = self.rng.randrange(len(characters) + 1)
            if operation < 0.3 and characters:
                del characters[min(position, len(characters) - 1)]
            elif operation < 0.6:
                characters.insert(position, self.rng.choice('{}()[]:$@!."\\ \n#,&|=abc0-9éø\u0000'))
            elif operation < 0.8:
                chunk = "".join(characters[position:position + self.rng.randint(1, 20)])
                characters[position:position] = list(chunk * self.rng.randint(2, 50))
            else:
                characters.insert(position, self.rng.choice(["...F", "fragment F on Patient { id }", "query Q", "@skip(if: true)",
                                                             "__schema { types { name } }", '"""', "$v"]))
        return "".join(characters)

    def graphql_request(self):
        """A GraphQL body: valid, mutated, hostile, or with odd variables."""
        roll = self.rng.random()
        if roll < 0.55:
            return {"query": self.query()}
        if roll < 0.75:
            return {"query": self.mutated(self.query())}
        if roll < 0.82:
            return {"query": self.rng.choice(list(SHAPES.values()))}
        if roll < 0.95:
            return {"query": "query($id: ID!, $n: Int, $s: String) { patient(id: $id) { id firstName } patients(limit: $n) { id } }",
                    "variables": self.rng.choice([{"id": self.extreme(), "n": self.extreme(), "s": self.extreme()},
                                                  {"id": self.patient_id(), "n": self.extreme()}, self.extreme(), "not-an-object"])}
        return {"query": self.query(), "operationName": self.rng.choice([None, "", "X" * 500, "ValidName", "\ud83d\ude00"]),
                "extensions": self.rng.choice([{}, {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}, "x"])}

    def rest_request(self, version):
        """A REST GET with random parameters: (path, params)."""
        route = self.rng.choice(["patients", "patients/{id}", "patients/{id}/appointments", "patients/{id}/medications",
                                 "patients/{id}/lab-orders", "appointments/{id}", "patients/{id}/coverage", "coverage/{id}"])
        identifier = self.rng.choice([self.patient_id(), self.patient_id(), "999999", "%00", "1e19", "-1", "x" * 300, "..%2F"])
        params = {}
        for name in ("limit", "page", "offset", "fields"):
            if self.rng.random() < 0.4:
                params[name] = self.rng.choice(["2", "100", "0", "-1", "9223372036854775807", "1e3", "", "id,firstName",
                                                "appointments.date", "nope", "id" * 500])
        return f"/api/{version}/" + route.replace("{id}", identifier), params

    # Tokens

    def token(self, gateway):
        """(bearer or None, the patient id the caller is restricted to, or None)."""
        roll = self.rng.random()
        if roll < 0.45:
            patient = self.patient_id()
            return gateway.cached_token("patient", patient), patient
        if roll < 0.7:
            return gateway.cached_token(self.rng.choice(["clinician", "admin"]), "soak"), None
        if roll < 0.78:
            return None, None
        if roll < 0.85:
            return forged({"sub": self.patient_id(), "role": "admin"}, "not-the-secret-" + "x" * 32), None
        if roll < 0.92:
            claims = self.rng.choice([{"sub": 1e19, "role": "patient"}, {"sub": "1", "role": 9223372036854775807},
                                      {"sub": ["1"], "role": ["admin"]}, {"sub": "1", "role": "patient", "exp": 1e300},
                                      {"sub": "1", "role": "patient", "exp": int(time.time()) - 3600},
                                      {"sub": "1", "role": "patient", "nbf": int(time.time()) + 3600}])
            # Signed with the gateway's own secret: valid signatures over odd claims.
            restricted = "1" if claims.get("role") == "patient" and claims.get("sub") == "1" else None
            return forged(claims, gateway.secret), restricted
        return "x" * self.rng.choice([10, 5000, 60000]), None

    def appointment_input(self, patient):
        return {"patientId": patient, "providerId": str(self.rng.randint(1, 20)), "date": "2031-03-%02d" % self.rng.randint(1, 28),
                "time": "%02d:%02d" % (self.rng.randint(8, 17), self.rng.choice([0, 15, 30, 45]))}


def dumps(value):
    return json.dumps(value, ensure_ascii=False)
