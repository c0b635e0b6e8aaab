"""Seeded data the fake generates: hashing, facts, the catalog and the client donations.

Pure Python (no aiohttp, no event loop); internal to the fake server.
"""
