"""The HTTP layer: the only part of the SDK that imports aiohttp.

The transport sends one request with retries, the client-wide limiter, the ETag cache and
event hooks; the requester turns a route into a request and decodes the answer.
"""
