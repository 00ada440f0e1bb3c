"""TLS on the listener: `--tls-cert`/`--tls-key` serve HTTPS, HTTP/2 for clients that negotiate it
by ALPN (curl) and HTTP/1.1 for the rest (requests), with the same GraphQL and REST answers; a plain
HTTP client gets no answer from the TLS port."""
import os
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import NILECARE, free_port, free_port_range  # noqa: E402


def test_https_with_http2_and_http1(tmp_path):
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    log = open(tmp_path / "gateway.log", "w")
    process = subprocess.Popen([NILECARE, "serve", "--port", str(port), "--fixtures-base-port", str(free_port_range(4)),
                                "--audit-log", "off", "--tls-cert", str(certificate), "--tls-key", str(key)], stdout=log, stderr=subprocess.STDOUT)
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(f"{url}/health", verify=str(certificate), timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        token = subprocess.run([NILECARE, "token"], capture_output=True, text=True, check=True, timeout=30).stdout.strip()
        # HTTP/1.1 over TLS (requests does not offer h2).
        answer = requests.post(f"{url}/graphql", json={"query": '{ patient(id: "1") { id } }'}, verify=str(certificate), timeout=30,
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.json() == {"data": {"patient": {"id": "1"}}}
        # HTTP/2 negotiated by ALPN.
        curl = subprocess.run(["curl", "-sS", "--http2", "--cacert", str(certificate), "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                               "-H", f"Authorization: Bearer {token}", f"{url}/api/v2/patients/1"], capture_output=True, text=True, timeout=60)
        assert curl.stdout == "2 200", curl.stdout + curl.stderr
        # Plain HTTP to the TLS port is not served.
        try:
            plain = requests.get(f"http://127.0.0.1:{port}/health", timeout=10)
            assert plain.status_code != 200
        except requests.RequestException:
            pass
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
