"""The README's Python examples run as written against the real test Agent Server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = [
    block
    for block in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    if "asyncio.run(main())" in block
]


def test_the_readme_has_runnable_examples() -> None:
    assert len(EXAMPLES) >= 2


def _name(code: str) -> str:
    return re.search(r"from (app\.\w+)", code).group(1)


@pytest.mark.parametrize("code", EXAMPLES, ids=_name)
def test_readme_example_runs(code: str, api_url: str, capsys: pytest.CaptureFixture) -> None:
    exec(compile(code, str(README), "exec"), {"API_URL": api_url, "__name__": "__main__"})
    printed = capsys.readouterr().out
    assert "This is a demo reply" in printed
