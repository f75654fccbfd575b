"""A fake streaming chat model that plays a script of turns, with reasoning and usage.

A *turn* is what the model says in one call: optional reasoning, answer text, tool calls
and (optionally) exact usage. The script is either a list of turns (turn N answers a
conversation holding N AI messages, so a resumed or replayed run picks the same turn) or
a function of the conversation that returns the next turn.

Each call streams, in order: the reasoning token by token, the answer token by token, each
tool call as `tool_call_chunks`, then one empty chunk carrying `usage_metadata`. The
reasoning's wire shape is chosen per call by `reasoning_format` (keyword argument, the
run's `config["configurable"]`, or the model's field):

- `standard`: langchain-core blocks `{"type": "reasoning", "reasoning": delta, "index": 0}`
  and text blocks `{"type": "text", "text": delta, "index": 1}`;
- `anthropic`: `{"type": "thinking", "thinking": delta, "index": 0}`, then a `signature`
  delta, text blocks at index 1;
- `openai`: Responses API summaries `{"type": "reasoning", "summary": [{"type":
  "summary_text", "text": delta, "index": 0}], "index": 0, "id": "rs_..."}`, text blocks
  at index 1;
- `reasoning_content`: string content, reasoning as `additional_kwargs["reasoning_content"]`
  string deltas (DeepSeek / OpenRouter style).

A turn without reasoning streams plain string content, as the providers' adapters do for
text-only replies.
`token_delay` (seconds before each chunk) is read the same way; default 0.02.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCall

from agents.fake_model import FakeChatModel, message_text, split_tokens

ReasoningFormat = Literal["standard", "anthropic", "openai", "reasoning_content"]
REASONING_FORMATS: tuple[str, ...] = ("standard", "anthropic", "openai", "reasoning_content")
_PROVIDER = {"anthropic": "anthropic", "openai": "openai"}


@dataclass(frozen=True)
class Turn:
    """One model call: what it thinks, says and calls. `usage` None: counted from tokens."""

    text: str = ""
    reasoning: str = ""
    tool_calls: Sequence[ToolCall] = field(default_factory=tuple)
    usage: dict[str, Any] | None = None


Script = Sequence[Turn] | Callable[[Sequence[BaseMessage]], Turn]
"""A list of turns (picked by the number of AI messages so far) or a function of the
conversation returning the next turn."""


def next_turn(script: Script, messages: Sequence[BaseMessage]) -> Turn:
    """The turn that answers `messages`."""
    if callable(script):
        return script(messages)
    if not script:
        return Turn()
    said = sum(1 for message in messages if isinstance(message, AIMessage))
    return script[min(said, len(script) - 1)]


def count_tokens(text: str) -> int:
    """The fake tokenizer: word-level tokens, as streamed."""
    return len(split_tokens(text))


def input_tokens(messages: Sequence[BaseMessage]) -> int:
    """Tokens of the prompt: every message's text and tool call arguments."""
    total = 0
    for message in messages:
        total += count_tokens(message_text(message))
        for call in getattr(message, "tool_calls", None) or ():
            total += count_tokens(json.dumps(call.get("args") or {}))
    return total


def counted_usage(
    messages: Sequence[BaseMessage], reasoning_tokens: int, output_tokens: int
) -> dict[str, Any]:
    """`usage_metadata` for one call, from the fake tokenizer."""
    prompt = input_tokens(messages)
    usage: dict[str, Any] = {
        "input_tokens": prompt,
        "output_tokens": output_tokens,
        "total_tokens": prompt + output_tokens,
    }
    if reasoning_tokens:
        usage["output_token_details"] = {"reasoning": reasoning_tokens}
    return usage


