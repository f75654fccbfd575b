"""Benchmarks that print figures (`python -m bench` runs every bench/bench_*.py)."""
