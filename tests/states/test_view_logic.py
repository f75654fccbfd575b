"""The state layer's pure logic: message views, live-text patches, publishing diffs,
error wording, browser-stored run ids and the session registry."""

from __future__ import annotations

import json

from app.states import backend
from app.states.browser import stored_runs, thread_id_of_path
from app.states.errors import describe
from app.states.live_text import LiveText
from app.states.message_view import to_view
from app.states.publisher import ViewPublisher
from app.states.tab_sessions import SessionRegistry, TabSession
from app.states.threads import thread_row
from app.stream.inputs import as_message
from app.stream.interrupts import interrupt_dicts
from app.stream.messages import content_text, thread_title


def human(text, id="h1"):
    return {"type": "human", "content": text, "id": id}


def ai(text, id="a1", **extra):
    return {"type": "ai", "content": text, "id": id, **extra}


def test_view_roles_text_and_content_blocks():
    blocks = [{"type": "text", "text": "Hel"}, {"type": "text", "text": "lo"}]
    views = to_view([human("hi"), ai(blocks)])
    assert [(v["role"], v["text"]) for v in views] == [("user", "hi"), ("assistant", "Hello")]
    assert content_text(None) == "" and content_text({"type": "text", "text": "x"}) == "x"


def test_tool_results_fold_into_their_call_card():
    call = {"id": "c1", "name": "search", "args": {"q": "cats"}}
    views = to_view(
        [
            human("find cats"),
            ai("", tool_calls=[call, {"id": "c2", "name": "fail", "args": {}}]),
            {"type": "tool", "tool_call_id": "c1", "content": "3 cats", "id": "t1"},
            {"type": "tool", "tool_call_id": "c2", "content": "boom", "status": "error",
             "id": "t2"},
            ai("There are 3 cats", id="a2"),
        ]
    )
    assert [v["role"] for v in views] == ["user", "assistant", "assistant"]
    first, second = views[1]["tool_calls"]
    assert first["name"] == "search" and json.loads(first["args"]) == {"q": "cats"}
    assert (first["result"], first["status"]) == ("3 cats", "completed")
    assert second["status"] == "error"


def test_pending_tool_call_from_raw_chunks():
    views = to_view([ai("", tool_call_chunks=[{"id": "c9", "name": "lookup", "args": '{"a": 1'}])])
    call = views[0]["tool_calls"][0]
    assert call["status"] == "pending" and call["args"] == '{"a": 1'


def test_thread_title_prefers_metadata_then_first_human_message():
    messages = [ai("hello"), human("  What is   the weather\nin Paris? ")]
    assert thread_title(messages) == "What is the weather in Paris?"
    assert thread_title(messages, {"title": "Trip"}) == "Trip"
    assert thread_title([]) == "New chat"
    assert thread_title([human("x" * 100)]).endswith("…")


