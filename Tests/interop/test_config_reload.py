"""`nilecare serve --config FILE --watch`: the file's options apply, command-line flags win, and an
edit to the file changes the execution settings of a running gateway without a restart."""
import json
import os
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")
DEEP = '{ patient(id: "1") { appointments { patient { id } } } }'


def test_config_file_applies_and_reloads(tmp_path):
    port = free_port()
    config = tmp_path / "nilecare.json"
    config.write_text(json.dumps({"port": 1, "fixtures-base-port": free_port_range(5), "max-depth": 3, "audit-log": "off"}))
    gateway = subprocess.Popen([NILECARE, "serve", "--config", str(config), "--watch", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"  # the command line's --port won over the file's
        wait_ready(f"{url}/ready")
        token = subprocess.run([NILECARE, "token"], capture_output=True, text=True, check=True).stdout.strip()

        def deep():
            return requests.post(f"{url}/graphql", json={"query": DEEP}, headers={"Authorization": f"Bearer {token}"}, timeout=10).json()

        assert deep()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        settings = json.loads(config.read_text())
        settings["max-depth"] = 10
        config.write_text(json.dumps(settings))
        deadline = time.time() + 10
        while time.time() < deadline and "data" not in deep():
            time.sleep(0.2)
        assert deep()["data"]["patient"]["appointments"]
    finally:
        gateway.terminate()
        gateway.wait(timeout=10)
