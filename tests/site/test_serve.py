"""`statex site serve`: previews a content folder on loopback, rebuilds on a change, and leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from cli.site.build import ROOT
from tests.helpers import free_port, wait_until

pytestmark = pytest.mark.slow


def page_shows(url: str, text: str) -> bool:
    """Whether `url` answers 200 with `text` in its body."""
    with contextlib.suppress(requests.ConnectionError):
        response = requests.get(url, timeout=5)
        return response.status_code == 200 and text in response.text
    return False


def saving_until_shown(path: Path, content: str, url: str, text: str):
    """A condition for `wait_until`: whether `url` shows `text`, saving `content` to `path` every few seconds."""
    saved = [0.0]

    def shown() -> bool:
        if time.monotonic() - saved[0] > 5:
            path.write_text(content, encoding="utf-8")
            saved[0] = time.monotonic()
        return page_shows(url, text)

    return shown


def processes_mentioning(marker: str) -> list[int]:
    """Ids of the running processes whose command line contains `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


def test_serve_previews_a_content_folder_and_rebuilds_when_it_changes(content_copy, tmp_path):
    port = free_port()
    env = {**os.environ, "SITE_OUTPUT_DIR": str(tmp_path / "out"), "PORTAL_URL": "/portal"}
    command = [sys.executable, "-m", "cli", "site", "serve", "--port", str(port), "--content", str(content_copy)]
    serve = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/about/"
        wait_until(lambda: page_shows(url, "<h1>About Statex</h1>"), timeout=90, every=0.3, message="the first build")
        about = content_copy / "pages" / "about.md"
        changed = about.read_text(encoding="utf-8") + "\nA sentence the preview must show.\n"
        # Pelican watches the files only once its first build is done: save until it sees the change.
        wait_until(saving_until_shown(about, changed, url, "A sentence the preview must show."), timeout=90,
                   every=0.3, message="the rebuild")
        # Stopping the command stops Pelican's server and watcher, which run in a process group of their own.
        os.killpg(serve.pid, signal.SIGTERM)
        assert serve.wait(timeout=20) == 0
        wait_until(lambda: not processes_mentioning(str(content_copy)), timeout=10,
                   message="Pelican's processes to end")
        with pytest.raises(requests.ConnectionError):
            requests.get(url, timeout=5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(timeout=10)
        for pid in processes_mentioning(str(content_copy)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
