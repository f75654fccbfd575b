"""A team deployment: users sign in with OpenID Connect (a real local provider,
oidc-provider-mock) and the Agent Server itself keeps their threads apart (the demo auth
handler, agents/auth.py, checks the token the app signs for each user on every call).

Also the limits a public deployment runs under: a message over the length limit and a
run over the per-minute limit are refused with an alert naming the limit and when to
try again, the typed text stays in the composer and nothing is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Page, expect

from tests.access_fixtures import AuthServer
from tests.e2e.conftest import ChatApp, open_tab, start_app, stop_app
from tests.e2e.helpers import ASSISTANT, USER, send, wait_for_assistant_text, wait_idle

pytestmark = pytest.mark.e2e
THREAD_URL = re.compile(r"/threads/[0-9a-f-]{36}$")
RUNS_PER_MINUTE = 3
MAX_CHARS = 60


@pytest.fixture(scope="module")
def team_app(auth_server: AuthServer, oidc_issuer: str, tmp_path_factory) -> Iterator[ChatApp]:
    app = start_app(auth_server.url, tmp_path_factory.mktemp("team-app"), extra_env={
        "LANGGRAPH_CHAT_AUTH_SECRET": auth_server.secret,
        "LANGGRAPH_CHAT_OIDC_ISSUER": oidc_issuer,
        "LANGGRAPH_CHAT_OIDC_CLIENT_ID": "chat-app",
        "LANGGRAPH_CHAT_OIDC_CLIENT_SECRET": "chat-app-secret",
        "LANGGRAPH_CHAT_RUNS_PER_MINUTE": str(RUNS_PER_MINUTE),
        "LANGGRAPH_CHAT_MAX_MESSAGE_CHARS": str(MAX_CHARS),
    })
    try:
        yield app
    finally:
        stop_app(app)


async def sign_in_as(page: Page, app: ChatApp, user: str) -> None:
    """Sign in through the provider's own login page, as a person does."""
    await page.goto(app.url)
    await expect(page.get_by_role("heading", name="Sign in to chat")).to_be_visible()
    await page.get_by_role("button", name="Sign in").first.click()
    await page.get_by_role("button", name=user).click()  # the provider's page
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_role("textbox", name="Message")).to_be_editable()


async def test_signed_in_users_each_see_their_own_threads(browser, team_app):
    team_app.say("Only for you.", token_delay=0.005)
    async for alice in open_tab(browser):
        page_a: Page = alice.page
        await sign_in_as(page_a, team_app, "alice")
        await expect(page_a.get_by_text("Alice Liddell")).to_be_visible()
        await send(page_a, "alice's roadmap")
        await wait_for_assistant_text(page_a, "Only for you.")
        await expect(page_a).to_have_url(THREAD_URL)
        alice_thread = page_a.url
        async for bob in open_tab(browser):
            page_b: Page = bob.page
            await sign_in_as(page_b, team_app, "bob")
            await expect(page_b.get_by_text("Bob Builder")).to_be_visible()
            nav = page_b.get_by_role("navigation", name="Threads")
            await expect(nav.get_by_role("link", name=re.compile("alice's roadmap"))
                         ).to_have_count(0)
            await page_b.goto(alice_thread)
            await expect(page_b.get_by_role("alert")).to_contain_text("Thread not found")
            await expect(page_b.get_by_text("alice's roadmap")).to_have_count(0)
        await page_a.get_by_role("button", name="Sign out").click()
        await expect(page_a.get_by_role("heading", name="Sign in to chat")).to_be_visible()
        await page_a.goto(alice_thread)  # signed out: nothing of the thread shows
        await expect(page_a.get_by_role("heading", name="Sign in to chat")).to_be_visible()
        await expect(page_a.get_by_text("alice's roadmap")).to_have_count(0)


async def test_a_recorded_decision_shows_the_users_name(browser, team_app):
    async for tab in open_tab(browser):
        page: Page = tab.page
        await page.add_init_script("localStorage.setItem('lg:assistant', 'question')")
        await sign_in_as(page, team_app, "alice")
        await send(page, "start the questions")
        await expect(page.get_by_role("region", name="Needs your input")).to_be_visible()
        await wait_idle(page)
        await send(page, "Ada")  # the composer answers the open question
        await expect(page.get_by_role("article", name=ASSISTANT).last).to_contain_text("Ada")
        await expect(page.get_by_text(re.compile(r"Answer: Ada — Alice Liddell"))
                     ).to_be_visible()


async def test_limits_refuse_with_when_to_retry_and_keep_the_text(browser, team_app):
    team_app.say("ok", token_delay=0.0)
    async for tab in open_tab(browser):
        page: Page = tab.page
        await sign_in_as(page, team_app, "bob")
        box = page.get_by_role("textbox", name="Message")
        too_long = "x" * (MAX_CHARS + 5)
        await send(page, too_long)
        alert = page.get_by_role("alert")
        await expect(alert).to_contain_text("Limit reached")
        await expect(alert).to_contain_text(f"the limit is {MAX_CHARS}")
        await expect(box).to_have_value(too_long)
        await expect(page.get_by_role("article", name=USER)).to_have_count(0)
        for turn in range(RUNS_PER_MINUTE):
            await send(page, f"short {turn}")
            await wait_for_assistant_text(page, "ok")
            await wait_idle(page)
        await send(page, "one more")
        await expect(alert).to_contain_text(f"{RUNS_PER_MINUTE} answers per minute")
        await expect(alert).to_contain_text(re.compile(r"try again in \d+ s"))
        await expect(box).to_have_value("one more")
        await expect(page.get_by_role("article", name=USER).filter(has_text="one more")
                     ).to_have_count(0)
