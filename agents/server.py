"""Start and stop an in-memory LangGraph Agent Server (`langgraph dev`).

Used by `make run` (the built-in demo server) and by the test fixtures. The server gets
an explicit free port, no reload, enough jobs for concurrent runs, and a working folder of
its own so its state (`.langgraph_api/`) never leaks between runs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "langgraph.json"


def free_port(host: str = "127.0.0.1") -> int:
    """A port that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_until_ok(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Poll `GET {url}/ok` until it answers `{"ok": true}`."""
    deadline = time.monotonic() + timeout
    last: Exception | str = "no answer"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"agent server exited with code {proc.returncode}")
        try:
            response = httpx.get(f"{url}/ok", timeout=2.0)
            if response.status_code == 200 and response.json().get("ok"):
                return
            last = f"HTTP {response.status_code}"
        except (httpx.HTTPError, ValueError) as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"agent server at {url} not ready after {timeout:.0f}s: {last}")


@dataclass
class AgentServer:
    """A running `langgraph dev` process. Use as a context manager or call stop()."""

    config: Path = DEMO_CONFIG
    port: int = 0
    host: str = "127.0.0.1"
    jobs: int = 10
    log_path: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    _proc: subprocess.Popen | None = None
    _workdir: Path | None = None
    _log_file: Path | None = None  # log_path, or a file in the work dir (gone after stop)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 90.0) -> AgentServer:
        if not self.port:
            self.port = free_port(self.host)
        self._workdir = Path(tempfile.mkdtemp(prefix="langgraph-dev-"))
        config = self._absolute_config(self._workdir)
        log_path = self._log_file = self.log_path or self._workdir / "server.log"
        langgraph = Path(sys.executable).with_name("langgraph")
        command = [
            str(langgraph) if langgraph.exists() else "langgraph",
            "dev",
            "--config",
            str(config),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--no-browser",
            "--no-reload",
            "--allow-blocking",
            "--n-jobs-per-worker",
            str(self.jobs),
        ]
        env = {
            **os.environ,
            "LANGGRAPH_NO_VERSION_CHECK": "true",
            "LANGSMITH_TRACING": "false",
            "LANGCHAIN_TRACING_V2": "false",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
            **self.env,
        }
        log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
        self._proc = subprocess.Popen(
            command,
            cwd=self._workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            wait_until_ok(self.url, timeout=timeout, proc=self._proc)
        except Exception as exc:
            tail = self.log_tail()
            self.stop()
            raise RuntimeError(f"{exc}\n--- server log ---\n{tail}") from None
        return self

    def _absolute_config(self, workdir: Path) -> Path:
        """The config with graph (and auth) paths made absolute, so the server can run in
        `workdir` (its state folder) while the graphs stay where they are."""
        data = json.loads(Path(self.config).read_text())
        base = Path(self.config).resolve().parent
        graphs = {}
        for name, spec in data.get("graphs", {}).items():
            path, _, attr = spec.partition(":")
            if path.endswith(".py"):
                path = str((base / path).resolve())
            graphs[name] = f"{path}:{attr}" if attr else path
        data["graphs"] = graphs
        auth = data.get("auth")
        if isinstance(auth, dict) and isinstance(auth.get("path"), str):
            path, _, attr = auth["path"].partition(":")
            if path.endswith(".py"):
                path = str((base / path).resolve())
                auth["path"] = f"{path}:{attr}" if attr else path
        data["dependencies"] = [str((base / d).resolve()) for d in data.get("dependencies", [])]
        target = workdir / "langgraph.json"
        target.write_text(json.dumps(data))
        return target

    @property
    def log_file(self) -> Path | None:
        """Where the running server writes its log."""
        return self._log_file

    def log_tail(self, lines: int = 40) -> str:
        if self._log_file and self._log_file.exists():
            text = self._log_file.read_text(errors="replace").splitlines()
            return "\n".join(text[-lines:])
        return ""

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> AgentServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
