"""Configuration: read from the environment, fail fast with a message naming the variable."""

from __future__ import annotations

import pytest

from app.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("API_URL", "ASSISTANT_ID", "API_KEY", "HEADERS"):
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
