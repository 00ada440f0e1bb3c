"""The insurance subgraph written with Strawberry's Apollo Federation support, over the same
fixture data as the gateway's own fixture subgraph (Fixtures/coverage.json, claims.json): the
gateway's interoperability with a real subgraph library.

Serves `POST /graphql` (GraphQL over HTTP, JSON) and `GET /__stats` (requests by kind) on
127.0.0.1:PORT. Run: python3 Tests/interop/insurance_strawberry.py PORT
"""
import enum
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List, Optional

import strawberry

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures")
with open(os.path.join(FIXTURES, "coverage.json")) as handle:
    COVERAGE = json.load(handle)
with open(os.path.join(FIXTURES, "claims.json")) as handle:
    CLAIMS = json.load(handle)


@strawberry.enum
class CoverageStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"


@strawberry.enum
class ClaimStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    DENIED = "DENIED"
    PAID = "PAID"


def claims_where(status, **match):
    rows = [row for row in CLAIMS if all(row[key] == value for key, value in match.items())]
    return [Claim.of(row) for row in rows if status is None or row["status"] == status.value]


@strawberry.federation.type(keys=["id"], description="A claim for an appointment, made under a coverage.")
class Claim:
    id: strawberry.ID
    patient_id: strawberry.ID
    coverage_id: strawberry.ID
    appointment_id: Optional[strawberry.ID]
    amount_cents: int
    status: ClaimStatus
    submitted_at: str

    @staticmethod
    def of(row):
        return Claim(id=row["id"], patient_id=row["patientId"], coverage_id=row["coverageId"], appointment_id=row["appointmentId"],
                     amount_cents=row["amountCents"], status=ClaimStatus(row["status"]), submitted_at=row["submittedAt"])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID):
        row = next((row for row in CLAIMS if row["id"] == id), None)
        return Claim.of(row) if row else None


@strawberry.federation.type(keys=["id"], description="An insurance policy covering a patient.")
class Coverage:
    id: strawberry.ID
    patient_id: strawberry.ID
    payer: str
    plan_name: str
    member_id: str
    status: CoverageStatus
    valid_from: str
    valid_to: Optional[str]

    @strawberry.field
    def claims(self, status: Optional[ClaimStatus] = None) -> List[Claim]:
        return claims_where(status, coverageId=self.id)

    @staticmethod
    def of(row):
        return Coverage(id=row["id"], patient_id=row["patientId"], payer=row["payer"], plan_name=row["planName"],
                        member_id=row["memberId"], status=CoverageStatus(row["status"]), valid_from=row["validFrom"],
                        valid_to=row["validTo"])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID):
        row = next((row for row in COVERAGE if row["id"] == id), None)
        return Coverage.of(row) if row else None


@strawberry.federation.type(keys=["id"], description="A patient of the clinical service, extended with insurance data.")
class Patient:
    id: strawberry.ID

    @strawberry.field
    def coverage(self) -> List[Coverage]:
        return [Coverage.of(row) for row in COVERAGE if row["patientId"] == self.id]

    @strawberry.field
    def claims(self, status: Optional[ClaimStatus] = None) -> List[Claim]:
        return claims_where(status, patientId=self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID):
        return Patient(id=id)


@strawberry.type
class Query:
    @strawberry.field
    def coverage(self, id: strawberry.ID) -> Optional[Coverage]:
        return Coverage.resolve_reference(id)

    @strawberry.field
    def claim(self, id: strawberry.ID) -> Optional[Claim]:
        return Claim.resolve_reference(id)


SCHEMA = strawberry.federation.Schema(query=Query, types=[Patient])
STATS = {}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/__stats":
            with LOCK:
                self.answer(200, {"requests": dict(STATS), "total": sum(STATS.values())})
        else:
            self.answer(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/graphql":
            self.answer(404, {"error": "not found"})
            return
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        query = request.get("query", "")
        kind = "_entities" if "_entities" in query else "_service" if "_service" in query else "query"
        with LOCK:
            STATS[kind] = STATS.get(kind, 0) + 1
        result = SCHEMA.execute_sync(query, variable_values=request.get("variables"), operation_name=request.get("operationName"))
        body = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        self.answer(200, body)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print(f"insurance (strawberry) http://127.0.0.1:{sys.argv[1]}", flush=True)
    server.serve_forever()
