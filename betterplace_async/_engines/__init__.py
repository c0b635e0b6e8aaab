"""Async engines fed with callables: pagination, change handling, polling, submissions, the
adaptive window and the donation mirror's decisions.

They never touch HTTP: each takes coroutine functions (fetch a page, fetch a status) and can be
tested with plain Python callables.
"""
