"""Reflex states of the chat app (one browser tab each)."""
