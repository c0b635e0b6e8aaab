"""Run every benchmark and print one table (filled in as benchmarks land)."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the suite; return the exit code."""
    print("no benchmarks yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
