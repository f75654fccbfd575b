"""Configuration from the environment (and `.env`). Server side only: nothing here is
ever sent to the browser, in particular not the API key."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr, ValidationError, field_validator
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
