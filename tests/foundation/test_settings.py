"""Configuration: read from the environment, fail fast with a message naming the variable."""

from __future__ import annotations

import pytest

from app.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("API_URL", "ASSISTANT_ID", "API_KEY", "HEADERS", "AUTH_SCHEME", "BACKEND",
                 "CHAT_AUTH_SECRET"):
        monkeypatch.delenv(f"LANGGRAPH_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_point_at_the_demo_graph() -> None:
    settings = load_settings()
    assert settings.langgraph_assistant_id == "chat"
    assert settings.langgraph_api_key is None
    assert settings.headers() == {}


def test_environment_overrides_and_key_becomes_a_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGGRAPH_API_URL", " https://agents.example.com/ ")
    monkeypatch.setenv("LANGGRAPH_ASSISTANT_ID", "agent")
    monkeypatch.setenv("LANGGRAPH_API_KEY", "lsv2-secret")
    monkeypatch.setenv("LANGGRAPH_HEADERS", '{"X-Auth-Scheme": "langsmith-api-key"}')
    settings = load_settings()
    assert settings.langgraph_api_url == "https://agents.example.com"
    assert settings.langgraph_assistant_id == "agent"
    assert settings.headers() == {"X-Auth-Scheme": "langsmith-api-key", "X-Api-Key": "lsv2-secret"}
    # The key is a secret: its repr never shows the value.
    assert "lsv2-secret" not in repr(settings)


def test_dotenv_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("LANGGRAPH_ASSISTANT_ID=question\n")
    assert load_settings().langgraph_assistant_id == "question"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LANGGRAPH_API_URL", "localhost:2024"),
        ("LANGGRAPH_ASSISTANT_ID", "   "),
        ("LANGGRAPH_HEADERS", "not json"),
    ],
)
def test_invalid_configuration_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings()
    assert name in str(excinfo.value)


AGENT = "4d0f8f54-7a3b-4c8e-9a51-0b9d8c6e2f11"
FLEET_URL = "https://prod-agent-builder-5ccea139413e5ef289ab8e5d04688e11.us.langgraph.app"
MANAGED_URL = "https://api.smith.langchain.com/v1/deepagents"


def _env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"LANGGRAPH_{name}", value)


def test_fleet_with_three_variables_sends_the_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, API_URL=FLEET_URL, API_KEY="lsv2_pt_mine", ASSISTANT_ID=AGENT)
    settings = load_settings()
    assert settings.backend_kind == "agent-server" and settings.deployment == "fleet"
    assert settings.client_headers() == {"X-Auth-Scheme": "langsmith-api-key"}
    assert settings.headers()["X-Api-Key"] == "lsv2_pt_mine"


def test_auth_scheme_none_and_the_older_header_way(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, API_KEY="secret", AUTH_SCHEME="none")
    settings = load_settings()
    assert settings.client_headers() == {} and settings.deployment == "agent-server"
    monkeypatch.delenv("LANGGRAPH_AUTH_SCHEME")
    _env(monkeypatch, HEADERS='{"X-Auth-Scheme": "langsmith-api-key", "X-Trace": "1"}')
    settings = load_settings()
    assert settings.client_headers() == {"X-Auth-Scheme": "langsmith-api-key", "X-Trace": "1"}
    assert settings.deployment == "fleet"
    monkeypatch.delenv("LANGGRAPH_HEADERS")
    monkeypatch.delenv("LANGGRAPH_API_KEY")
    assert load_settings().client_headers() == {}  # no key: no scheme


def test_managed_deep_agents_from_the_url_or_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    _env(monkeypatch, API_URL=MANAGED_URL, API_KEY="lsv2_sk_key", ASSISTANT_ID=AGENT)
    settings = load_settings()
    assert settings.backend_kind == "managed-deep-agents"
    assert settings.deployment == "managed-deep-agents"
    assert settings.client_headers() == {}  # X-Api-Key only, as documented
    _env(monkeypatch, API_URL="https://proxy.example.com/agents", BACKEND="managed-deep-agents")
    assert load_settings().backend_kind == "managed-deep-agents"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"API_URL": MANAGED_URL, "ASSISTANT_ID": AGENT}, "LANGGRAPH_API_KEY"),
        ({"API_URL": MANAGED_URL, "API_KEY": "k"}, "LANGGRAPH_ASSISTANT_ID"),
        ({"API_URL": MANAGED_URL, "API_KEY": "k", "ASSISTANT_ID": AGENT,
          "AUTH_SCHEME": "langsmith-api-key"}, "LANGGRAPH_AUTH_SCHEME"),
        ({"API_URL": MANAGED_URL, "API_KEY": "k", "ASSISTANT_ID": AGENT,
          "CHAT_AUTH_SECRET": "x" * 40}, "LANGGRAPH_CHAT_AUTH_SECRET"),
        ({"API_URL": MANAGED_URL, "BACKEND": "agent-server"}, "LANGGRAPH_BACKEND"),
        ({"AUTH_SCHEME": "langsmith-api-key"}, "LANGGRAPH_API_KEY"),
        ({"BACKEND": "fleet"}, "LANGGRAPH_API_KEY"),
        ({"BACKEND": "graphql"}, "LANGGRAPH_BACKEND"),
        ({"API_KEY": "k", "AUTH_SCHEME": "two words"}, "LANGGRAPH_AUTH_SCHEME"),
        ({"API_KEY": "k", "HEADERS": '{"x-api-key": "other"}'}, "LANGGRAPH_HEADERS"),
        ({"API_KEY": "k", "AUTH_SCHEME": "a", "HEADERS": '{"X-Auth-Scheme": "b"}'},
         "LANGGRAPH_HEADERS"),
    ],
)
def test_invalid_combinations_stop_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str], named: str
) -> None:
    _env(monkeypatch, **values)
    with pytest.raises(ConfigurationError) as excinfo:
        load_settings()
    assert named in str(excinfo.value)
