"""Where a page's main-thread time goes: a CDP sampling profile (`Profiler.start/stop`)
summed by function self time. Used by bench_side_by_side when BENCH_SBS_PROFILE names a
client; profiling slows the page, so those runs' figures are not comparable."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit


async def start(cdp: Any) -> None:
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": 200})  # microseconds
    await cdp.send("Profiler.start")


async def stop(cdp: Any) -> Counter[str]:
    """Self time (ms) by `function (file:line)`, from the samples since `start`."""
    profile = (await cdp.send("Profiler.stop"))["profile"]
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_ms: Counter[str] = Counter()
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        if frame["url"]:
            file = urlsplit(frame["url"]).path.rsplit("/", 1)[-1]
            name = f"{name} ({file}:{frame['lineNumber'] + 1})"
        self_ms[name] += delta / 1000
    return self_ms
