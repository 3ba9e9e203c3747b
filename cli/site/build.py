"""Building the public site with Pelican: where things are and how one build runs."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"


class BuildError(Exception):
    """Pelican failed; the message holds its output."""


def output_dir() -> Path:
    """Where the site is built: Settings.site_dir ($SITE_OUTPUT_DIR, or var/site in the repository)."""
    from statex.config import load_settings

    return load_settings().site_dir


def config_file(production: bool = False) -> Path:
    """The Pelican settings file: site/publishconf.py for production, else site/pelicanconf.py."""
    return ROOT / "site" / ("publishconf.py" if production else "pelicanconf.py")


def load_config(production: bool = False) -> dict:
    """The settings a build would use, as a dict of their upper-case names."""
    values = runpy.run_path(str(config_file(production)))
    return {name: value for name, value in values.items() if name.isupper()}


def pelican_command(output: Path, production: bool = False, strict: bool = False,
                    content: Path | None = None, settings: dict | None = None) -> list[str]:
    """The command line of one Pelican run."""
    command = [sys.executable, "-m", "pelican", str(content or CONTENT_DIR),
               "-s", str(config_file(production)), "-o", str(output)]
    if strict:
        command += ["--fatal", "warnings"]
    if settings:
        # One -e with every pair: Pelican keeps only the last of repeated -e options.
        command += ["-e", *(f"{name}={json.dumps(value)}" for name, value in settings.items())]
    return command


def build(output: Path | None = None, production: bool = False, strict: bool = False,
          content: Path | None = None, settings: dict | None = None, env: dict | None = None) -> str:
    """Build the site (Pelican, then Pagefind through the statex_search plugin); return Pelican's log.

    `env` adds environment variables (SITE_URL, PORTAL_URL) for this build only.
    """
    output = Path(output or output_dir())
    command = pelican_command(output, production, strict, content, settings)
    # A wide virtual terminal keeps Pelican's log lines whole, so warnings can be matched per line.
    env = {**os.environ, **(env or {}), "COLUMNS": "400"}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise BuildError(log.strip() or f"pelican exited with {result.returncode}")
    return log


def serve_command(output: Path, port: int, bind: str, content: Path | None = None) -> list[str]:
    """Pelican's own preview server, rebuilding whenever content, theme or settings change."""
    return pelican_command(output, content=content) + ["--autoreload", "--listen", "--port", str(port), "--bind", bind]
