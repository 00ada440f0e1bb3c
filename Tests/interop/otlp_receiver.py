"""A minimal OTLP/HTTP trace receiver for tests: POST /v1/traces (protobuf), spans kept in memory.

`answers` scripts the first replies (status codes, e.g. [503, 503]: the exporter must retry);
`hold`, a threading.Event, keeps every export waiting until it is set (a receiver that hangs).
Tests wait for spans with `wait_for(predicate)`, woken on each export, not by sleeping."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2


class Receiver:
    def __init__(self, answers=(), hold=None):
        self.spans = []  # (service name, span)
        self.requests = []  # (status answered, raw body)
        self.answers = list(answers)
        self.hold = hold
        self.changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.hold is not None:
                    receiver.hold.wait()
                with receiver.changed:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.requests.append((status, body, dict(self.headers)))
                    if status == 200:
                        request = trace_service_pb2.ExportTraceServiceRequest()
                        request.ParseFromString(body)
                        for resource_spans in request.resource_spans:
                            service = next((a.value.string_value for a in resource_spans.resource.attributes
                                            if a.key == "service.name"), "")
                            for scope_spans in resource_spans.scope_spans:
                                receiver.spans.extend((service, span) for span in scope_spans.spans)
                    receiver.changed.notify_all()
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString() if status == 200 else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/x-protobuf")
                if status != 200:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.changed:
            return list(self.spans)

    def wait_for(self, predicate, timeout=30):
        """Waits until `predicate(spans)` holds (re-checked on every export); returns the spans."""
        with self.changed:
            self.changed.wait_for(lambda: predicate(list(self.spans)), timeout=timeout)
            return list(self.spans)

    def wait_for_requests(self, predicate, timeout=30):
        """Waits until `predicate(requests)` holds (re-checked on every export); returns the requests."""
        with self.changed:
            self.changed.wait_for(lambda: predicate(list(self.requests)), timeout=timeout)
            return list(self.requests)

    def close(self):
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
