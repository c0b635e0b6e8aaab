"""Benchmarks against the fake server on loopback; run with ``nox -s bench``."""
