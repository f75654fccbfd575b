"""`make run`'s first set-up says what it does: each step printed before it runs (here
with a stand-in interpreter that records what it was asked, so nothing is installed)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_set_up_prints_its_steps(tmp_path: Path) -> None:
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    calls = tmp_path / "calls.txt"
    stand_in = tmp_path / "python3-stand-in"
    stand_in.write_text(  # makes the venv's python, which records each pip call
        "#!/bin/sh\n"
        f'mkdir -p .venv/bin && printf \'#!/bin/sh\\necho "$@" >> {calls}\\n\' > .venv/bin/python'
        " && chmod +x .venv/bin/python\n")
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(["make", "install", f"PYTHON={stand_in}"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    printed = done.stdout
    steps = ["Setting up the project in .venv", "1/3 creating the virtualenv .venv",
             "2/3 upgrading pip", "3/3 installing the chat app", "installed in"]
    at = [printed.index(step) for step in steps]
    assert at == sorted(at), printed
    assert "pip install" not in printed  # the commands themselves are not echoed
    assert calls.read_text().splitlines() == [
        "-m pip install --quiet --upgrade pip", "-m pip install --quiet -e .[demo,dev]"]
    again = subprocess.run(["make", "install", f"PYTHON={stand_in}"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "Setting up" not in again.stdout  # set up once
