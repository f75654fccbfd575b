"""Start and stop the chat app (`reflex run --env prod`) for browser tests and benches."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from agents.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-e2e-SECRET-marker-7f3c9a"


@dataclass
class ChatApp:
    url: str
    config_file: Path
    log_path: Path
    proc: subprocess.Popen
    project: str = ""  # the private copy it runs from

    def say(self, reply: str, token_delay: float = 0.02, **extra) -> None:
        """Make the demo model answer `reply` on the next runs."""
        configurable = {"reply": reply, "token_delay": token_delay, **extra}
        self.config_file.write_text(json.dumps({"configurable": configurable}))

    def say_default(self) -> None:
        self.config_file.write_text("{}")

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"reflex exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            front = httpx.get(url + "/", timeout=2.0)
            back = httpx.get(url + "/ping", timeout=2.0)
            if front.status_code == 200 and back.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"app not ready at {url}:\n{log.read_text()[-4000:]}")


APP_FILES = ("app", "assets", "rxconfig.py", "reflex.lock", "pyproject.toml")


def app_copy(tmp: Path) -> Path:
    """A private copy of the app (and its warm `.web` build folder), so concurrent builds
    by other test runs in the shared work tree cannot clobber this one's frontend."""
    target = tmp / "project"
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in APP_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, target / name)
    web = ROOT / ".web"
    if web.is_dir():
        subprocess.run(["cp", "-a", str(web), str(target / ".web")], check=False)
    return target


def start_app(server_url: str, tmp: Path, extra_env: dict[str, str] | None = None) -> ChatApp:
    """Build and start the app (`reflex run --env prod`) on a free port from a private
    copy of the project; wait until ready. A start that fails (a flaky `npm install` on
    a fresh machine, say) is tried once more; the first good build warms the shared
    `.web` so later copies skip the install."""
    try:
        app = _start_app(server_url, tmp / "try-1", extra_env)
    except RuntimeError:
        app = _start_app(server_url, tmp / "try-2", extra_env)
    _warm_shared_build(Path(app.project))
    return app


def _warm_shared_build(project: Path) -> None:
    shared = ROOT / ".web"
    if (shared / "node_modules").is_dir() or not (project / ".web" / "node_modules").is_dir():
        return
    staging = ROOT / f".web-staging-{os.getpid()}"
    subprocess.run(["cp", "-a", str(project / ".web"), str(staging)], check=False)
    try:
        staging.rename(shared)
    except OSError:  # another run warmed it first
        shutil.rmtree(staging, ignore_errors=True)


def _start_app(server_url: str, tmp: Path, extra_env: dict[str, str] | None) -> ChatApp:
    tmp.mkdir(parents=True, exist_ok=True)
    config_file = tmp / "run-config.json"
    config_file.write_text("{}")
    log_path = tmp / "reflex.log"
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "LANGGRAPH_API_URL": server_url,
        # The page, its websocket and the identity routes on one origin (as `make serve`
        # serves them), so the visitor cookie is the page's own.
        "REFLEX_API_URL": f"http://127.0.0.1:{port}",
        "REFLEX_DEPLOY_URL": f"http://127.0.0.1:{port}",
        "LANGGRAPH_ASSISTANT_ID": "chat",
        "LANGGRAPH_API_KEY": SECRET,
        "LANGGRAPH_CHAT_RUN_CONFIG_FILE": str(config_file),
    }
    env.pop("REFLEX_REDIS_URL", None)
    env.update(extra_env or {})
    reflex = Path(sys.executable).with_name("reflex")
    project = app_copy(tmp)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(reflex), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port), "--loglevel", "info"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = ChatApp(f"http://127.0.0.1:{port}", config_file, log_path, proc, str(project))
    try:
        _wait_ready(app.url, proc, log_path)
    except BaseException:
        stop_app(app)
        raise
    return app


def stop_app(app: ChatApp) -> None:
    try:
        os.killpg(app.proc.pid, signal.SIGTERM)
        app.proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(app.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


