"""Engines fed with callables: pagination, polling, submissions, the adaptive window and
the donation mirror."""
