"""Demo graphs served by the built-in demo Agent Server (no API key needed)."""
