"""A deep agent's todos and files as plain data, and the update saving an edited file."""

from __future__ import annotations

import base64

import pytest

from app.stream.deep_values import (
    file_deletion,
    file_update,
    normalize_file,
    normalize_files,
    normalize_todos,
    todo_progress,
)

TODOS = [
    ("not a list", {"content": "x"}, []),
    ("none", None, []),
    (
        "clean items",
        [{"content": "a", "status": "completed"}, {"content": "b", "status": "in_progress"}],
        [{"content": "a", "status": "completed"}, {"content": "b", "status": "in_progress"}],
    ),
    (
        "extra keys dropped, id kept",
        [{"content": "a", "status": "pending", "id": 7, "priority": "high"}],
        [{"content": "a", "status": "pending", "id": "7"}],
    ),
    ("unknown status reads as pending", [{"content": "a", "status": "done"}],
     [{"content": "a", "status": "pending"}]),
    ("bare strings are pending todos", ["a"], [{"content": "a", "status": "pending"}]),
    ("bad items skipped", [1, None, {"status": "completed"}, {"content": "  "}, ["x"]], []),
    ("title as content", [{"title": "t", "status": "completed"}],
     [{"content": "t", "status": "completed"}]),
]


@pytest.mark.parametrize(("case", "raw", "expected"), TODOS, ids=[t[0] for t in TODOS])
def test_normalize_todos(case, raw, expected):
    assert normalize_todos(raw) == expected


def test_progress():
    todos = normalize_todos([
        {"content": "a", "status": "completed"},
        {"content": "b", "status": "in_progress"},
        {"content": "c", "status": "pending"},
        {"content": "d", "status": "completed"},
    ])
    assert todo_progress(todos) == {
        "completed": 2, "in_progress": 1, "total": 4, "fraction": 0.5, "current": ["b"],
    }
    assert todo_progress([])["fraction"] == 0.0


NOW = "2026-01-02T03:04:05+00:00"
V07 = {"content": "# Hi\nthere\n", "encoding": "utf-8", "created_at": "c", "modified_at": "m"}
LINES = {"content": ["# Hi", "there"], "created_at": "c", "modified_at": "m"}
BINARY = {"content": base64.b64encode(b"\x00\x01\x02").decode(), "encoding": "base64"}

FILES = [
    ("plain string", "héllo", {"text": "héllo", "size": 6, "binary": False,
                               "created_at": None, "modified_at": None}),
    ("deepagents 0.7 dict", V07, {"text": "# Hi\nthere\n", "size": 11, "binary": False,
                                  "created_at": "c", "modified_at": "m"}),
    ("legacy lines", LINES, {"text": "# Hi\nthere", "size": 10, "binary": False,
                             "created_at": "c", "modified_at": "m"}),
    ("base64 binary", BINARY, {"text": "", "size": 3, "binary": True,
                               "created_at": None, "modified_at": None}),
    ("deletion marker", None, None),
    ("garbage", 42, None),
    ("bad content", {"content": 3}, None),
]


@pytest.mark.parametrize(("case", "entry", "expected"), FILES, ids=[f[0] for f in FILES])
def test_normalize_file(case, entry, expected):
    assert normalize_file(entry) == expected


def test_normalize_files_sorts_paths_and_drops_bad_entries():
    files = normalize_files({"/b.md": "b", "/a.md": V07, "/gone": None, "/bad": 1})
    assert list(files) == ["/a.md", "/b.md"]
    assert normalize_files(["not", "a", "dict"]) == {}


SAVES = [
    ("string stays string", "old", "new", "new"),
    ("0.7 dict keeps created_at, sets modified_at", V07, "new",
     {"content": "new", "encoding": "utf-8", "created_at": "c", "modified_at": NOW}),
    ("lines stay lines", LINES, "a\nb",
     {"content": ["a", "b"], "created_at": "c", "modified_at": NOW}),
    ("new file gets the 0.7 shape", None, "x",
     {"content": "x", "encoding": "utf-8", "created_at": NOW, "modified_at": NOW}),
]


@pytest.mark.parametrize(("case", "existing", "text", "stored"), SAVES,
                         ids=[s[0] for s in SAVES])
def test_file_update_keeps_the_agents_shape(case, existing, text, stored):
    files = {"/f.md": existing} if existing is not None else {}
    update = file_update(files, "/f.md", text, NOW)
    assert update == {"files": {"/f.md": stored}}
    assert normalize_file(stored)["text"] == text
    if isinstance(existing, dict):
        assert existing["modified_at"] == "m"  # input untouched


def test_file_deletion():
    assert file_deletion("/f.md") == {"files": {"/f.md": None}}
