"""`make run` and `make serve`: the chat against the built-in demo Agent Server, or against
LANGGRAPH_API_URL when it is set.

`make run` is for trying and developing (Reflex's dev mode, frontend and backend on two
ports). `make serve` (`--serve`) is for putting it on the internet: the production build
on ONE port bound to LANGGRAPH_CHAT_HOST (default 127.0.0.1: put a TLS proxy in front),
and with REFLEX_REDIS_URL several backend workers sharing state through Redis."""

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


def serve_command(env: dict[str, str]) -> tuple[list[str], str]:
    """The `reflex run` command of `make serve` (updating `env`), and the local address."""
    host = env.get("LANGGRAPH_CHAT_HOST") or "127.0.0.1"
    port = int(env.get("LANGGRAPH_CHAT_PORT") or 8000)
    local = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
    public = (env.get("LANGGRAPH_CHAT_PUBLIC_URL") or local).rstrip("/")
    # Pages, websocket and the identity routes on one public origin (cookies, sign-in).
    env.setdefault("REFLEX_API_URL", public)
    env.setdefault("REFLEX_DEPLOY_URL", public)
    env.setdefault("GRANIAN_WORKERS", env.get("LANGGRAPH_CHAT_WORKERS")
                   or ("2" if env.get("REFLEX_REDIS_URL") else "1"))
    return [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
            "--backend-host", host, "--frontend-port", str(port), "--backend-port",
            str(port)], public


def main(argv: list[str] | None = None) -> int:
    serve = "--serve" in (argv if argv is not None else sys.argv[1:])
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

    if serve:
        command, address = serve_command(env)
        workers = env["GRANIAN_WORKERS"]
        print(f"Serving the production build with {workers} backend worker(s)"
              f"{' sharing state through Redis' if env.get('REFLEX_REDIS_URL') else ''}; "
              f"the first build takes a minute.", flush=True)
    else:
        frontend = _pick(int(env.get("FRONTEND_PORT", 3000)))
        backend = _pick(int(env.get("BACKEND_PORT", 8000)))
        address = f"http://localhost:{frontend}"
        command = [
            sys.executable, "-m", "reflex", "run",
            "--frontend-port", str(frontend),
            "--backend-port", str(backend),
        ]
    print(
        f"Agent Server: {settings.langgraph_api_url}  "
        f"assistant: {settings.langgraph_assistant_id}\n"
        f"Open the chat at {address}/ once Reflex says it is ready.",
        flush=True,
    )
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
