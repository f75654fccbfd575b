"""Configuration from the environment (and `.env`). Server side only: nothing here is
ever sent to the browser, in particular not the API key."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from app.sdk.backend import MANAGED_PATH, backend_kind

DEFAULT_ASSISTANT = "chat"
LANGSMITH_SCHEME = "langsmith-api-key"  # Fleet / Agent Builder: a PAT in X-Api-Key
NO_SCHEME = "none"
Deployment = Literal["agent-server", "fleet", "managed-deep-agents"]
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_TOKEN = re.compile(r"[A-Za-z0-9._-]+")


class ConfigurationError(RuntimeError):
    """Invalid configuration: the message says which variable to set and how."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    langgraph_api_url: str = Field(
        "http://127.0.0.1:2024",
        description="Base URL of the LangGraph Agent Server.",
    )
    langgraph_assistant_id: str = Field(
        DEFAULT_ASSISTANT, description="Assistant id or graph id to talk to."
    )
    langgraph_api_key: SecretStr | None = Field(
        None, description="Sent as X-Api-Key; stays on the server."
    )
    # JSON object of extra headers, e.g. '{"X-Trace": "on"}'.
    langgraph_headers: dict[str, str] = Field(default_factory=dict)
    langgraph_auth_scheme: str | None = Field(
        None, description="Sent as X-Auth-Scheme with the key. Default: langsmith-api-key "
        "when LANGGRAPH_API_KEY is set for an Agent Server (Fleet and Agent Builder need it; "
        "open-source servers ignore it); 'none' sends no X-Auth-Scheme.")
    langgraph_backend: Literal["auto", "agent-server", "fleet", "managed-deep-agents"] = Field(
        "auto", description="Which API LANGGRAPH_API_URL serves; auto: Managed Deep Agents "
        "when the URL ends in /v1/deepagents, else an Agent Server.")

    @field_validator("langgraph_api_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"LANGGRAPH_API_URL must start with http:// or https:// (got {value!r})"
            )
        return value

    @field_validator("langgraph_assistant_id")
    @classmethod
    def _check_assistant(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("LANGGRAPH_ASSISTANT_ID must not be empty")
        return value

    def headers(self) -> dict[str, str]:
        """Headers for every request to the server (the key included)."""
        headers = self.client_headers()
        if self.langgraph_api_key is not None:
            headers["X-Api-Key"] = self.langgraph_api_key.get_secret_value()
        return headers

    def client_headers(self) -> dict[str, str]:
        """Headers for every request besides the key: LANGGRAPH_HEADERS and X-Auth-Scheme."""
        headers = {name: value for name, value in self.langgraph_headers.items()
                   if name.lower() != "x-auth-scheme"}
        if self.auth_scheme:
            headers["X-Auth-Scheme"] = self.auth_scheme
        return headers

    @property
    def backend_kind(self) -> Literal["agent-server", "managed-deep-agents"]:
        """The API the chat talks to (`app.sdk.backend.connect`)."""
        if self.langgraph_backend == "auto":
            return "managed-deep-agents" if _managed_url(self.langgraph_api_url) \
                else "agent-server"
        if self.langgraph_backend == "managed-deep-agents":
            return "managed-deep-agents"
        return "agent-server"

    @property
    def auth_scheme(self) -> str:
        """The X-Auth-Scheme sent with the key ("" for none)."""
        chosen = _chosen_scheme(self)
        if chosen.lower() == NO_SCHEME or self.backend_kind == "managed-deep-agents":
            return ""
        if chosen:
            return chosen
        return LANGSMITH_SCHEME if self.langgraph_api_key is not None else ""

    @property
    def deployment(self) -> Deployment:
        """The kind of deployment, for wording and what the chat checks: a Managed Deep
        Agent, an Agent Server behind LangSmith auth (Fleet, Agent Builder, LangSmith
        Deployments: a key with `X-Auth-Scheme: langsmith-api-key`), or an Agent Server."""
        if self.backend_kind == "managed-deep-agents":
            return "managed-deep-agents"
        if self.langgraph_backend == "fleet" or self.auth_scheme == LANGSMITH_SCHEME:
            return "fleet"
        return "agent-server"

    @model_validator(mode="after")
    def _check_deployment(self) -> Settings:
        """Combinations that cannot work stop the app at start, naming the variable."""
        problem = deployment_problem(self)
        if problem:
            raise ValueError(problem)
        return self

    # -- putting it on the internet: visitors, logins, limits (README) ---------------
    langgraph_chat_threads: Literal["private", "shared"] = Field(
        "private", description="private: each visitor or user sees only their threads; "
        "shared: everyone sees every thread of the assistant (a trusted team).")
    langgraph_chat_secret: SecretStr | None = Field(
        None, description="Signs visitor and sign-in cookies; default: a random secret "
        "kept in .langgraph-chat-secret (set it when several machines serve the app).")
    langgraph_chat_auth_secret: SecretStr | None = Field(
        None, description="Shared with an Agent Server running agents/auth.py: every call "
        "carries a short-lived token for the visitor or user, signed with it.")
    langgraph_chat_oidc_issuer: str | None = Field(
        None, description="OpenID Connect issuer URL: sign-in required when set.")
    langgraph_chat_oidc_client_id: str | None = None
    langgraph_chat_oidc_client_secret: SecretStr | None = None
    langgraph_chat_oidc_forward_token: bool = Field(
        False, description="Send the user's own OIDC access token to the Agent Server "
        "instead of a token signed with LANGGRAPH_CHAT_AUTH_SECRET.")
    langgraph_chat_public_url: str | None = Field(
        None, description="The app's backend URL as browsers reach it (sign-in "
        "redirects); default: Reflex's api_url.")
    langgraph_chat_runs_per_minute: int = Field(30, ge=0, description="0: no limit.")
    langgraph_chat_concurrent_runs: int = Field(4, ge=0, description="0: no limit.")
    langgraph_chat_max_message_chars: int = Field(20_000, ge=0, description="0: no limit.")
    langgraph_chat_limits_storage: str | None = Field(
        None, description="memory:// or redis://...; default: REFLEX_REDIS_URL, else memory.")

    @field_validator("langgraph_chat_auth_secret")
    @classmethod
    def _check_auth_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("LANGGRAPH_CHAT_AUTH_SECRET must be at least 32 characters")
        return value

    @model_validator(mode="after")
    def _check_sign_in(self) -> Settings:
        if self.langgraph_chat_oidc_issuer and not self.langgraph_chat_oidc_client_id:
            raise ValueError("LANGGRAPH_CHAT_OIDC_CLIENT_ID is needed with "
                             "LANGGRAPH_CHAT_OIDC_ISSUER")
        if self.langgraph_chat_oidc_forward_token and not self.langgraph_chat_oidc_issuer:
            raise ValueError("LANGGRAPH_CHAT_OIDC_FORWARD_TOKEN needs "
                             "LANGGRAPH_CHAT_OIDC_ISSUER (sign-in)")
        return self

    @property
    def sign_in(self) -> bool:
        """Users sign in with OpenID Connect (else each browser is an anonymous visitor)."""
        return bool(self.langgraph_chat_oidc_issuer)


def load_settings() -> Settings:
    """Read the settings, failing fast with a message that says what to set."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigurationError(f"Invalid configuration: {problems}") from None
    except SettingsError as exc:
        # Raised for values that are not even parseable, e.g. LANGGRAPH_HEADERS not JSON.
        field = str(exc).split('"')[1] if '"' in str(exc) else "settings"
        raise ConfigurationError(
            f"Invalid configuration: {field.upper()} could not be parsed"
            " (LANGGRAPH_HEADERS must be a JSON object, e.g. '{\"X-Auth-Scheme\": \"...\"}')"
        ) from None


def _managed_url(url: str) -> bool:
    return backend_kind(url) == "managed-deep-agents"


def _chosen_scheme(settings: Settings) -> str:
    """LANGGRAPH_AUTH_SCHEME, else an X-Auth-Scheme in LANGGRAPH_HEADERS (the older way)."""
    chosen = (settings.langgraph_auth_scheme or "").strip()
    if chosen:
        return chosen
    return next((value.strip() for name, value in settings.langgraph_headers.items()
                 if name.lower() == "x-auth-scheme"), "")


def deployment_problem(settings: Settings) -> str:
    """What is wrong with the deployment settings ("" when nothing): the message names
    the variable to change."""
    has_key = settings.langgraph_api_key is not None
    chosen_scheme = _chosen_scheme(settings)
    scheme_given = bool(chosen_scheme) and chosen_scheme.lower() != NO_SCHEME
    header_names = {name.lower() for name in settings.langgraph_headers}
    if chosen_scheme and not _TOKEN.fullmatch(chosen_scheme):
        return f"LANGGRAPH_AUTH_SCHEME must be a scheme name such as {LANGSMITH_SCHEME!r} " \
               f"or 'none' (got {chosen_scheme!r})"
    if "x-api-key" in header_names and has_key:
        return "LANGGRAPH_HEADERS must not hold X-Api-Key: LANGGRAPH_API_KEY sends it"
    if "x-auth-scheme" in header_names and (settings.langgraph_auth_scheme or "").strip():
        return ("LANGGRAPH_HEADERS holds an X-Auth-Scheme and LANGGRAPH_AUTH_SCHEME is set "
                "too: keep LANGGRAPH_AUTH_SCHEME only")
    managed_url = _managed_url(settings.langgraph_api_url)
    if managed_url and settings.langgraph_backend in ("agent-server", "fleet"):
        return (f"LANGGRAPH_BACKEND is {settings.langgraph_backend!r} but LANGGRAPH_API_URL "
                f"ends in {MANAGED_PATH} (Managed Deep Agents): set LANGGRAPH_BACKEND to "
                "managed-deep-agents or auto")
    if settings.backend_kind == "managed-deep-agents":
        if not has_key:
            return ("LANGGRAPH_API_KEY is needed: Managed Deep Agents takes a LangSmith API key "
                    "(sent as X-Api-Key)")
        if not _UUID.fullmatch(settings.langgraph_assistant_id):
            return ("LANGGRAPH_ASSISTANT_ID must be the agent's id, a UUID (`deepagents agents "
                    f"list` shows it), not {settings.langgraph_assistant_id!r}")
        if scheme_given:
            return ("LANGGRAPH_AUTH_SCHEME is for Fleet and Agent Builder agents: Managed Deep "
                    "Agents takes the key alone, so unset it")
        if settings.langgraph_chat_oidc_forward_token:
            return ("LANGGRAPH_CHAT_OIDC_FORWARD_TOKEN sends users' tokens to an Agent Server; "
                    "Managed Deep Agents takes only the API key, so unset it")
        if settings.langgraph_chat_auth_secret is not None:
            return ("LANGGRAPH_CHAT_AUTH_SECRET signs tokens for an Agent Server running "
                    "agents/auth.py; Managed Deep Agents does not read them, so unset it")
        return ""
    if scheme_given and not has_key and (settings.langgraph_auth_scheme or "").strip():
        return ("LANGGRAPH_AUTH_SCHEME goes with a key: set LANGGRAPH_API_KEY (for Fleet and "
                "Agent Builder, your Personal Access Token)")
    if settings.langgraph_backend == "fleet" and not has_key:
        return ("LANGGRAPH_API_KEY is needed: a Fleet or Agent Builder agent takes your "
                "Personal Access Token")
    return ""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