def test_live_text_sends_only_a_short_tail_per_token():
    live = LiveText(tail_limit=50)
    text, sent = "", 0
    for i in range(400):
        text += f"tok{i} "
        patch = live.update("m1", text, [])
        sent += len(json.dumps(patch))
    # All 400 prefixes of a ~2.7 KB text cost far less than resending the whole text.
    whole = sum(len(text[: n]) for n in range(0, len(text), len(text) // 400))
    assert sent < whole / 5
    assert live.head + live.tail == text


def test_live_text_resets_on_new_message_or_rewrite():
    live = LiveText(tail_limit=10)
    live.update("m1", "Hello world, long", [])
    patch = live.update("m2", "Hi", [])
    assert patch["live_id"] == "m2" and patch["live_head"] == "" and patch["live_tail"] == "Hi"
    patch = live.update("m2", "Bye", [])  # replayed text that differs: start over
    assert live.head + live.tail == "Bye"
    assert live.clear() == {"live_id": "", "live_tail": ""}


def test_publisher_writes_finished_list_once_and_streams_the_tail():
    pub = ViewPublisher()
    first = pub.frame([human("hi")], "a1")
    assert [m["text"] for m in first.messages] == ["hi"]
    frame = pub.frame([human("hi"), ai("Hel")], "a1")
    assert frame.messages is None and frame.live["live_tail"] == "Hel"
    frame = pub.live_frame(ai("Hello"))
    assert frame.messages is None and frame.live == {"live_tail": "Hello"}
    assert pub.frame([human("hi"), ai("Hello")], "a1").empty
    done = pub.frame([human("hi"), ai("Hello")], None)
    assert [m["text"] for m in done.messages] == ["hi", "Hello"]
    assert done.live["live_id"] == ""


def test_publisher_bytes_per_token_do_not_grow_with_history():
    def bytes_for(history_len):
        history = []
        for i in range(history_len):
            history += [human(f"question {i}", id=f"h{i}"), ai(f"answer {i} " * 20, id=f"a{i}")]
        pub = ViewPublisher()
        pub.frame(history, None)
        text, total = "", 0
        for i in range(200):
            text += f"w{i} "
            frame = pub.frame([*history, ai(text, id="live")], "live")
            total += len(json.dumps(frame.live)) + len(json.dumps(frame.messages or []))
        return total

    assert bytes_for(50) == bytes_for(2)


def test_publisher_marks_failed_messages():
    pub = ViewPublisher()
    frame = pub.frame([human("hi")], None, {"h1": "failed"}.get)
    assert frame.messages[0]["status"] == "failed"


def test_describe_errors_by_kind():
    class AgentConnectionError(Exception):
        pass

    class NotFoundError(Exception):
        pass

    class RunError(Exception):
        def __init__(self):
            super().__init__("boom")
            self.error, self.message = "ValueError", "demo failure"

    unreachable = describe(AgentConnectionError("refused"), api_url="http://x:1")
    assert unreachable.kind == "unreachable" and "http://x:1" in unreachable.detail
    assert "Retry" in unreachable.detail
    assert describe(NotFoundError("nope")).kind == "not_found"
    failed = describe(RunError())
    assert failed.kind == "run_failed" and "demo failure" in failed.detail


def test_describe_the_sdk_errors_a_user_meets():
    from app.sdk.errors import (
        AgentConnectionError,
        AgentTimeoutError,
        MalformedResponseError,
        RunError,
    )

    timeout = describe(AgentTimeoutError("GET /threads timed out"))
    assert timeout.title == "The Agent Server did not answer in time"
    assert describe(AgentConnectionError("refused")).title == "Cannot reach the Agent Server"
    malformed = describe(MalformedResponseError("event data is not JSON"))
    assert malformed.title == "Unexpected answer from the Agent Server"
    assert "event data is not JSON" in malformed.detail
    failed = describe(RunError("ValueError", "demo failure."))
    assert "demo failure. Your message is kept" in failed.detail


def test_api_url_shown_to_the_browser_has_no_credentials(monkeypatch):
    from app.settings import get_settings
    monkeypatch.setenv("LANGGRAPH_API_URL", "https://user:s3cret@agents.example.com")
    get_settings.cache_clear()
    try:
        assert backend.api_url() == "https://agents.example.com"
    finally:
        get_settings.cache_clear()


def test_stored_runs_and_interrupts_are_robust():
    assert stored_runs('{"t1": "r1"}') == {"t1": "r1"}
    assert stored_runs("not json") == {} and stored_runs("[1]") == {}
    assert interrupt_dicts(None) == []
    assert interrupt_dicts({"id": "i1", "value": "Name?"}) == [{"id": "i1", "value": "Name?"}]
    assert interrupt_dicts(["q"]) == [{"id": "", "value": "q"}]
    message = as_message("hello")
    assert message["type"] == "human" and message["content"] == "hello" and message["id"]


def test_thread_id_comes_from_a_threads_path_only():
    assert thread_id_of_path("/threads/abc-123") == "abc-123"
    assert thread_id_of_path("/threads/abc-123/") == "abc-123"
    assert thread_id_of_path("/threads/a%20b") == "a b"
    assert thread_id_of_path("/") == thread_id_of_path("") == ""
    assert thread_id_of_path("/threads") == thread_id_of_path("/other/abc") == ""


def test_registry_replaces_and_prunes_idle_sessions():
    registry = SessionRegistry(idle_seconds=0.0)
    first = registry.put("tok", TabSession(stream=object(), assistant_id="chat"))
    second = registry.put("tok", TabSession(stream=object(), assistant_id="chat"))
    assert first.cancelled and not second.cancelled
    second.pumping = True
    registry.prune()
    assert "tok" in registry  # a streaming session is never pruned
    second.pumping = False
    registry.prune()
    assert "tok" not in registry and second.cancelled


def test_header_title_is_the_first_user_message():
    messages = [{"type": "ai", "content": "hi"}, {"type": "human", "content": " a\n b "}]
    assert thread_title(messages, default="") == "a b"
    assert thread_title([], default="") == ""


def test_a_rejected_call_reads_rejected_not_error():
    ai = {"type": "ai", "id": "a1", "content": "",
          "tool_calls": [{"id": "c1", "name": "send_email", "args": {}},
                         {"id": "c2", "name": "get_weather", "args": {}},
                         {"id": "c3", "name": "broken", "args": {}}]}
    rejected = {"type": "tool", "tool_call_id": "c1", "status": "error",
                "content": "User rejected the tool call for `send_email` with reason: no"}
    ran = {"type": "tool", "tool_call_id": "c2", "content": "sunny"}
    failed = {"type": "tool", "tool_call_id": "c3", "status": "error", "content": "boom"}
    calls = to_view([ai, rejected, ran, failed])[0]["tool_calls"]
    assert [c["status"] for c in calls] == ["rejected", "completed", "error"]


def test_thread_links_quote_the_id():
    row = thread_row({"thread_id": "a/b'c?x", "status": "idle"})
    assert row["href"] == "/threads/a%2Fb%27c%3Fx"
