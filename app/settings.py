"""Configuration from the environment (and `.env`). Server side only: nothing here is
ever sent to the browser, in particular not the API key."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

DEFAULT_ASSISTANT = "chat"


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
    # JSON object of extra headers, e.g. '{"X-Auth-Scheme": "langsmith-api-key"}'.
    langgraph_headers: dict[str, str] = Field(default_factory=dict)

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
        """Headers for every request to the Agent Server."""
        headers = dict(self.langgraph_headers)
        if self.langgraph_api_key is not None:
            headers["X-Api-Key"] = self.langgraph_api_key.get_secret_value()
        return headers

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
