"""Site search: runs Pagefind (shipped on PyPI) over the finished output to build a static index."""

import json
import logging
import subprocess
from pathlib import Path

from pagefind_bin import get_executable
from pelican import signals

log = logging.getLogger(__name__)


def finalized(pelican):
    """Index the output with Pagefind unless PAGEFIND is off in the settings."""
    if not pelican.settings.get("PAGEFIND", False):
        return
    # The binary itself: `python -m pagefind` would first spend a tenth of a second importing asyncio.
    command = [str(get_executable()), "--site", pelican.output_path, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        log.error("Pagefind failed (exit %s): %s", result.returncode, result.stderr or result.stdout)
        return
    sort_languages(Path(pelican.output_path) / "pagefind" / "pagefind-entry.json")


def sort_languages(entry):
    """Sort the languages in Pagefind's entry file, which it writes in hash-map order, so builds are reproducible."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def register():
    """Connect to Pelican's signals."""
    signals.finalized.connect(finalized)
