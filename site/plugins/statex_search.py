"""Site search: runs Pagefind (shipped on PyPI) over the finished output to build a static index."""

import logging
import subprocess
import sys

from pelican import signals

log = logging.getLogger(__name__)


def finalized(pelican):
    """Index the output with Pagefind unless PAGEFIND is off in the settings."""
    if not pelican.settings.get("PAGEFIND", False):
        return
    command = [sys.executable, "-m", "pagefind", "--site", pelican.output_path, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        log.error("Pagefind failed (exit %s): %s", result.returncode, result.stderr or result.stdout)


def register():
    """Connect to Pelican's signals."""
    signals.finalized.connect(finalized)
