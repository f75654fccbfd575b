"""Runs: streamed, background and waited-for runs on a thread (or stateless)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict

from typing_extensions import Unpack

from app.sdk.errors import RequestValidationError
from app.sdk.http import Transport, segment
from app.sdk.models import Checkpoint, Run
from app.sdk.run_stream import RunStream
from app.sdk.validate import model, model_list


class _NotGiven:
    """Marks an argument that was not passed (so that `None` can mean JSON null)."""

    _instance: _NotGiven | None = None

    def __new__(cls) -> _NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = _NotGiven()


def checkpoint_dict(checkpoint: Checkpoint | Mapping[str, Any] | str) -> dict[str, Any]:
    """A checkpoint as the server wants it in a body; a bare string is a checkpoint id.
    Null fields (a state's `checkpoint_map: null`, say) are dropped: the server rejects them."""
    if isinstance(checkpoint, str):
        return {"checkpoint_id": checkpoint}
    if isinstance(checkpoint, Checkpoint):
        return checkpoint.model_dump(exclude_none=True)
    return {key: value for key, value in checkpoint.items() if value is not None}


class RunOptions(TypedDict, total=False):
    """Keywords shared by `runs.stream`, `runs.create` and `runs.wait` (see `run_body`)."""

    command: Mapping[str, Any] | None
    config: Mapping[str, Any] | None
    context: Mapping[str, Any] | None
    checkpoint: Checkpoint | Mapping[str, Any] | str | None
    checkpoint_id: str | None
    stream_subgraphs: bool
    stream_resumable: bool
    on_disconnect: str | None
    multitask_strategy: str | None
    interrupt_before: str | Sequence[str] | None
    interrupt_after: str | Sequence[str] | None
    metadata: Mapping[str, Any] | None
    durability: str | None
    on_completion: str | None
    if_not_exists: str | None
    after_seconds: float | None
    webhook: str | None
    extra_body: Mapping[str, Any] | None


def run_body(
    assistant_id: str,
    *,
    input: Any = NOT_GIVEN,
    command: Mapping[str, Any] | None = None,
    config: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    checkpoint: Checkpoint | Mapping[str, Any] | str | None = None,
    checkpoint_id: str | None = None,
    stream_mode: str | Sequence[str] | None = None,
    stream_subgraphs: bool = False,
    stream_resumable: bool = False,
    on_disconnect: str | None = None,
    multitask_strategy: str | None = None,
    interrupt_before: str | Sequence[str] | None = None,
    interrupt_after: str | Sequence[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    durability: str | None = None,
    on_completion: str | None = None,
    if_not_exists: str | None = None,
    after_seconds: float | None = None,
    webhook: str | None = None,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON body of a run request: only the fields that were given.

    `input` left out is not sent; `input=None` without a `command` sends `"input": null`
    (continue from a breakpoint, regenerate from a checkpoint).
    """
    if not isinstance(assistant_id, str) or not assistant_id:
        raise RequestValidationError(
            f"assistant_id must be a non-empty string, got {assistant_id!r}"
        )
    body: dict[str, Any] = {"assistant_id": assistant_id}
    if input is not NOT_GIVEN and (input is not None or command is None):
        body["input"] = input
    optional = {
        "command": command,
        "config": config,
        "context": context,
        "checkpoint": checkpoint_dict(checkpoint) if checkpoint is not None else None,
        "checkpoint_id": checkpoint_id,
        "stream_mode": [stream_mode] if isinstance(stream_mode, str) else stream_mode,
        "on_disconnect": on_disconnect,
        "multitask_strategy": multitask_strategy,
        "interrupt_before": interrupt_before,
        "interrupt_after": interrupt_after,
        "metadata": metadata,
        "durability": durability,
        "on_completion": on_completion,
        "if_not_exists": if_not_exists,
        "after_seconds": after_seconds,
        "webhook": webhook,
    }
    for key, value in optional.items():
        if value is not None:
            body[key] = list(value) if isinstance(value, tuple) else value
    if stream_subgraphs:
        body["stream_subgraphs"] = True
    if stream_resumable:
        body["stream_resumable"] = True
    if extra_body:
        body.update(extra_body)
    return body


def _runs_path(thread_id: str | None, suffix: str = "") -> str:
    base = "/runs" if thread_id is None else f"/threads/{segment(thread_id)}/runs"
    return base + suffix


class RunsClient:
    """`client.runs`."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Any = NOT_GIVEN,
        stream_mode: str | Sequence[str] = ("values",),
        **options: Unpack[RunOptions],
    ) -> RunStream:
        """Start a run and stream its events. `thread_id=None` runs stateless.

        Other keywords: `RunOptions`. "messages-tuple" comes back as "messages" events.
        """
        body = run_body(assistant_id, input=input, stream_mode=stream_mode, **options)
        return RunStream(
            self._transport,
            "POST",
            _runs_path(thread_id, "/stream"),
            json_body=body,
            thread_id=thread_id,
        )

    def join(
        self,
        thread_id: str,
        run_id: str,
        *,
        last_event_id: str | None = None,
        stream_mode: str | Sequence[str] | None = None,
    ) -> RunStream:
        """Stream an existing run. `last_event_id` resumes after that event ("-1": replay
        from the start; needs `stream_resumable=True` on the run)."""
        headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else None
        params: dict[str, Any] | None = None
        if stream_mode is not None:
            modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
            params = {"stream_mode": modes}
        return RunStream(
            self._transport,
            "GET",
            _runs_path(thread_id, f"/{segment(run_id)}/stream"),
            params=params,
            headers=headers,
            thread_id=thread_id,
            run_id=run_id,
        )

    async def create(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Any = NOT_GIVEN,
        stream_mode: str | Sequence[str] | None = None,
        **options: Unpack[RunOptions],
    ) -> Run:
        """Start a background run (same keywords as `stream`)."""
        body = run_body(assistant_id, input=input, stream_mode=stream_mode, **options)
        data = await self._transport.request_json("POST", _runs_path(thread_id), json_body=body)
        return model(Run, data, "run")

    async def wait(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Any = NOT_GIVEN,
        **options: Unpack[RunOptions],
    ) -> Any:
        """Run to completion and return the final state values."""
        body = run_body(assistant_id, input=input, **options)
        return await self._transport.request_json(
            "POST", _runs_path(thread_id, "/wait"), json_body=body
        )

    async def get(self, thread_id: str, run_id: str) -> Run:
        data = await self._transport.request_json(
            "GET", _runs_path(thread_id, f"/{segment(run_id)}")
        )
        return model(Run, data, "run")

    async def list(
        self, thread_id: str, *, limit: int = 10, offset: int = 0, status: str | None = None
    ) -> list[Run]:
        """The thread's runs, newest first."""
        params = {"limit": limit, "offset": offset, "status": status}
        data = await self._transport.request_json("GET", _runs_path(thread_id), params=params)
        return model_list(Run, data, "runs")

    async def cancel(
        self, thread_id: str, run_id: str, *, wait: bool = False, action: str = "interrupt"
    ) -> None:
        """Cancel a run. `action="interrupt"` keeps its checkpoints, `"rollback"` deletes
        the run and them. `wait=True` returns once the run has stopped."""
        if action not in ("interrupt", "rollback"):
            raise RequestValidationError(
                f"action must be 'interrupt' or 'rollback', got {action!r}"
            )
        await self._transport.request(
            "POST",
            _runs_path(thread_id, f"/{segment(run_id)}/cancel"),
            params={"wait": wait, "action": action},
        )

    async def join_result(self, thread_id: str, run_id: str) -> Any:
        """Wait for a run to finish and return the thread's final values."""
        return await self._transport.request_json(
            "GET", _runs_path(thread_id, f"/{segment(run_id)}/join")
        )

    async def delete(self, thread_id: str, run_id: str) -> None:
        await self._transport.request("DELETE", _runs_path(thread_id, f"/{segment(run_id)}"))
