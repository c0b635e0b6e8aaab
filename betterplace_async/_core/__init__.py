"""Sans-I/O protocol code: URLs, parameters, routes, the converter and decoding.

Nothing here does I/O, awaits, or imports aiohttp; everything can be tested without an event
loop.
"""
