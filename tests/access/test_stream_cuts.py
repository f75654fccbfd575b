"""Streamed answers through a proxy that cuts the connection (fault injection).

Every answer must end complete: the messages a `ThreadStream` shows when its submit
returns equal the server's thread state once the run is over, with no error, no doubled
and no missing characters. Cuts land in the body of the event-stream answers (after the
response head, so the run id is always known), at seeded random byte offsets.

`test_figure_with_one_cut_per_answer` prints how many answers survive a cut each (before
ThreadStream rejoined broken streams: 0 of 10); `test_every_answer_survives_100_cuts`
cuts every answer several times over (each rejoin is cut again).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from app.sdk import AgentClient
from app.stream import ThreadStream
from tests.fakes.cutting_proxy import CutPlan, CuttingProxy

SEED = 20261203
WORDS = 120  # tokens per answer
TOKEN_DELAY = 0.01


def reply_for(index: int) -> str:
    return " ".join(f"a{index}w{i}" for i in range(WORDS))


@dataclass
class Outcome:
    index: int
    cuts: int
    complete: bool
    error: str
    shown: str
    server: str

    def describe(self) -> str:
        return (f"answer {self.index}: {self.cuts} cut(s), error={self.error or None}, "
                f"shows {len(self.shown)} chars of {len(self.server)}")


@dataclass
class Setup:
    proxy: CuttingProxy
    direct: AgentClient
    head: int  # bytes of an event-stream response head
    size: int  # bytes of one whole answer's event stream


@pytest.fixture
async def setup(api_url: str) -> AsyncIterator[Setup]:
    async with AgentClient(api_url) as direct, CuttingProxy(api_url) as proxy:
        outcome = await answer(proxy, direct, -1)  # no plan yet: measures a whole answer
        assert outcome.complete, outcome.describe()
        [record] = [r for r in proxy.requests if r.request_line.startswith("POST")
                    and "/runs/stream" in r.request_line]
        assert record.head_bytes
        proxy.requests.clear()
        yield Setup(proxy, direct, record.head_bytes, record.delivered)


def _text(messages: list[dict[str, Any]]) -> str:
    return "".join(str(m.get("content", "")) for m in messages if m.get("type") == "ai")


async def _wait_for_runs(direct: AgentClient, thread_id: str) -> None:
    for run in await direct.runs.list(thread_id):
        await direct.runs.join_result(thread_id, run.run_id)
    for _ in range(100):  # the thread's status is written just after the run's
        if (await direct.threads.get(thread_id)).status != "busy":
            return
        await asyncio.sleep(0.05)


async def answer(proxy: CuttingProxy, direct: AgentClient, index: int) -> Outcome:
    """One streamed answer through the proxy, compared with the server's final state."""
    cuts_before = len(proxy.cuts)
    stream = ThreadStream("chat", api_url=proxy.url)
    try:
        await stream.submit(f"question {index}", stream_resumable=True, config={
            "configurable": {"reply": reply_for(index), "token_delay": TOKEN_DELAY}})
        shown, error = stream.messages, stream.error
        assert stream.thread_id
        await _wait_for_runs(direct, stream.thread_id)
        server = (await direct.threads.get_state(stream.thread_id)).values["messages"]
    finally:
        await stream.aclose()
    await proxy.settle()
    complete = error is None and shown == server and _text(server) == reply_for(index)
    return Outcome(index, len(proxy.cuts) - cuts_before, complete,
                   f"{type(error).__name__}: {error}" if error else "", _text(shown),
                   _text(server))


async def test_figure_with_one_cut_per_answer(setup: Setup):
    answers = 10
    setup.proxy.plan = CutPlan.seeded(SEED, answers, setup.head + 1, setup.size - 1)
    outcomes = [await answer(setup.proxy, setup.direct, i) for i in range(answers)]
    complete = sum(o.complete for o in outcomes)
    cut = [o for o in outcomes if o.cuts]
    print(f"\n[stream cuts] {complete}/{answers} answers complete, "
          f"{len(setup.proxy.cuts)} cuts, answer stream {setup.size} bytes")
    for outcome in outcomes:
        print("  " + outcome.describe())
    assert cut, "no answer was cut: the plan missed every stream"
    # The server itself is never damaged by a cut: every run finished whole.
    assert all(o.server == reply_for(o.index) for o in outcomes)
    assert complete == answers, [o.describe() for o in outcomes if not o.complete]


async def test_every_answer_survives_100_cuts(setup: Setup):
    # Offsets up to a fifth of an answer: each answer is cut several times over (every
    # rejoin is cut again), so 100 cuts spread over roughly ten answers.
    body = setup.size - setup.head
    setup.proxy.plan = CutPlan.seeded(SEED, 100, setup.head + 1, setup.head + body // 5)
    outcomes: list[Outcome] = []
    for index in range(40):
        if not setup.proxy.plan.remaining:
            break
        outcome = await answer(setup.proxy, setup.direct, index)
        outcomes.append(outcome)
        assert outcome.complete, outcome.describe()
    assert len(setup.proxy.cuts) == 100, f"{len(setup.proxy.cuts)} cuts in {len(outcomes)}"
    print(f"\n[stream cuts] {len(outcomes)} answers, 100 cuts, all complete")
