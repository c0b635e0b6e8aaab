"""Fake betterplace API server (in progress)."""
