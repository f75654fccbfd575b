"""A Fleet / Agent Builder agent in the browser, through the fake LangSmith gateway in
front of the e2e Agent Server (PAT + `X-Auth-Scheme` on every call, 404 for a token that
is not the agent owner's, workspace agents read-only for everyone else).

The app is configured as the seeds configure a client: the deployment URL, a Personal
Access Token and the agent id; nothing says "Fleet" (the auth scheme is the default that
goes with a key). Threads are shared within the deployment (LANGGRAPH_CHAT_THREADS=
shared), as a team sharing a workspace agent has it. The gateway decides whose token the
app holds: each test says who that is.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import expect

from agents.server import AgentServer
from app.sdk.fleet import fleet_client
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import (
    ASSISTANT,
    USER,
    answer_steps,
    open_chat,
    pick_assistant,
    send,
    wait_idle,
)
from tests.fakes.fleet_gateway import FleetGateway, serve_fleet_gateway
from tests.fakes.recording import RecordedRequest

pytestmark = pytest.mark.e2e
PAT = "lsv2_pt_e2e-FLEET-token-marker-93b1"  # the app's token
OWNER_PAT = "lsv2_pt_e2e-owner-own-token"  # the owner's, used by the test itself
OWNER, MEMBER, STRANGER = "owner", "member", "stranger"
THREAD_URL = re.compile(r"/threads/[0-9a-f-]{36}$")
WORDS = " ".join(f"fleet{i}" for i in range(24))


@dataclass
class Fleet:
    gateway: FleetGateway
    app: ChatApp
    private: str  # the owner's private agent (the app's LANGGRAPH_ASSISTANT_ID)
    shared: str  # the owner's workspace agent
    shared_name: str

    def token_is(self, user: str | None) -> None:
        """Whose token the app holds from now on (None: a token LangSmith rejects)."""
        if user is None:
            self.gateway.users.pop(PAT, None)
        else:
            self.gateway.add_user(PAT, user)

    def calls(self, since: int) -> list[RecordedRequest]:
        return self.gateway.recorder.since(since)


def _assistant(api_url: str, name: str) -> str:
    response = httpx.post(f"{api_url}/assistants", json={"graph_id": "chat", "name": name})
    response.raise_for_status()
    return response.json()["assistant_id"]


@pytest.fixture(scope="module")
def fleet(e2e_server: AgentServer, tmp_path_factory) -> Iterator[Fleet]:
    tag = uuid.uuid4().hex[:6]
    with serve_fleet_gateway(e2e_server.url) as gateway:
        private = _assistant(e2e_server.url, f"private-{tag}")
        shared_name = f"workspace-{tag}"
        shared = _assistant(e2e_server.url, shared_name)
        gateway.add_agent(private, OWNER)
        gateway.add_agent(shared, OWNER, workspace=True)
        gateway.add_user(OWNER_PAT, OWNER)
        app = start_app(gateway.url, tmp_path_factory.mktemp("fleet-app"), extra_env={
            "LANGGRAPH_API_KEY": PAT,
            "LANGGRAPH_ASSISTANT_ID": private,
            "LANGGRAPH_CHAT_THREADS": "shared",
        })
        try:
            yield Fleet(gateway, app, private, shared, shared_name)
        finally:
            stop_app(app)


async def test_a_chat_streams_with_url_token_and_agent_id(browser, fleet: Fleet):
    fleet.token_is(OWNER)
    fleet.app.say(WORDS, token_delay=0.04)
    mark = len(fleet.gateway.recorder)
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, fleet.app.url)
        await send(page, "hello from the owner")
        await expect(page.get_by_role("article", name=USER).last).to_contain_text("hello from")
        seen = await answer_steps(page, WORDS)
        assert len(seen) >= 4, seen  # token by token
        await wait_idle(page)
        await expect(page).to_have_url(THREAD_URL)
        await expect(page.get_by_role("alert")).to_have_count(0)
        await expect(page.get_by_role("button", name="Regenerate")).to_be_visible()
        html = await page.content()
        assert PAT not in html
        assert tab.frames_in and all(PAT not in f for f in tab.frames_in + tab.frames_out)
    calls = fleet.calls(mark)  # all the app's: the test sends none meanwhile
    assert any(c.path.endswith("/runs/stream") for c in calls)
    for call in calls:  # the token and the scheme on every call, from the backend
        assert call.headers.get("x-auth-scheme") == "langsmith-api-key", call.path
        assert call.user == OWNER and call.refused is None, (call.path, call.refused)
    fleet.app.say_default()


async def owner_thread(fleet: Fleet, text: str, reply: str) -> str:
    """A thread of the owner's on the workspace agent, with one answer."""
    async with fleet_client(fleet.gateway.url, OWNER_PAT) as owner:
        thread = await owner.threads.create()
        stream = owner.runs.stream(thread.thread_id, fleet.shared,
                                   input={"messages": [{"type": "human", "content": text}]},
                                   config={"configurable": {"reply": reply,
                                                            "token_delay": 0.0}})
        async for _ in stream:
            pass
        return thread.thread_id




