"""Async algorithms fed with callables: pagination, polling, mirroring (no HTTP of their own)."""
