"""Engines fed with callables: pagination, polling, submissions and the adaptive window."""
