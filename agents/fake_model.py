"""A deterministic fake chat model that streams like a real one.

`FakeChatModel` asks a *responder* (a plain function of the conversation) what to say,
then streams that reply word by word with a small delay per token, followed by any tool
calls as `tool_call_chunks` (optionally split into small JSON pieces). It can fail after
N tokens, to exercise error paths. No network, no API key.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManagerForLLMRun,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolCall,
    ToolCallChunk,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables.config import ensure_config

Responder = Callable[[Sequence[BaseMessage]], AIMessage]
"""Decides the whole reply (text and tool calls) from the conversation so far."""

_TOKEN = re.compile(r"\S+\s*|\s+")


def split_tokens(text: str) -> list[str]:
    """Word-level tokens that keep their trailing whitespace ("a b" -> ["a ", "b"])."""
    return _TOKEN.findall(text)


def message_text(message: BaseMessage) -> str:
    """The plain text of a message (text blocks joined when content is a list)."""
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


def last_human(messages: Sequence[BaseMessage]) -> HumanMessage | None:
    """The most recent human message, if any."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message
    return None


def whole_message(merged: AIMessageChunk | None) -> AIMessage:
    """The finished message of a merged stream: content, tool calls, extra kwargs, usage."""
    if merged is None:
        return AIMessage(content="")
    return AIMessage(
        content=merged.content,
        tool_calls=merged.tool_calls,
        additional_kwargs=merged.additional_kwargs,
        response_metadata=merged.response_metadata,
        usage_metadata=merged.usage_metadata,
    )


def stamped(chunk: AIMessageChunk, index: int) -> AIMessageChunk:
    """`chunk` with its text token marked `#<index>@<now, epoch microseconds>` (before
    its trailing whitespace); chunks without text are left alone."""
    text = chunk.content
    if not isinstance(text, str) or not text.strip():
        return chunk
    word = text.rstrip()
    mark = f"{word}#{index}@{time.time_ns() // 1000}{text[len(word):]}"
    return AIMessageChunk(content=mark, tool_call_chunks=chunk.tool_call_chunks)


def echo_responder(messages: Sequence[BaseMessage]) -> AIMessage:
    """Default responder: quotes the last human message."""
    human = last_human(messages)
    said = message_text(human).strip() if human else ""
    return AIMessage(content=f'This is a demo reply (no real model). You said: "{said}".')


class FakeChatModel(BaseChatModel):
    """Streams the responder's reply token by token; deterministic and offline.

    Per-call overrides, as keyword arguments to `astream`/`ainvoke` or else as
    `config["configurable"]` keys of the running graph: `token_delay`,
    `fail_after_tokens`, `failure_message`; keyword `reply` streams an exact text instead.
    """

    responder: Responder = echo_responder
    token_delay: float = 0.03
    """Seconds to wait before each streamed token."""
    fail_after_tokens: int | None = None
    """If set, raise `ValueError(failure_message)` after streaming this many tokens."""
    failure_message: str = "demo failure"
    args_chunk_size: int = 0
    """Split each tool call's JSON arguments into pieces of this many characters (0: whole)."""
    stamp_tokens: bool = False
    """Mark each streamed text token `word#<index>@<epoch microseconds>` as it is emitted:
    a benchmark client reads, per token, how long it took to reach it."""

    @property
    def _llm_type(self) -> str:
        return "fake-streaming-chat-model"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FakeChatModel:
        """Tools are decided by the responder; binding them changes nothing."""
        return self

    def _setting(self, name: str, kwargs: dict[str, Any]) -> Any:
        """A per-call override: keyword argument, then the run's configurable, then field."""
        if name in kwargs:
            return kwargs[name]
        configurable = ensure_config().get("configurable") or {}
        if configurable.get(name) is not None:
            return configurable[name]
        return getattr(self, name)

    # -- planning -----------------------------------------------------------------

    def _plan(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> AIMessage:
        reply = kwargs.get("reply")
        if reply is not None:
            return AIMessage(content=str(reply))
        return self.responder(messages)

    def _reply_chunks(
        self, messages: list[BaseMessage], kwargs: dict[str, Any]
    ) -> Iterator[AIMessageChunk]:
        """Every streamed piece of one reply to `messages` (subclasses stream other plans)."""
        return self._chunks(self._plan(messages, kwargs), kwargs)

    def _chunks(self, planned: AIMessage, kwargs: dict[str, Any]) -> Iterator[AIMessageChunk]:
        """The streamed pieces of `planned`, raising once the failure point is reached."""
        fail_after = self._setting("fail_after_tokens", kwargs)
        failure = str(self._setting("failure_message", kwargs))
        text = planned.content if isinstance(planned.content, str) else message_text(planned)
        fail_after = None if fail_after is None else int(fail_after)
        for count, token in enumerate(split_tokens(text)):
            if fail_after is not None and count >= fail_after:
                raise ValueError(failure)
            yield AIMessageChunk(content=token)
        if fail_after is not None:  # the reply was shorter than the failure point
            raise ValueError(failure)
        for index, call in enumerate(planned.tool_calls):
            yield from self._tool_call_chunks(call, index)

    def _tool_call_chunks(self, call: ToolCall, index: int) -> Iterator[AIMessageChunk]:
        args = json.dumps(call["args"])
        size = self.args_chunk_size
        pieces = [args[i : i + size] for i in range(0, len(args), size)] if size > 0 else [args]
        for number, piece in enumerate(pieces):
            first = number == 0
            yield AIMessageChunk(
                content="",
                tool_call_chunks=[
                    ToolCallChunk(
                        name=call["name"] if first else None,
                        args=piece,
                        id=call["id"] if first else None,
                        index=index,
                    )
                ],
            )

    # -- BaseChatModel ------------------------------------------------------------

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        merged: AIMessageChunk | None = None
        for chunk in self._reply_chunks(messages, kwargs):
            merged = chunk if merged is None else merged + chunk
        return ChatResult(generations=[ChatGeneration(message=whole_message(merged))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        delay = float(self._setting("token_delay", kwargs))
        stamp = bool(self._setting("stamp_tokens", kwargs))
        for index, chunk in enumerate(self._reply_chunks(messages, kwargs)):
            if delay > 0:
                time.sleep(delay)
            chunk = stamped(chunk, index) if stamp else chunk
            generation = ChatGenerationChunk(message=chunk)
            if run_manager:
                run_manager.on_llm_new_token(str(chunk.content), chunk=generation)
            yield generation

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        delay = float(self._setting("token_delay", kwargs))
        stamp = bool(self._setting("stamp_tokens", kwargs))
        for index, chunk in enumerate(self._reply_chunks(messages, kwargs)):
            if delay > 0:
                await asyncio.sleep(delay)
            chunk = stamped(chunk, index) if stamp else chunk
            generation = ChatGenerationChunk(message=chunk)
            if run_manager:
                await run_manager.on_llm_new_token(str(chunk.content), chunk=generation)
            yield generation

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        merged: AIMessageChunk | None = None
        async for generation in self._astream(messages, stop, run_manager, **kwargs):
            chunk = generation.message
            merged = chunk if merged is None else merged + chunk  # type: ignore[operator]
        return ChatResult(generations=[ChatGeneration(message=whole_message(merged))])
