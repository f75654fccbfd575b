"""Generative UI in the chat: the Reflex components registered by name on a chat state
class, what the browser gets of the thread's UI messages, and the substate holding it.

A graph's `push_ui_message(name, props, ...)` reaches the stream as `custom` events and
`values["ui"]` (`app.stream.ui_messages`). Here:
- `register(chat_state, name, render, urls=...)` (behind `ChatView.ui_component`, a
  decorator) keeps `render(props)` -> `rx.Component` for UI messages named `name`;
  `urls` names the props used as a link or image source, passed through `safe_url`.
- `UIPublisher` (pure) turns the shown UI messages into cards grouped by the chat
  message they follow (`{"by_message": {id: [card]}, "rest": [card]}`), only when they
  changed; `GenUIState` holds them (a substate: a card update resends only the cards).
A card is `display_ui`'s dict: `{"id", "name", "props", "message_id", "truncated"}` plus
`"json"` (the pretty props) for names without a component, shown as a neutral card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from app.stream.ui_messages import (
    custom_event_handler,
    display_ui_list,
    group_by_message,
    safe_url,
)


@dataclass(frozen=True)
class UIComponent:
    """A registered component: `render(props)` gets the UI message's props as a Var (data
    only: JSON values, never functions or HTML); `urls`: top-level props used as a link
    or an image source (anything but http(s), mailto or an image data URL becomes "")."""

    render: Callable[[Any], Any]
    urls: tuple[str, ...] = ()


REGISTRY_ATTR = "ui_components"


def registry(chat_state: type) -> dict[str, UIComponent]:
    """The components registered on `chat_state` (its class mapping `ui_components`,
    whose values may be plain render functions or `UIComponent`s)."""
    found = getattr(chat_state, REGISTRY_ATTR, None)
    if not isinstance(found, Mapping):
        raise TypeError(f"{chat_state.__name__}.{REGISTRY_ATTR} must be declared "
                        "`ClassVar[dict[str, Any]]` (a plain class attribute becomes a state var)")
    return {str(name): entry if isinstance(entry, UIComponent) else UIComponent(entry)
            for name, entry in found.items()}


def register(chat_state: type, name: str, render: Callable[[Any], Any],
             urls: Sequence[str] = ()) -> None:
    """Register `render` for UI messages named `name` on `chat_state` only (a subclass
    gets its own copy of the inherited mapping)."""
    if not name or not callable(render):
        raise ValueError("a UI component needs a name and a render function")
    own = chat_state.__dict__.get(REGISTRY_ATTR)
    if own is None:
        own = dict(registry(chat_state))
        setattr(chat_state, REGISTRY_ATTR, own)
    own[name] = UIComponent(render, tuple(urls))


def url_props(components: Mapping[str, UIComponent]) -> dict[str, tuple[str, ...]]:
    return {name: entry.urls for name, entry in components.items() if entry.urls}


@dataclass
class UIPublisher:
    """Remembers the cards the browser shows; `frame` returns only what changed."""

    known: frozenset[str] = frozenset()
    urls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_message: dict[str, list[dict[str, Any]]] | None = None
    rest: list[dict[str, Any]] | None = None
    _ui: Any = None  # the list last published (kept to compare by identity)
    _ids: tuple[str, ...] = ()

    @classmethod
    def for_components(cls, components: Mapping[str, UIComponent]) -> UIPublisher:
        return cls(known=frozenset(components), urls=url_props(components))

    def cards(self, ui: Iterable[Any]) -> list[dict[str, Any]]:
        """The browser-safe cards of the UI messages (see the module docstring)."""
        cards = display_ui_list(ui)
        for card in cards:
            for key in self.urls.get(card["name"], ()):
                if key in card["props"]:
                    card["props"][key] = safe_url(card["props"][key])
            if card["name"] in self.known:
                del card["json"]  # only the neutral card shows the props as JSON
        return cards

    def frame(self, ui: Any, message_ids: Iterable[str | None]) -> dict[str, Any]:
        """`{"by_message"?, "rest"?}`: the groups that changed since the last frame."""
        ids = tuple(str(i) for i in message_ids if i)
        if ui is self._ui and ids == self._ids and self.by_message is not None:
            return {}  # the same list object next to the same messages: nothing new
        self._ui, self._ids = ui, ids
        by_message, rest = group_by_message(ids, self.cards(ui if isinstance(ui, list)
                                                           else []))
        patch: dict[str, Any] = {}
        if by_message != self.by_message:
            self.by_message = by_message
            patch["by_message"] = by_message
        if rest != self.rest:
            self.rest = rest
            patch["rest"] = rest
        return patch


class GenUIState(rx.State):
    """The thread's generative UI cards: per chat message id, and the unlinked rest."""

    by_message: dict[str, list[dict[str, Any]]] = {}
    rest: list[dict[str, Any]] = []


async def apply_ui(chat: rx.State, patch: Mapping[str, Any]) -> None:
    """Write a `UIPublisher` patch (inside the chat state's `async with self`)."""
    state = await chat.get_state(GenUIState)
    for name, value in patch.items():
        setattr(state, name, value)


def with_ui_events(options: Mapping[str, Any]) -> dict[str, Any]:
    """ThreadStream options whose `on_custom_event` also folds UI messages into the shown
    values (`custom_event_handler`); a developer's own callback is still called."""
    ours = custom_event_handler()
    theirs = options.get("on_custom_event")
    if theirs is None:
        return {**options, "on_custom_event": ours}

    def both(data: Any, namespace: Any, mutate: Callable[..., Any]) -> Any:
        ours(data, namespace, mutate)
        return theirs(data, namespace, mutate)

    return {**options, "on_custom_event": both}
