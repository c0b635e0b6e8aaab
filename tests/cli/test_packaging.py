"""The command lives in the ``[cli]`` extra: the SDK never imports click or rich."""

from __future__ import annotations

import subprocess
import sys

from ._helpers import clean_env

CHECK_IMPORTS = """
import sys
import betterplace_async, betterplace_async.testing, betterplace_async.cli
print(sorted(name for name in ("click", "rich") if name in sys.modules))
"""

WITHOUT_EXTRA = """
import sys
sys.modules["{missing}"] = None  # as if the [cli] extra were not installed
from betterplace_async.cli import main
sys.exit(main(["--help"]))
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), check=False
    )


def test_importing_the_sdk_imports_neither_click_nor_rich() -> None:
    done = _python(CHECK_IMPORTS)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr


def test_without_the_extra_the_command_says_so_in_one_line_and_exits_2() -> None:
    for missing in ("click", "rich"):
        done = _python(WITHOUT_EXTRA.format(missing=missing))
        assert done.returncode == 2
        assert done.stdout == ""
        (line,) = done.stderr.splitlines()
        assert "pip install 'betterplace_async[cli]'" in line
        assert f"missing: {missing}" in line
