"""The code's shape, checked like behaviour: small modules in app/ (one concern each)."""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 400


def test_no_module_in_app_is_over_400_lines():
    sizes = {str(path.relative_to(APP.parent)): len(path.read_text().splitlines())
             for path in APP.rglob("*.py")}
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not too_long, f"split these by concern: {too_long}"
