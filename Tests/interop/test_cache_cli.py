"""`nilecare cache invalidate` against a real redis-server: drops a tag's entries and the tag."""
import os
import socket
import subprocess
import time

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")


def command(port, *args):
    payload = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in args))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload)
        return s.recv(4096)


def test_invalidate_drops_tagged_entries(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                if command(port, "PING") == b"+PONG\r\n":
                    break
            except OSError:
                time.sleep(0.05)
        command(port, "SET", "nc:v:p:x:appointments:17", "[]")
        command(port, "SET", "nc:v:p:x:appointments:18", "[]")
        command(port, "SADD", "Patient.appointments:17", "nc:v:p:x:appointments:17")
        result = subprocess.run([NILECARE, "cache", "invalidate", "--redis", f"redis://127.0.0.1:{port}",
                                 "--field", "Patient.appointments", "--key", "17"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert command(port, "EXISTS", "nc:v:p:x:appointments:17") == b":0\r\n"
        assert command(port, "EXISTS", "Patient.appointments:17") == b":0\r\n"
        assert command(port, "EXISTS", "nc:v:p:x:appointments:18") == b":1\r\n"
    finally:
        server.terminate()
        server.wait(timeout=10)
