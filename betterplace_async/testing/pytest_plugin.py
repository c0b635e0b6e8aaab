"""pytest fixtures for the fake server (in progress)."""
