"""Graphs served only by the test Agent Server (tests/langgraph.json)."""
