"""Serve the package sources pip uses on this machine to `docker build`, over loopback HTTP.

`pip config list` names them (files and PIP_* variables): extra indexes, find-links folders and a
constraints file. Local ones (paths, file:// URLs) cannot be seen from inside a build, so they are
served read-only under their own paths on 127.0.0.1 (the build runs with --network host); remote
ones pass as they are. Writes the build arguments to ARGS, one `NAME=value` a line, then serves
until killed. Usage: python3 deploy/image/pip_sources.py ROOT PORT ARGS
"""

from __future__ import annotations

import functools
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

# pip's option -> the build argument the Dockerfile declares for it.
OPTIONS = {"extra-index-url": "PIP_EXTRA_INDEX_URL", "find-links": "PIP_FIND_LINKS",
           "constraint": "PIP_CONSTRAINT"}


def pip_config() -> dict[str, list[str]]:
    """{option: values} as this machine's pip sees them; PIP_* variables win over files."""
    found = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True,
                           check=False)
    listing = found.stdout if found.returncode == 0 else ""  # no pip here: the build uses PyPI alone
    from_files: dict[str, list[str]] = {}
    from_env: dict[str, list[str]] = {}
    for line in listing.splitlines():
        key, _, value = line.partition("=")
        scope, _, option = key.rpartition(".")
        if option in OPTIONS:
            target = from_env if scope == ":env:" else from_files
            target[option] = value.strip("'\"").split()
    return from_files | from_env


def local_path(value: str) -> Path | None:
    """The local file or folder a pip source names, or None for a remote URL."""
    parsed = urlparse(value)
    if parsed.scheme == "file":
        return Path(parsed.path)
    if not parsed.scheme and value.startswith("/"):
        return Path(value)
    return None


def publish(root: Path, path: Path, option: str) -> str:
    """Link `path` into `root` under its own absolute path; return that path for the URL."""
    # An index's pages link their files relatively (../../files/x.whl): serve the folder above it.
    shared = path.parent if option.endswith("index-url") else path
    link = root / shared.relative_to("/")
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(shared)
    return str(path)


def build_args(root: Path, port: int) -> dict[str, str]:
    args = {}
    for option, values in pip_config().items():
        urls = []
        for value in values:
            path = local_path(value)
            if path is None:
                urls.append(value)
            elif path.exists():
                urls.append(f"http://127.0.0.1:{port}{publish(root, path, option)}")
        if urls:
            args[OPTIONS[option]] = " ".join(urls)
    return args


def main(root: Path, port: int, args_file: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(root)))
    lines = "".join(f"{name}={value}\n" for name, value in build_args(root, port).items())
    partial = args_file.with_suffix(".partial")
    partial.write_text(lines)
    partial.rename(args_file)  # whole or not at all: the caller waits for this file
    server.serve_forever()


class Quiet(SimpleHTTPRequestHandler):
    """Serves files without a log line per request."""

    def log_message(self, *args) -> None:
        pass


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
