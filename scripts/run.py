"""`make run`: the chat in the browser, against the built-in demo Agent Server or against
LANGGRAPH_API_URL when it is set."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys

from agents.server import AgentServer, free_port
from app.access.tokens import SECRET_ENV as AUTH_SECRET_ENV
from app.settings import ConfigurationError, load_settings


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _pick(preferred: int) -> int:
    return preferred if _port_is_free(preferred) else free_port()


def main() -> int:
    try:
        settings = load_settings()  # fail fast, before starting anything
    except ConfigurationError as exc:
        print(exc, file=sys.stderr)
        return 2
    demo: AgentServer | None = None
    env = dict(os.environ)
    if not env.get("LANGGRAPH_API_URL"):
        print("Starting the built-in demo Agent Server ...", flush=True)
        # The demo server checks every call's token (agents/auth.py): the chat signs one
        # per visitor or user with this secret, shared by the two processes only.
        secret = env.get(AUTH_SECRET_ENV) or secrets.token_urlsafe(48)
        env[AUTH_SECRET_ENV] = secret
        demo = AgentServer(env={AUTH_SECRET_ENV: secret}).start()
        env["LANGGRAPH_API_URL"] = demo.url
        settings = settings.model_copy(update={"langgraph_api_url": demo.url})
        print(f"Demo Agent Server: {demo.url} (log: {demo.log_file})", flush=True)

    frontend = _pick(int(env.get("FRONTEND_PORT", 3000)))
    backend = _pick(int(env.get("BACKEND_PORT", 8000)))
    print(
        f"Agent Server: {settings.langgraph_api_url}  "
        f"assistant: {settings.langgraph_assistant_id}\n"
        f"Open the chat at http://localhost:{frontend}/ once Reflex says it is ready.",
        flush=True,
    )
    command = [
        sys.executable, "-m", "reflex", "run",
        "--frontend-port", str(frontend),
        "--backend-port", str(backend),
    ]
    # Reflex (and the Node server it starts) in a process group of its own, so that
    # Ctrl+C or a SIGTERM to this script stops all of it, and then the demo server.
    reflex = subprocess.Popen(command, env=env, start_new_session=True)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        return reflex.wait()
    except KeyboardInterrupt:
        return _stop_group(reflex)
    finally:
        if demo:
            demo.stop()
            print("Demo Agent Server stopped.", flush=True)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_group(proc: subprocess.Popen) -> int:
    """SIGINT to the whole group (as Ctrl+C would), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    return 130

if __name__ == "__main__":
    sys.exit(main())
