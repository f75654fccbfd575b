"""Serve an ASGI app with uvicorn on a free loopback port, in a background thread.

The app gets its own event loop (the thread's), so a test's loop and the fake never block
each other, and the fake can be shared by a whole session.
"""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.types import ASGIApp

from agents.server import free_port


class ServedApp:
    """`with ServedApp(app) as served:` answers on `served.url` until the block ends."""

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1") -> None:
        self.app = app
        self.host = host
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> ServedApp:
        self.port = free_port(self.host)
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        server = self._server = uvicorn.Server(config)
        # uvicorn only installs signal handlers on the main thread, so this is safe.
        self._thread = threading.Thread(target=server.run, name=f"fake:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the fake server on port {self.port} did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)

    def __enter__(self) -> ServedApp:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
