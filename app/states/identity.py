"""Who a tab acts for: a signed-in user or an anonymous visitor.

The browser holds only signed values in HttpOnly cookies (set by the routes in
`app/routes/identity.py`, since page scripts cannot set HttpOnly cookies): a visitor id,
or the id of a sign-in session kept on the server (`SignInStore`). The tab reads them
from its websocket's handshake. A forged or tampered value verifies to nothing and is
replaced by a new visitor id, never trusted. A new visitor's cookie is set by the page
fetching the visitor route once; until then the tab keeps the id in a backend-only var.
"""

from __future__ import annotations

import json
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import quote

import reflex as rx
from itsdangerous import BadSignature, URLSafeSerializer

from app.access.identity import Identity
from app.access.oidc import OIDCClient
from app.access.owners import VISITOR_PREFIX
from app.access.secrets import cookie_secret
from app.access.sign_in_store import SignInStore
from app.access.visitor import COOKIE_NAME as VISITOR_COOKIE
from app.access.visitor import VisitorSigner, new_visitor_id
from app.settings import get_settings
from app.states import backend

SESSION_COOKIE = "lgchat_session"
VISITOR_ROUTE = "/_chat/visitor"
SIGN_IN_ROUTE = "/auth/login"
CALLBACK_ROUTE = "/auth/callback"
SIGN_OUT_ROUTE = "/auth/logout"
_shared: dict[str, Any] = {}


class SignInRequired(PermissionError):
    """This deployment needs a signed-in user and the tab has none."""


def _secret() -> str:
    configured = get_settings().langgraph_chat_secret
    return cookie_secret(configured.get_secret_value() if configured is not None else None)


def visitor_signer() -> VisitorSigner:
    if "visitor" not in _shared:
        _shared["visitor"] = VisitorSigner(_secret())
    return _shared["visitor"]


def session_signer() -> URLSafeSerializer:
    if "session" not in _shared:
        _shared["session"] = URLSafeSerializer(_secret(), salt="langgraph-chat.session")
    return _shared["session"]


def sign_in_store() -> SignInStore:
    """Where sign-ins are kept: Redis when the app's state is (several workers)."""
    if "store" not in _shared:
        _shared["store"] = SignInStore(rx.config.get_config().redis_url or "memory://")
    return _shared["store"]


def backend_url() -> str:
    """The app's backend as browsers reach it (where the identity routes answer)."""
    public = get_settings().langgraph_chat_public_url
    return (public or rx.config.get_config().api_url).rstrip("/")


def frontend_url() -> str:
    """The app's pages as browsers reach them (where a sign-in returns to)."""
    config = rx.config.get_config()
    return (config.deploy_url or config.api_url).rstrip("/")


def oidc_client() -> OIDCClient:
    if "oidc" not in _shared:
        settings = get_settings()
        secret = settings.langgraph_chat_oidc_client_secret
        _shared["oidc"] = OIDCClient(
            settings.langgraph_chat_oidc_issuer or "", settings.langgraph_chat_oidc_client_id
            or "", secret.get_secret_value() if secret is not None else None,
            backend_url() + CALLBACK_ROUTE)
    return _shared["oidc"]


def read_cookie(header: str, name: str) -> str:
    """One cookie's value from a `Cookie` header ("" when absent or unreadable)."""
    try:
        jar = SimpleCookie(header or "")
    except CookieError:
        return ""
    return jar[name].value if name in jar else ""


def session_id_of(cookie: str) -> str:
    """The sign-in session id in a signed session cookie ("" for a forged one)."""
    try:
        found = session_signer().loads(cookie) if cookie else ""
    except BadSignature:
        return ""
    return found if isinstance(found, str) else ""


class IdentityState(rx.State):
    """This tab's identity (see the module docstring)."""

    user_name: str = ""  # a signed-in user's name ("" for a visitor)
    signed_in: bool = False
    sign_in_enabled: bool = False  # this deployment asks users to sign in
    _owner: str = ""
    _name: str = ""
    _session_id: str = ""
    _new_cookie: str = ""  # a new visitor's signed id, until the browser stores it

    @rx.var
    def needs_sign_in(self) -> bool:
        return self.sign_in_enabled and not self.signed_in

    async def current(self) -> Identity:
        """Who this tab acts for (raises SignInRequired when a user must sign in first).
        Call inside `async with` of a background event (or from a normal one)."""
        if self._session_id:
            found = await sign_in_store().identity(self._session_id)
            if found is not None:
                return found
            self._session_id, self._owner = "", ""
            self.signed_in, self.user_name = False, ""
        if not self._owner:
            await self._resolve()
        if self._session_id:
            found = await sign_in_store().identity(self._session_id)
            if found is not None:
                return found
        if self.sign_in_enabled:
            raise SignInRequired("Sign in to chat.")
        return Identity(owner=self._owner, name=self._name, kind="visitor")

    async def _resolve(self) -> None:
        """Read who this tab is from its cookies (each page load: they may have changed).
        A tab whose new visitor cookie has not reached the browser yet keeps its id."""
        settings = get_settings()
        self.sign_in_enabled = settings.sign_in
        cookies = self.router.headers.cookie
        session_id = session_id_of(read_cookie(cookies, SESSION_COOKIE))
        user = await sign_in_store().identity(session_id) if session_id else None
        if user is not None:
            self._session_id, self._owner, self._name = session_id, user.owner, user.name
            self.signed_in, self.user_name = True, user.name
            return
        self._session_id, self.signed_in, self.user_name = "", False, ""
        if settings.sign_in:
            self._owner = ""
            return
        cookie = read_cookie(cookies, VISITOR_COOKIE)
        visitor_id = visitor_signer().verify(cookie)
        if visitor_id is None and not cookie and self._owner.startswith(VISITOR_PREFIX):
            visitor_id = self._owner[len(VISITOR_PREFIX):]  # stored by the fetch, not yet seen
        if visitor_id is None or not cookie:
            visitor_id = visitor_id or new_visitor_id()
            self._new_cookie = visitor_signer().sign(visitor_id)
        visitor = Identity.visitor(visitor_id)
        self._owner, self._name = visitor.owner, visitor.name

    @rx.event
    async def resolve(self):
        """on_load: find out who this tab is; a new visitor's cookie is stored through
        the visitor route (an HttpOnly cookie only a server response can set)."""
        await self._resolve()
        return self.store_cookie()

    def store_cookie(self) -> Any:
        """The browser request that stores a new visitor's cookie (None when stored)."""
        if not self._new_cookie:
            return None
        url = f"{backend_url()}{VISITOR_ROUTE}?v={quote(self._new_cookie)}"
        self._new_cookie = ""
        return rx.call_script(
            f"fetch({json.dumps(url)}, {{credentials: 'include', mode: 'no-cors'}})")

    @rx.event
    def sign_in(self):
        path = self.router.url.path or "/"
        query = self.router.url.query or ""
        here = path + (f"?{query}" if query else "")
        return _navigate(f"{backend_url()}{SIGN_IN_ROUTE}?next={quote(here, safe='')}")

    @rx.event
    def sign_out(self):
        return _navigate(f"{backend_url()}{SIGN_OUT_ROUTE}")


def _navigate(url: str) -> Any:
    """A full page load of `url` (a backend route, which the page's router would not
    serve: `rx.redirect` routes inside the single-page app)."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


async def acting_client(state: rx.State) -> Any:
    """The Agent Server client acting for `state`'s tab (call inside its lock)."""
    identity = await (await state.get_state(IdentityState)).current()
    return backend.client_for(identity)
