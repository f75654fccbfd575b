"""`chat`: a messages graph whose node `model` streams a reply token by token.

The fake model quotes the last human message and says it is a demo. A regenerate of the
same message gives a different reply (it carries the attempt number). When the message
holds images or files (standard content blocks), the reply first lists what was
received: name, type, size and, for images, the pixel size (see `agents.media`).
`config["configurable"]` may set:
- `reply`: the exact text to stream (for tests);
- `token_delay`: seconds per token (default 0.03);
- `tokens`: stream a long answer of exactly this many tokens (for benchmarks);
- `stamp_tokens`: mark each token with its index and emission time (for benchmarks).
With OPENAI_API_KEY or ANTHROPIC_API_KEY set and the matching langchain package
installed (and DEMO_REAL_MODEL not "0"), a real model answers instead, unless
`reply`/`tokens` is given.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph

from agents.attempts import next_attempt
from agents.fake_model import FakeChatModel, last_human, message_text
from agents.media import received_summary

DEFAULT_TOKEN_DELAY = 0.03
_FILLER = (
    "streaming demo words arrive one by one so the interface can show a long answer "
    "growing smoothly while the user watches and scrolls"
).split()


def long_text(tokens: int) -> str:
    """A text of exactly `tokens` word tokens."""
    words = [_FILLER[i % len(_FILLER)] for i in range(max(tokens, 1))]
    words[0] = "Long"
    return " ".join(words) + "."


def demo_reply(said: str, attempt: int, received: str = "") -> str:
    """The fake model's reply to `said`; the attempt number makes a regenerate differ;
    `received` (a sentence about attached files) comes first."""
    prefix = f"{received} " if received else ""
    quoted = f' You said: "{said}".' if said or not received else ""
    if attempt <= 1:
        return f"{prefix}This is a demo reply (no real model).{quoted}"
    return f"{prefix}Demo reply, attempt {attempt} (no real model).{quoted}"


def real_model() -> BaseChatModel | None:
    """A real chat model when an API key and its langchain package are available."""
    if os.environ.get("DEMO_REAL_MODEL") == "0":
        return None
    if os.environ.get("OPENAI_API_KEY"):
        try:
            from langchain_openai import ChatOpenAI  # type: ignore[import-not-found]
        except ImportError:
            pass
        else:
            return ChatOpenAI(model=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"))
    if os.environ.get("ANTHROPIC_API_KEY"):
        try:
            from langchain_anthropic import ChatAnthropic  # type: ignore[import-not-found]
        except ImportError:
            pass
        else:
            return ChatAnthropic(model=os.environ.get("ANTHROPIC_MODEL", "claude-haiku-4-5"))
    return None


_fake = FakeChatModel(token_delay=DEFAULT_TOKEN_DELAY)
_real = real_model()


def _planned_reply(messages: Sequence[BaseMessage], config: RunnableConfig) -> str:
    configurable = config.get("configurable") or {}
    if configurable.get("reply") is not None:
        return str(configurable["reply"])
    if configurable.get("tokens"):
        return long_text(int(configurable["tokens"]))
    human = last_human(messages)
    said = message_text(human).strip() if human else ""
    key = (human.id or said) if human else ""
    received = received_summary(human) if human else ""
    return demo_reply(said, next_attempt(config, key), received)


async def model(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
    """Stream one reply to the conversation."""
    configurable = config.get("configurable") or {}
    wants_fake = configurable.get("reply") is not None or configurable.get("tokens")
    if _real is not None and not wants_fake:
        return {"messages": [await _real.ainvoke(state["messages"], config)]}
    text = _planned_reply(state["messages"], config)
    reply: AIMessage = await _fake.ainvoke(state["messages"], config, reply=text)
    return {"messages": [reply]}


graph = (
    StateGraph(MessagesState).add_node("model", model).add_edge(START, "model").compile(name="chat")
)