def reasoning_chunk(fmt: str, delta: str, block_id: str) -> AIMessageChunk:
    """One streamed piece of reasoning in the wire shape of `fmt`."""
    if fmt == "anthropic":
        return AIMessageChunk(content=[{"type": "thinking", "thinking": delta, "index": 0}])
    if fmt == "openai":
        summary = [{"type": "summary_text", "text": delta, "index": 0}]
        block = {"type": "reasoning", "summary": summary, "index": 0, "id": block_id}
        return AIMessageChunk(content=[block])
    if fmt == "reasoning_content":
        return AIMessageChunk(content="", additional_kwargs={"reasoning_content": delta})
    return AIMessageChunk(content=[{"type": "reasoning", "reasoning": delta, "index": 0}])


def text_chunk(fmt: str, delta: str, has_reasoning: bool) -> AIMessageChunk:
    """One streamed piece of answer text: a block after block-shaped reasoning, else a
    plain string."""
    if has_reasoning and fmt != "reasoning_content":
        return AIMessageChunk(content=[{"type": "text", "text": delta, "index": 1}])
    return AIMessageChunk(content=delta)


class ScriptedChatModel(FakeChatModel):
    """Streams the turns of `script` with reasoning in the chosen format and usage.

    Per-call settings (keyword argument, then `config["configurable"]`, then field):
    `token_delay`, `reasoning_format`, `fail_after_tokens`, `failure_message`.
    """

    script: Any = ()
    """A `Script`: list of `Turn`s or a function of the conversation returning one."""
    reasoning_format: str = "standard"
    token_delay: float = 0.02
    model_name: str = "scripted-model"

    @property
    def _llm_type(self) -> str:
        return "scripted-streaming-chat-model"

    def _reply_chunks(
        self, messages: list[BaseMessage], kwargs: dict[str, Any]
    ) -> Iterator[AIMessageChunk]:
        turn = next_turn(self.script, messages)
        fmt = str(self._setting("reasoning_format", kwargs))
        if fmt not in REASONING_FORMATS:
            raise ValueError(f"unknown reasoning_format {fmt!r}; use one of {REASONING_FORMATS}")
        fail_after = self._setting("fail_after_tokens", kwargs)
        fail_after = None if fail_after is None else int(fail_after)
        failure = str(self._setting("failure_message", kwargs))
        # Only keys that merge to themselves go on every chunk (strings concatenate).
        meta = {"model_provider": _PROVIDER[fmt]} if fmt in _PROVIDER else {}

        sent = 0
        thoughts = split_tokens(turn.reasoning)
        block_id = f"rs_{zlib.crc32(turn.reasoning.encode()):08x}"
        for delta in thoughts:
            if fail_after is not None and sent >= fail_after:
                raise ValueError(failure)
            sent += 1
            yield self._with_meta(reasoning_chunk(fmt, delta, block_id), meta)
        if thoughts and fmt == "anthropic":
            signature = {"type": "thinking", "signature": f"sig-{block_id}", "index": 0}
            yield self._with_meta(AIMessageChunk(content=[signature]), meta)
        for delta in split_tokens(turn.text):
            if fail_after is not None and sent >= fail_after:
                raise ValueError(failure)
            sent += 1
            yield self._with_meta(text_chunk(fmt, delta, bool(thoughts)), meta)
        if fail_after is not None:  # the turn was shorter than the failure point
            raise ValueError(failure)
        arg_tokens = 0
        for index, call in enumerate(turn.tool_calls):
            arg_tokens += count_tokens(json.dumps(call["args"]))
            for chunk in self._tool_call_chunks(call, index):
                yield self._with_meta(chunk, meta)
        usage = turn.usage or counted_usage(
            messages, len(thoughts), len(thoughts) + count_tokens(turn.text) + arg_tokens
        )
        stop = "tool_calls" if turn.tool_calls else "stop"
        yield AIMessageChunk(
            content="",
            usage_metadata=usage,  # type: ignore[arg-type]
            response_metadata={**meta, "model_name": self.model_name, "finish_reason": stop},
        )

    @staticmethod
    def _with_meta(chunk: AIMessageChunk, meta: dict[str, str]) -> AIMessageChunk:
        chunk.response_metadata = {**chunk.response_metadata, **meta}
        return chunk
