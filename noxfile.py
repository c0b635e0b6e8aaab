"""Quality gates and benchmarks: ``nox -s lint typecheck tests`` is what CI runs."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.error_on_missing_interpreters = False

PACKAGE = "betterplace_async"
LINT_PATHS = [PACKAGE, "tests", "benchmarks", "docs", "noxfile.py"]
# Two workers for the two cores; an idle worker takes queued tests from the busy one, so a
# few long tests at the end of one worker's queue do not leave the other core idle.
XDIST = ["-n", "2", "--dist", "worksteal"]


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and the import contracts of the layers."""
    session.install("ruff>=0.6", "import-linter>=2.1", "-e", ".")
    session.run("ruff", "check", *LINT_PATHS)
    session.run("ruff", "format", "--check", *LINT_PATHS)
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[speed,test]", "mypy>=1.10")
    session.run("mypy", "--strict", PACKAGE)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite on two xdist workers with branch coverage, warnings as errors."""
    session.install("-e", ".[test,docs]")
    session.env["PYTHONDEVMODE"] = "1"
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *XDIST, *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report", "--skip-covered", "--sort=cover")


@nox.session
def lowest(session: nox.Session) -> None:
    """The test suite on the lowest versions pyproject.toml allows for every extra.

    uv resolves each direct dependency to its declared floor (``--resolution
    lowest-direct``), so a floor that no longer works fails here, not on a user's machine.
    """
    session.install("uv")
    python = str(Path(session.bin) / "python")
    extras = ".[test,cli,speed,docs,bench]"
    session.run(
        "uv", "pip", "install", "--resolution", "lowest-direct", "-e", extras, "--python", python
    )
    session.run("uv", "pip", "list", "--python", python)
    session.env["PYTHONDEVMODE"] = "1"
    session.run("pytest", *XDIST, *(session.posargs or ["-q"]))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly (broken links, references or nav fail)."""
    session.install("-e", ".[docs]")
    session.env["NO_MKDOCS_2_WARNING"] = "1"
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmark suite against the fake server on loopback and print the table."""
    session.install("-e", ".[bench,speed]")
    session.run("python", "-m", "benchmarks", *session.posargs)
