"""`genui`: a weather answer with a generative-UI card that fills in while the text streams.

For a question like "What is the weather in Lisbon?" the node `model`:
1. pushes a `status` card ("Looking up Lisbon…") not linked to any message;
2. streams a fake forecast answer token by token; with the first token it pushes the
   `weather` card linked to that AI message (`message_id` in the card's metadata), then
   updates it with `merge=True` as each day of the forecast is "found";
3. marks the card done and deletes the status card (`delete_ui_message`).

Cards live in the state key `ui` (reducer `ui_message_reducer`) and are sent as
`custom` stream events. The forecast is a pure function of the city: no network.
`config["configurable"]` may set `token_delay` (seconds per token), `ui_name` (the card's
component name, e.g. an unknown one to test the fallback card) and `keep_status` (True:
the status card is not deleted).
"""

from __future__ import annotations

import re
import uuid
import zlib
from collections.abc import Sequence
from typing import Annotated, Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.ui import AnyUIMessage, delete_ui_message, push_ui_message, ui_message_reducer

from agents.fake_model import FakeChatModel, last_human, message_text, split_tokens

CARD = "weather"
STATUS_CARD = "status"
DEFAULT_CITY = "Lisbon"
DAYS = ("Today", "Tomorrow", "Day after")
CONDITIONS = ("sunny", "cloudy", "light rain", "windy", "thunderstorms", "fog")
_CITY = re.compile(r"\b(?:in|for|at)\s+([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{0,40})", re.IGNORECASE)

_fake = FakeChatModel(token_delay=0.03)


class WeatherState(MessagesState):
    ui: Annotated[Sequence[AnyUIMessage], ui_message_reducer]


def city_of(text: str) -> str:
    """The city asked about ("weather in porto?" -> "Porto"), else the default."""
    found = _CITY.search(text)
    city = found.group(1).strip(" .?!'-") if found else ""
    return city.title() if city else DEFAULT_CITY


def forecast(city: str) -> list[dict[str, Any]]:
    """A made-up but stable forecast for `city`: one dict per day."""
    seed = zlib.crc32(city.lower().encode())
    days = []
    for offset, day in enumerate(DAYS):
        value = (seed >> (offset * 5)) & 0xFFFF
        high = 12 + value % 18
        days.append(
            {
                "day": day,
                "condition": CONDITIONS[(value // 7) % len(CONDITIONS)],
                "high_c": high,
                "low_c": high - 4 - value % 5,
            }
        )
    return days


def answer_text(city: str, days: Sequence[dict[str, Any]]) -> str:
    """The streamed answer: one sentence per day."""
    lines = [f"Here is the forecast for {city} (demo data, no real service)."]
    for day in days:
        lines.append(
            f"{day['day']}: {day['condition']}, between {day['low_c']} and {day['high_c']} °C."
        )
    return " ".join(lines)


async def model(state: WeatherState, config: RunnableConfig) -> dict[str, Any]:
    """Stream the answer while the weather card fills in day by day."""
    configurable = config.get("configurable") or {}
    name = str(configurable.get("ui_name") or CARD)
    human = last_human(state["messages"])
    city = city_of(message_text(human) if human else "")
    days = forecast(city)
    text = answer_text(city, days)

    status_id = f"status-{uuid.uuid4()}"
    push_ui_message(STATUS_CARD, {"text": f"Looking up {city}…"}, id=status_id)

    card_id = f"weather-{uuid.uuid4()}"
    # Reveal one more day each time the answer has streamed another slice of tokens.
    every = max(len(split_tokens(text)) // (len(days) + 1), 1)
    revealed = 0
    reply: AIMessageChunk | None = None
    async for chunk in _fake.astream(state["messages"], config, reply=text):
        first = reply is None
        reply = chunk if reply is None else reply + chunk
        if first:
            push_ui_message(
                name, {"city": city, "days": [], "status": "loading"}, id=card_id, message=reply
            )
            continue
        due = min(len(split_tokens(message_text(reply))) // every, len(days))
        if due > revealed:
            revealed = due
            push_ui_message(name, {"days": days[:due]}, id=card_id, message=reply, merge=True)
    if reply is None or not reply.id:
        raise ValueError("the model streamed nothing")
    push_ui_message(
        name, {"days": days, "status": "done"}, id=card_id, message=reply, merge=True
    )
    if not configurable.get("keep_status"):
        delete_ui_message(status_id)
    return {"messages": [AIMessage(content=message_text(reply), id=reply.id)]}


graph = (
    StateGraph(WeatherState).add_node("model", model).add_edge(START, "model").compile(name="genui")
)
