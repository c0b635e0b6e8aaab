"""The HTTP layer: the only part of the SDK that imports aiohttp.

The sender carries one logical request through retries, the client-wide limiter, the ETag
cache and event hooks; the session adapter makes each attempt with aiohttp; the requester
turns a route into a request and decodes the answer.
"""
