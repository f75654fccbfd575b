"""The HTTP side of identities: storing a visitor's cookie, signing in with OpenID
Connect, signing out. Cookies set here are HttpOnly (page scripts never see them) and
hold only signed values: a visitor id, or the id of a sign-in session whose tokens stay
on the server (`SignInStore`). `IdentityState` reads them back from the websocket.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from app.access.oidc import LoginError
from app.access.visitor import COOKIE_MAX_AGE, COOKIE_OPTIONS
from app.access.visitor import COOKIE_NAME as VISITOR_COOKIE
from app.settings import get_settings
from app.states.identity import (
    CALLBACK_ROUTE,
    SESSION_COOKIE,
    SIGN_IN_ROUTE,
    SIGN_OUT_ROUTE,
    VISITOR_ROUTE,
    frontend_url,
    oidc_client,
    read_cookie,
    session_id_of,
    session_signer,
    sign_in_store,
    visitor_signer,
)

SESSION_OPTIONS = {"httponly": True, "samesite": "lax", "path": "/"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get(
        "x-forwarded-proto", "") == "https"


def _page(path: str) -> str:
    """A page of this app to return to: a local path only (never another site)."""
    parts = urlsplit(path or "/")
    if parts.scheme or parts.netloc or not (parts.path or "/").startswith("/"):
        return frontend_url() + "/"
    return frontend_url() + path


async def store_visitor(request: Request) -> Response:
    """Set the HttpOnly visitor cookie to a value this server signed (anything else is
    refused: a browser cannot pick its identity)."""
    value = request.query_params.get("v", "")
    if visitor_signer().verify(value) is None:
        return Response("not a visitor id signed by this app", status_code=400)
    response = Response(status_code=204)
    response.set_cookie(VISITOR_COOKIE, value, secure=_secure(request), **COOKIE_OPTIONS)
    return response


async def sign_in(request: Request) -> Response:
    if not get_settings().sign_in:
        return RedirectResponse(_page("/"), status_code=303)
    pending = await oidc_client().begin_login()
    await sign_in_store().begin(pending, request.query_params.get("next", "/"))
    return RedirectResponse(pending.url, status_code=303)


async def sign_in_callback(request: Request) -> Response:
    found = await sign_in_store().pending(request.query_params.get("state", ""))
    if found is None:
        return _problem("This sign-in has expired or was already used. Please sign in again.")
    pending, next_path = found
    try:
        identity = await oidc_client().finish_login(pending, dict(request.query_params))
    except LoginError as exc:
        return _problem(str(exc))
    session_id = await sign_in_store().open_session(identity)
    response = RedirectResponse(_page(next_path), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_signer().dumps(session_id),
                        max_age=COOKIE_MAX_AGE, secure=_secure(request), **SESSION_OPTIONS)
    return response


async def sign_out(request: Request) -> Response:
    session_id = session_id_of(read_cookie(request.headers.get("cookie", ""), SESSION_COOKIE))
    await sign_in_store().close_session(session_id)
    response = RedirectResponse(_page("/"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _problem(message: str) -> HTMLResponse:
    link = html.escape(_page("/"), quote=True)
    return HTMLResponse(
        f"<!doctype html><title>Sign-in failed</title><h1>Sign-in failed</h1>"
        f"<p role='alert'>{html.escape(message)}</p><p><a href='{link}'>Back to the chat</a>",
        status_code=400)


def identity_routes() -> Starlette:
    """The routes, as an app Reflex mounts its own under (`api_transformer`)."""
    return Starlette(routes=[
        Route(VISITOR_ROUTE, store_visitor, methods=["GET"]),
        Route(SIGN_IN_ROUTE, sign_in, methods=["GET"]),
        Route(CALLBACK_ROUTE, sign_in_callback, methods=["GET"]),
        Route(SIGN_OUT_ROUTE, sign_out, methods=["GET"]),
    ])
