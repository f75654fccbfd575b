"""A minimal browser for sign-in pages: follows redirects, reads forms, clicks buttons.

Enough to drive a real OpenID Connect provider's login page with httpx the way a user
would, without hard-coding the page's field names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # hidden and text inputs
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, label
    text_inputs: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: dict[str, str] | None = None
        self._label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(attr.get("action", ""), attr.get("method", "get").lower()))
        elif tag == "input" and self.forms and attr.get("name"):
            kind = attr.get("type", "text")
            if kind in ("text", "email", "password"):
                self.forms[-1].text_inputs.append(attr["name"])
            if kind != "submit":
                self.forms[-1].fields[attr["name"]] = attr.get("value", "")
        elif tag == "button" and self.forms:
            self._button, self._label = attr, ""

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._label += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append(
                (self._button.get("name", ""), self._button.get("value", ""),
                 self._label.strip()))
            self._button = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


async def open_until(client: httpx.AsyncClient, url: str, stop_prefix: str,
                     method: str = "GET", data: dict[str, str] | None = None
                     ) -> httpx.Response | str:
    """Load `url` and follow redirects; returns the URL once a redirect points at
    `stop_prefix` (the app's callback, not served here), else the final page."""
    for _ in range(10):
        response = await client.request(method, url, data=data)
        location = response.headers.get("location")
        if response.is_redirect and location:
            url = urljoin(str(response.url), location)
            if url.startswith(stop_prefix):
                return url
            method, data = "GET", None
            continue
        return response
    raise AssertionError("too many redirects")


async def click(client: httpx.AsyncClient, page: httpx.Response, label: str,
                stop_prefix: str, typed: dict[str, str] | None = None) -> httpx.Response | str:
    """Click the button labelled `label` on `page` (typing `typed` into text fields of
    the same form first); follows the answer as `open_until` does."""
    for form in forms(page.text):
        for name, value, text in form.buttons:
            if text == label:
                data = dict(form.fields)
                data.update(typed or {})
                if name:
                    data[name] = value
                action = urljoin(str(page.url), form.action or str(page.url))
                return await open_until(client, action, stop_prefix,
                                        method=form.method.upper(), data=data)
    raise AssertionError(f"no button {label!r} on {page.url}")
