"""`nilecare cache invalidate` against a real redis-server: drops a tag's entries and the tag."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import NILECARE, Redis  # noqa: E402


def command(port, *args):
    payload = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in args))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload)
        return s.recv(4096)


def test_invalidate_drops_tagged_entries():
    redis = Redis()
    try:
        port = redis.port
        command(port, "SET", "nc:v:p:x:appointments:17", "[]")
        command(port, "SET", "nc:v:p:x:appointments:18", "[]")
        command(port, "SADD", "Patient.appointments:17", "nc:v:p:x:appointments:17")
        result = subprocess.run([NILECARE, "cache", "invalidate", "--redis", redis.url,
                                 "--field", "Patient.appointments", "--key", "17"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert command(port, "EXISTS", "nc:v:p:x:appointments:17") == b":0\r\n"
        assert command(port, "EXISTS", "Patient.appointments:17") == b":0\r\n"
        assert command(port, "EXISTS", "nc:v:p:x:appointments:18") == b":1\r\n"
    finally:
        redis.close()
