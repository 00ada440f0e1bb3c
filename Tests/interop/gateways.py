"""Starts real `nilecare serve` processes (and the redis-server they need) on loopback ports, in
the configurations a deployment runs: memory cache, Redis with the in-process L1, the production
profile. Shared by the hostile-request tests and the fuzz/soak run."""
import os
import signal
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")
PRODUCTION_SECRET = "interop-production-secret-0123456789abcdef"
DEVELOPMENT_SECRET = "nilecare-development-secret-change-me"
SERVICES = ["clinical", "business", "medication", "lab", "insurance"]


class Redis:
    """A redis-server of its own (no persistence), on a free port."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="nilecare-redis-")
        self.port, self.process = _start_redis_server(self._arguments())

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def _arguments(self):
        return ["--save", "", "--appendonly", "no", "--dir", self.directory]

    def start(self):
        """Starts the server again on the same port (the gateways keep their URL)."""
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", *self._arguments()],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not _wait_for_ping(self.port, self.process):
            raise RuntimeError(f"redis-server did not start again on {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        self.start()

    def close(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Gateway:
    """One `nilecare serve` with its embedded fixture services (or the services of `share_fixtures`)."""

    def __init__(self, *arguments, production=False, redis=None, share_fixtures=None, name="gateway"):
        self.port = free_port()
        self.production = production
        self.secret = PRODUCTION_SECRET if production else DEVELOPMENT_SECRET
        self.log_path = os.path.join(tempfile.gettempdir(), f"nilecare-{name}-{self.port}.log")
        command = [NILECARE, "serve", "--port", str(self.port), "--audit-log", "off", *arguments]
        if share_fixtures is not None:
            self.fixtures = share_fixtures.fixtures
            for service, url in zip(SERVICES, self.fixtures):
                command += ["--service", f"{service}={url}"]
        else:
            base = free_port_range(5)
            command += ["--fixtures-base-port", str(base)]
            self.fixtures = [f"http://127.0.0.1:{base + offset}" for offset in range(5)]
        if production:
            self.metrics_port = free_port()
            command += ["--profile", "production", "--jwt-secret", self.secret, "--metrics-port", str(self.metrics_port)]
        if redis is not None:
            command += ["--redis", redis.url]
        self.command = command
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_ready(f"{self.url}/health")

    def alive(self):
        if self.process.poll() is not None:
            return False
        try:
            return requests.get(f"{self.url}/health", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def token(self, role="clinician", subject="dr-interop", ttl=3600):
        return subprocess.run([NILECARE, "token", "--role", role, "--subject", subject, "--secret", self.secret,
                               "--ttl-seconds", str(ttl)], capture_output=True, text=True, check=True, timeout=30).stdout.strip()

    def graphql(self, query, token=None, variables=None, headers=None, **extra):
        all_headers = {"Authorization": f"Bearer {token}"} if token else {}
        all_headers.update(headers or {})
        body = {"query": query, **extra}
        if variables is not None:
            body["variables"] = variables
        return requests.post(f"{self.url}/graphql", json=body, headers=all_headers, timeout=30)

    def faults(self, service, **settings):
        """Sets a fixture service's faults at run time (`/__faults`)."""
        url = self.fixtures[SERVICES.index(service)]
        requests.post(f"{url}/__faults", json=settings, timeout=10).raise_for_status()

    def log_text(self):
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        # A gateway that stopped as asked leaves no log behind (every run started hundreds); one that
        # crashed or had to be killed keeps it for the failure's diagnosis.
        if self.process.returncode in (0, -signal.SIGTERM) and not os.environ.get("NILECARE_KEEP_LOGS"):
            try:
                os.remove(self.log_path)
            except FileNotFoundError:
                pass


class RedisCluster:
    """A 3-master Redis Cluster (no replicas) joined with `redis-cli --cluster create`."""

    def __init__(self, masters=3):
        self.directory = tempfile.mkdtemp(prefix="nilecare-cluster-")
        self.nodes = []
        for index in range(masters):
            # The cluster bus gets a port of its own: by default it is port + 10000, inside Linux's
            # ephemeral range, where an outgoing connection may already hold it.
            self.nodes.append(_start_redis_server(["--save", "", "--appendonly", "no", "--dir", self.directory,
                                                   "--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{index}.conf",
                                                   "--cluster-node-timeout", "5000"], cluster_bus=True))
        subprocess.run(["timeout", "60", "redis-cli", "--cluster", "create", *[f"127.0.0.1:{port}" for port, _ in self.nodes],
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            states = [subprocess.run(["redis-cli", "-p", str(port), "cluster", "info"], capture_output=True, text=True).stdout
                      for port, _ in self.nodes]
            if all("cluster_state:ok" in state for state in states):
                return
            time.sleep(0.1)
        raise RuntimeError("the cluster did not reach cluster_state:ok")

    @property
    def url(self):
        return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port, _ in self.nodes)

    def close(self):
        for _, process in self.nodes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def _start_redis_server(arguments, cluster_bus=False, attempts=5):
    """A `redis-server` on a free loopback port, answering PING: `(port, process)`. A server that
    exits before it answers (a port taken between the check and its bind) is started again on
    another port."""
    for _ in range(attempts):
        port = free_port()
        bus = ["--cluster-port", str(free_port())] if cluster_bus else []
        process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", *bus, *arguments],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _wait_for_ping(port, process):
            return port, process
    raise RuntimeError(f"redis-server did not start in {attempts} attempts")


def _wait_for_ping(port, process):
    """True once the server on `port` answers PING; False if its process exits first."""
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return True
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"redis-server on {port} did not answer PING")


class Fixtures:
    """`nilecare fixtures serve`: the four services as a process of their own, shared by gateways."""

    def __init__(self):
        base = free_port_range(5)
        self.fixtures = [f"http://127.0.0.1:{base + offset}" for offset in range(5)]
        self.process = subprocess.Popen([NILECARE, "fixtures", "serve", "--base-port", str(base)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for url in self.fixtures:
            wait_ready(f"{url}/__stats")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
