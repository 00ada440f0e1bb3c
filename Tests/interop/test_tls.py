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
    process = subprocess.Popen([NILECARE, "serve", "--port", str(port), "--fixtures-base-port", str(free_port_range(5)),
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


def _certificate(directory, name, subject, issuer=None, client=False):
    """A key and certificate (signed by `issuer`, a (cert, key) pair, or self-signed as a CA)."""
    key, cert = directory / f"{name}.key", directory / f"{name}.pem"
    if issuer is None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", subject,
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=120)
        return cert, key
    request = directory / f"{name}.csr"
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", str(key), "-out", str(request)],
                   check=True, capture_output=True, timeout=120)
    extensions = directory / f"{name}.ext"
    extensions.write_text("extendedKeyUsage=clientAuth\n" if client else "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    subprocess.run(["openssl", "x509", "-req", "-in", str(request), "-CA", str(issuer[0]), "-CAkey", str(issuer[1]), "-CAcreateserial",
                    "-days", "2", "-extfile", str(extensions), "-out", str(cert)], check=True, capture_output=True, timeout=120)
    return cert, key


def test_downstream_services_behind_mutual_tls(tmp_path):
    """A lab service that requires a client certificate: the gateway presents its own
    (`--downstream-tls-cert/-key`) and trusts the service's CA (`--downstream-ca`)."""
    import http.server
    import json as jsonlib
    import ssl
    import threading

    ca = _certificate(tmp_path, "ca", "/CN=nilecare-test-ca")
    server_cert = _certificate(tmp_path, "server", "/CN=127.0.0.1", issuer=ca)
    client_cert = _certificate(tmp_path, "client", "/CN=nilecare-gateway", issuer=ca, client=True)

    class Lab(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server protocol)
            ids = self.path.split("patientId=")[-1].split(",")
            body = jsonlib.dumps({"data": [{"id": f"mtls-{i}", "patientId": i, "test": "CBC", "status": "RESULTED",
                                            "orderedAt": "2031-01-01T09:00:00Z"} for i in ids]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *arguments):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(server_cert[0]), str(server_cert[1]))
    context.load_verify_locations(str(ca[0]))
    context.verify_mode = ssl.CERT_REQUIRED
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Lab)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    lab = f"https://127.0.0.1:{server.server_address[1]}"

    def gateway(*tls_arguments):
        port = free_port()
        log = open(tmp_path / f"gateway-{port}.log", "w")
        process = subprocess.Popen([NILECARE, "serve", "--port", str(port), "--fixtures-base-port", str(free_port_range(5)),
                                    "--audit-log", "off", "--service", f"lab={lab}", *tls_arguments], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        return process, port, log

    token = subprocess.run([NILECARE, "token"], capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    query = {"query": '{ patient(id: "3") { id labOrders { id } } }'}
    try:
        for arguments, expected in [
            (["--downstream-tls-cert", str(client_cert[0]), "--downstream-tls-key", str(client_cert[1]), "--downstream-ca", str(ca[0])], "ok"),
            (["--downstream-ca", str(ca[0])], "refused"),  # no client certificate: the service hangs up
        ]:
            process, port, log = gateway(*arguments)
            try:
                body = requests.post(f"http://127.0.0.1:{port}/graphql", json=query, headers={"Authorization": f"Bearer {token}"}, timeout=60).json()
                if expected == "ok":
                    assert body["data"]["patient"]["labOrders"] == [{"id": "mtls-3"}], body
                else:
                    assert body["data"]["patient"]["labOrders"] is None
                    assert body["errors"][0]["extensions"]["code"] == "DOWNSTREAM_UNAVAILABLE"
            finally:
                process.terminate()
                process.wait(timeout=20)
                log.close()
    finally:
        server.shutdown()
