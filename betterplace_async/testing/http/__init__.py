"""aiohttp plumbing of the fake: responses, request context and auth, middlewares, paging,
fault delivery and the loopback server; internal to the fake server.
"""
