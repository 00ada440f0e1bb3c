"""Reads an OTLP ExportTraceServiceRequest (protobuf) on stdin and prints it as JSON, decoded by
opentelemetry-proto (the reference definitions), for OTLPEncodingTests."""
import sys

from google.protobuf.json_format import MessageToJson
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

request = trace_service_pb2.ExportTraceServiceRequest()
request.ParseFromString(sys.stdin.buffer.read())
print(MessageToJson(request, preserving_proto_field_name=True, use_integers_for_enums=True))