async def test_a_shared_workspace_agent_opens_read_only(browser, fleet: Fleet):
    thread_id = await owner_thread(fleet, "Team plan for Monday", "The plan is ready.")
    fleet.token_is(MEMBER)
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, fleet.app.url)
        await pick_assistant(page, fleet.shared_name)
        nav = page.get_by_role("navigation", name="Threads")
        await nav.get_by_role("link", name=re.compile("Team plan for Monday")).click()
        await expect(page).to_have_url(re.compile(f"/threads/{thread_id}$"))
        await expect(page.get_by_role("article", name=ASSISTANT).locator(".chat-markdown")
                     ).to_have_text("The plan is ready.")
        # The first write tells: the owner's agent answers 403, reads still work.
        await send(page, "Can I add Tuesday?")
        status = page.get_by_role("status").filter(has_text="Read-only")
        await expect(status).to_be_visible()
        await expect(status).to_contain_text("shared with you read-only")
        box = page.get_by_role("textbox", name="Message")
        await expect(box).to_be_disabled()
        await expect(box).to_have_value("Can I add Tuesday?")  # nothing typed is lost
        await expect(page.get_by_role("button", name="Send")).to_be_disabled()
        await expect(page.get_by_role("article", name=ASSISTANT).locator(".chat-markdown")
                     ).to_have_text("The plan is ready.")  # the history stays visible
        await expect(page.get_by_role("alert")).to_have_count(0)
    # From now on the agent's chats open read-only, in any browser.
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, fleet.app.url)
        await pick_assistant(page, fleet.shared_name)
        await expect(page.get_by_role("status").filter(has_text="Read-only")).to_be_visible()
        await expect(page.get_by_role("textbox", name="Message")).to_be_disabled()
        nav = page.get_by_role("navigation", name="Threads")
        await nav.get_by_role("link", name=re.compile("Team plan for Monday")).click()
        await expect(page.get_by_role("article", name=USER)).to_have_text("Team plan for Monday")
        await expect(page.get_by_role("status").filter(has_text="Read-only")).to_be_visible()
        await expect(page.get_by_role("textbox", name="Message")).to_be_disabled()


async def test_a_wrong_token_is_explained(browser, fleet: Fleet):
    fleet.token_is(STRANGER)  # a valid token, not the owner's
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, fleet.app.url)
        alert = page.get_by_role("alert").filter(has_text="not found for this token")
        await expect(alert).to_be_visible()
        await expect(alert).to_contain_text(f"Agent {fleet.private} was not found")
        await expect(alert).to_contain_text("use the owner's Personal Access Token or check "
                                            "the agent id")
        # Sending says the same (the agent is not there for this token).
        await send(page, "anyone there?")
        await expect(alert).to_be_visible()
    fleet.token_is(None)  # a token LangSmith does not know at all
    async for tab in open_tab(browser):
        page = tab.page
        await open_chat(page, fleet.app.url)
        refused = page.get_by_role("alert").filter(has_text="Retry")
        await expect(refused).to_contain_text("Personal Access Token missing or rejected")
        await expect(refused).to_contain_text("LANGGRAPH_API_KEY")
        await expect(page.get_by_role("alert").filter(has_text="Could not load threads")
                     ).to_contain_text("personal access token missing or rejected")
