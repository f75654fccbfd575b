"""`make run`: the chat in the browser, against the built-in demo Agent Server or against
LANGGRAPH_API_URL when it is set."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

from agents.server import AgentServer, free_port
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
    demo: AgentServer | None = None
    env = dict(os.environ)
    if not env.get("LANGGRAPH_API_URL"):
        print("Starting the built-in demo Agent Server ...", flush=True)
        demo = AgentServer().start()
        env["LANGGRAPH_API_URL"] = demo.url
        print(f"Demo Agent Server: {demo.url} (log: {demo.log_path})", flush=True)
    try:
        os.environ.update(env)
        settings = load_settings()
    except ConfigurationError as exc:
        if demo:
            demo.stop()
        print(exc, file=sys.stderr)
        return 2

    frontend = _pick(int(env.get("FRONTEND_PORT", 3000)))
    backend = _pick(int(env.get("BACKEND_PORT", 8000)))
    print(
        f"Agent Server: {settings.langgraph_api_url}  assistant: {settings.langgraph_assistant_id}\n"
        f"Open the chat at http://localhost:{frontend}/ once Reflex says it is ready.",
        flush=True,
    )
    command = [
        sys.executable, "-m", "reflex", "run",
        "--frontend-port", str(frontend),
        "--backend-port", str(backend),
    ]
    reflex = subprocess.Popen(command, env=env)
    try:
        return reflex.wait()
    except KeyboardInterrupt:
        reflex.send_signal(signal.SIGINT)
        try:
            return reflex.wait(timeout=15)
        except subprocess.TimeoutExpired:
            reflex.kill()
            return 130
    finally:
        if demo:
            demo.stop()
            print("Demo Agent Server stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
