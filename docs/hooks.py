"""MkDocs hook: bring the benchmark table and plot from ``benchmarks/`` into the site.

``benchmarks/results.md`` is rewritten by every full benchmark run, so the page takes its
table (the first Markdown table in the file) at build time instead of a copy that would go
stale; ``benchmarks/scaling.png`` is added to the site beside the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.md"
PLOT = ROOT / "benchmarks" / "scaling.png"
PLACEHOLDER = "<!-- benchmark-table -->"


def results_table(text: str) -> str:
    """Return the first Markdown table in ``text`` (its consecutive ``|`` lines)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[start:end])


def on_files(files: Files, config: Any) -> Files:
    files.append(File.generated(config, "scaling.png", abs_src_path=str(PLOT)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if PLACEHOLDER in markdown:
        table = results_table(RESULTS.read_text(encoding="utf-8"))
        markdown = markdown.replace(PLACEHOLDER, table)
    return markdown
