"""A Nova-compatible compute API simulator (stdlib WSGI, threaded) for tests, the demo and benches.

sim = Simulator().start()            # port 0: any free port
sim.state.add_host("devstack", 8, 16384, 200)
sim.write_clouds_yaml(path, "sim")   # an admin_token entry with endpoint overrides
sim.app.inject("error", path="/os-hypervisors", times=3)
sim.stop()
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

import yaml

from .app import Fault, SimulatorApp
from .state import DEFAULT_PROJECT, CloudState, NovaFault

__all__ = ["DEFAULT_PROJECT", "CloudState", "Fault", "NovaFault", "Simulator", "SimulatorApp"]


class _KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1 with persistent connections, as the WSGI servers in front of Nova and Placement
    speak it: a client reuses its pooled connections instead of connecting for every request."""

    protocol_version = "HTTP/1.1"
    wbufsize = -1  # status, headers and body leave in one send, not three small ones...
    disable_nagle_algorithm = True  # ...and are not held back waiting for the client's ACK

    def handle(self):
        self.close_connection = True
        self._handle_one()
        while not self.close_connection:
            self._handle_one()

    def _handle_one(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline or len(self.raw_requestline) > 65536:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        app = self.server.simulator_app
        if app and app.fault_for("", "down"):  # a connection opened before the API went down
            self.close_connection = True
            return
        handler = ServerHandler(
            self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.http_version = "1.1"
        handler.request_handler = self
        handler.run(self.server.get_app())
        self.wfile.flush()

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    simulator_app: SimulatorApp | None = None

    def __init__(self, *args, **kwargs):
        self.connections: set[socket.socket] = set()
        super().__init__(*args, **kwargs)

    def finish_request(self, request, client_address):
        # "down": accept and drop every connection, as a dead API behind a load balancer does.
        if self.simulator_app and self.simulator_app.fault_for("", "down"):
            request.close()
            return
        self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.connections.discard(request)

    def close_connections(self) -> None:
        """End the persistent connections too: a stopped API answers nothing."""
        for connection in list(self.connections):
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class Simulator:
    """Runs a `SimulatorApp` on 127.0.0.1 in a background thread."""

    def __init__(
        self,
        state: CloudState | None = None,
        *,
        port: int = 0,
        max_limit: int = 1000,
        host: str = "127.0.0.1",
    ):
        self.state = state or CloudState()
        self.app = SimulatorApp(self.state, max_limit=max_limit)
        self.host = host
        self.port = port
        self._server: _ThreadingServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Simulator:
        self._server = make_server(
            self.host,
            self.port,
            self.app,
            server_class=_ThreadingServer,
            handler_class=_KeepAliveHandler,
        )
        self._server.simulator_app = self.app
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            self._server = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def clouds_yaml_entry(
        self, *, compute_api_version: str | None = None, api_timeout: float | None = None
    ) -> dict:
        """A clouds.yaml entry as the harness README shows it: admin_token + endpoint overrides."""
        entry: dict = {
            "auth_type": "admin_token",
            "auth": {"endpoint": f"{self.url}/v2.1", "token": "admin"},
            "compute_endpoint_override": f"{self.url}/v2.1",
            "placement_endpoint_override": f"{self.url}/placement",
        }
        if compute_api_version:
            entry["compute_api_version"] = compute_api_version
        if api_timeout:
            entry["api_timeout"] = api_timeout
        return entry

    def write_clouds_yaml(self, path: Path, name: str, **options) -> Path:
        """Write (or add to) a clouds.yaml holding an entry `name` for this simulator."""
        data = yaml.safe_load(path.read_text()) if path.exists() else None
        data = data or {"clouds": {}}
        data["clouds"][name] = self.clouds_yaml_entry(**options)
        path.write_text(yaml.safe_dump(data))
        return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
