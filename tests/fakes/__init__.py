"""Test doubles that stand between the app and real servers (fault injection)."""
