"""ThreadStream over each backend of `app.sdk.backend`, against the fakes of the hosted
services (real graphs on the real Agent Server underneath):

- Managed Deep Agents (`DeepAgentsBackend` on the fake `/v1/deepagents`): the same calls
  stream tokens, tool calls, subgraph namespaces and interrupts; only the new messages
  are sent, with `agent_id`, `input.messages` and `user_timezone`; what the API lacks is
  refused before any request, and never asked for (no history, run list or join).
- Fleet (`fleet_client` on the fake gateway): a PAT + `X-Auth-Scheme` on every call; a
  token that is not the owner's gets 404; a workspace agent's write gets a 403 that
  `confirm_read_only` tells apart from a refused token.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from app.sdk import NotFoundError, PermissionDeniedError
from app.sdk.capabilities import FLEET, MANAGED_DEEP_AGENTS
from app.sdk.deepagents.backend import DeepAgentsBackend
from app.sdk.errors import NotSupportedError
from app.sdk.fleet import confirm_read_only, fleet_client
from app.stream import ThreadStream
from tests.fakes.deepagents_api import DeepAgentsAPI
from tests.fakes.fleet_gateway import FleetGateway
from tests.fakes.recording import RecordedRequest

from .conftest import chat_config

REPLY = 'This is a demo reply (no real model). You said: "{}".'
EMAIL = "email bob about lunch"


@dataclass
class Managed:
    api: DeepAgentsAPI
    user: str
    backend: DeepAgentsBackend
    chat: str
    agent: str
    nested: str
    slow_tool: str

    def calls(self, since: int = 0) -> list[RecordedRequest]:
        return [r for r in self.api.recorder.since(since) if r.user == self.user]

    def stream(self, agent_id: str, **options: object) -> ThreadStream:
        return ThreadStream(agent_id, client=self.backend, **options)  # type: ignore[arg-type]


@pytest.fixture
async def managed(deepagents_api: DeepAgentsAPI) -> AsyncIterator[Managed]:
    deepagents_api.reset()
    tag = uuid.uuid4().hex[:8]
    user, key = f"user-{tag}", f"lsv2_sk_{tag}"
    deepagents_api.add_key(key, user)
    agents = {graph: await deepagents_api.add_agent(graph, user, f"{graph}-{tag}")
              for graph in ("chat", "agent", "nested", "slow_tool")}
    async with DeepAgentsBackend.connect(deepagents_api.url, key, timeout=10.0) as backend:
        yield Managed(deepagents_api, user, backend, agents["chat"], agents["agent"],
                      agents["nested"], agents["slow_tool"])


# -- Managed Deep Agents ------------------------------------------------------------------


async def test_managed_stream_sends_only_new_messages_and_streams_tokens(managed: Managed):
    stream = managed.stream(managed.chat, user_timezone="Europe/Paris")
    assert stream.capabilities is MANAGED_DEEP_AGENTS and stream.fetch_state_history is False
    lengths: list[int] = []
    stream.subscribe(lambda change: lengths.append(len((stream.live_message() or {})
                                                       .get("content") or "")))
    mark = len(managed.api.recorder)
    await stream.submit("hello")
    assert stream.error is None and not stream.is_loading
    assert [m["type"] for m in stream.messages] == ["human", "ai"]
    assert stream.messages[-1]["content"] == REPLY.format("hello")
    assert len({n for n in lengths if n}) > 5  # the live message grew token by token
    assert stream.run_id  # learned from the first (metadata) event
    await stream.submit("again")
    assert [m["content"] for m in stream.messages][-2:] == ["again", REPLY.format("again")]

    calls = managed.calls(mark)
    create, first, _, second, _ = calls
    assert (create.method, create.path, create.body) == (
        "POST", "/v1/deepagents/threads", {"agent_id": managed.chat})
    assert first.body == {
        "agent_id": managed.chat,
        "input": {"messages": [{"role": "user", "content": "hello"}]},
        "stream_mode": ["values", "messages-tuple"],
        "stream_subgraphs": True,
        "user_timezone": "Europe/Paris",
    }
    # Only the new message goes with the second run: the thread keeps the history.
    assert second.body["input"] == {"messages": [{"role": "user", "content": "again"}]}
    assert managed.api.runs[-1].user_timezone == "Europe/Paris"
    # The head is read through the pass-through search; nothing the API lacks is asked.
    paths = {c.path.rsplit("/", 1)[-1] for c in calls}
    assert paths == {"threads", "stream", "search"}
    assert all(c.status is not None and c.status < 400 for c in calls)


async def test_managed_open_reads_the_head_only(managed: Managed):
    first = managed.stream(managed.chat)
    await first.submit("remember me")
    thread_id = first.thread_id
    mark = len(managed.api.recorder)
    other = managed.stream(managed.chat)
    await other.open(thread_id, run_id="a-run-id-kept-in-the-browser")
    assert other.error is None
    assert [m["content"] for m in other.messages] == ["remember me", REPLY.format("remember me")]
    (search,) = managed.calls(mark)  # no history, no run list, no join of the stored run
    assert search.path.endswith("/threads/search") and search.body["ids"] == [thread_id]


async def test_managed_tool_calls_and_subgraph_tokens(managed: Managed):
    tools = managed.stream(managed.slow_tool)
    await tools.submit("write it")
    assert tools.error is None
    (call,) = tools.tool_calls
    assert call["call"]["name"] == "write_document" and call["state"] == "completed"
    assert tools.messages[-1]["content"].startswith("Done: Saved 'Streamed report'")

    nested = managed.stream(managed.nested)
    child_text: list[str] = []

    def watch(change: object) -> None:
        live = nested.live_message()
        if live is not None and live.get("content"):
            child_text.append(live["content"])

    nested.subscribe(watch)
    await nested.submit("hi")
    # The child graph's tokens (`messages|child:<task>`) streamed into the live message.
    assert "Hello from inside the child graph." in child_text
    assert len(child_text) > 3
    assert nested.messages[-1]["content"] == "Hello from inside the child graph."


async def test_managed_interrupt_is_dismissed_not_answered(managed: Managed):
    stream = managed.stream(managed.agent)
    await stream.submit(EMAIL)
    assert stream.error is None
    (pending,) = stream.interrupts
    assert pending["value"]["action_requests"][0]["name"] == "send_email"
    mark = len(managed.api.recorder)
    with pytest.raises(NotSupportedError) as refused:
        await stream.respond({"decisions": [{"type": "approve"}]})
    assert refused.value.detail == "resume" and managed.calls(mark) == []
    await stream.dismiss_interrupt()
    assert stream.error is None and stream.interrupts == []
    resolve, read = managed.calls(mark)
    assert resolve.path.endswith("/resolve-interrupt") and resolve.status == 204
    assert read.path.endswith("/threads/search")
    # The email was never sent: the paused step got no decision.
    assert not any(m["type"] == "tool" for m in stream.messages)
    await stream.submit("hello again")
    assert "I am a demo agent" in stream.messages[-1]["content"]


async def test_managed_refuses_what_the_api_lacks_before_any_request(managed: Managed):
    stream = managed.stream(managed.chat)
    await stream.submit("hi")
    message_id = stream.messages[-1]["id"]
    mark = len(managed.api.recorder)
    attempts = {
        "history": [stream.edit(stream.messages[0]["id"], "changed"),
                    stream.regenerate(message_id)],
        "join": [stream.join_stream("run")],
        "cancel": [stream.stop()],
    }
    for ability, calls in attempts.items():
        for call in calls:
            with pytest.raises(NotSupportedError) as refused:
                await call
            assert refused.value.detail == ability
    assert managed.calls(mark) == []
    # A run config has no place in the API: the run fails with a clear error, unsent.
    await stream.submit("configured", config=chat_config("nope"))
    assert isinstance(stream.error, NotSupportedError)
    assert "run config" in str(stream.error)
    assert not any(c.path.endswith("/runs/stream") for c in managed.calls(mark))


async def test_managed_backend_closes_its_client_and_hides_credentials(
        deepagents_api: DeepAgentsAPI):
    url = deepagents_api.url.replace("://", "://someone:s3cret@", 1)
    async with DeepAgentsBackend.connect(url, "lsv2_sk_hidden", timeout=5.0) as backend:
        assert not backend.closed and not backend.client.closed
        assert "s3cret" not in repr(backend) and "lsv2_sk_hidden" not in repr(backend)
        assert repr(backend).startswith("DeepAgentsBackend(")
    assert backend.closed and backend.client.closed


async def test_managed_thread_metadata_is_stamped_by_a_patch(managed: Managed):
    stream = managed.stream(managed.chat)
    mark = len(managed.api.recorder)
    await stream.submit("hi", metadata={"owner": "visitor:abc"})
    create, patch = managed.calls(mark)[:2]
    assert create.body == {"agent_id": managed.chat}
    assert patch.method == "PATCH" and patch.body == {"metadata": {"owner": "visitor:abc"}}
    thread = await managed.backend.threads.get(stream.thread_id or "")
    assert thread.metadata["owner"] == "visitor:abc"


# -- Fleet ----------------------------------------------------------------------------------


async def _assistant(api_url: str, name: str) -> str:
    async with httpx.AsyncClient(base_url=api_url) as http:
        response = await http.post("/assistants", json={"graph_id": "chat", "name": name})
        response.raise_for_status()
        return response.json()["assistant_id"]


async def test_fleet_owner_streams_member_is_read_only_stranger_gets_404(
    fleet_gateway: FleetGateway, api_url: str
):
    tag = uuid.uuid4().hex[:8]
    owner_pat, member_pat, stranger_pat = (f"lsv2_pt_{who}_{tag}"
                                           for who in ("owner", "member", "stranger"))
    for pat, who in ((owner_pat, "owner"), (member_pat, "member"), (stranger_pat, "stranger")):
        fleet_gateway.add_user(pat, f"{who}-{tag}")
    private = await _assistant(api_url, f"private-{tag}")
    shared = await _assistant(api_url, f"shared-{tag}")
    fleet_gateway.add_agent(private, f"owner-{tag}")
    fleet_gateway.add_agent(shared, f"owner-{tag}", workspace=True)

    async with fleet_client(fleet_gateway.url, owner_pat) as owner:
        with fleet_gateway.recorder.capture() as calls:
            stream = ThreadStream(private, client=owner)
            assert stream.capabilities is FLEET
            await stream.submit("hi", config=chat_config("owner answer"))
        assert stream.error is None and stream.messages[-1]["content"] == "owner answer"
        assert all(c.headers.get("x-auth-scheme") == "langsmith-api-key" for c in calls)
        owned_thread = ThreadStream(shared, client=owner)
        await owned_thread.submit("for the team", config=chat_config("team answer"))
        thread_id = owned_thread.thread_id

    async with fleet_client(fleet_gateway.url, member_pat) as member:
        reader = ThreadStream(shared, client=member)
        await reader.open(thread_id)  # reads work: the history shows
        assert reader.error is None
        assert [m["content"] for m in reader.messages] == ["for the team", "team answer"]
        await reader.submit("may I?")
        assert isinstance(reader.error, PermissionDeniedError)
        assert await confirm_read_only(member, reader.error, shared)
        assert [m["content"] for m in reader.messages][:2] == ["for the team", "team answer"]

    async with fleet_client(fleet_gateway.url, stranger_pat) as stranger:
        lost = ThreadStream(private, client=stranger)
        await lost.submit("hello?")
        assert isinstance(lost.error, NotFoundError)
        assert not await confirm_read_only(stranger, lost.error, private)
        with pytest.raises(NotFoundError):
            await stranger.assistants.get(private)
