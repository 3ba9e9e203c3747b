"""Benchmark a request's thread against the minimal Flask app, served the same way (bench/portal.py's method).

Seeds a client with one request and a thread of 20 messages on a PostgreSQL database and a Redis of the
bench's own, serves the portal (bench/conversation_app.py: the real app, abuse limits off) and
bench/minimal_app.py with gunicorn gthread (2 workers, 4 threads), then loads each with wrk on loopback:
the thread fragment htmx polls (GET /portal/submissions/<id>/thread, HX-Request: true) as served while
unchanged and rendered every time, and messages posted through the API (POST .../messages, JSON, a new
message each request, each committed with its notification job). Prints requests/s, p50 and p99 and the
ratio ours/minimal. Run:
    .venv/bin/python bench/conversation.py [--quick] [--duration 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (Processes, database, environment, free_port, machine, print_result,  # noqa: E402
                      redis_server, wait_for_http)
# bench/portal.py, by its package name: in this process "portal" alone is that file, not the app.
from bench.portal import EMAIL, PASSWORD, _ms, check_page, sign_in, statuses_logged, wrk  # noqa: E402

MESSAGES = 20
POST = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format("POST", nil, nil, '{"body": "Bench message ' .. id .. '-' .. n .. ', **thanks**."}')
end
"""


def seed(env: dict) -> tuple[str, str]:
    """A verified client with one request and a thread of MESSAGES; (the request's id, the client's API token)."""
    from statex import accounts, submissions
    from statex.config import load_settings
    from statex.conversation.thread import post_message
    from statex.db import session_scope

    settings = load_settings(env)
    with session_scope(settings.database_url) as session:
        client = accounts.create_user(session, EMAIL, PASSWORD, name="Bench client")
        client.email_verified_at = client.created_at
        staff = accounts.create_user(session, "bench-staff@example.com", PASSWORD, name="Bench staff", role="staff")
        submission = submissions.create(session, client, "Please read our 800 invoices a month.", process=False)
        for number in range(MESSAGES):
            author = staff if number % 2 else client
            post_message(session, submission, author, f"Message {number + 1}: which **ERP** do you use? "
                                                       "See https://example.com/erp for the list.")
        _token, plain = accounts.create_token(session, client, "bench")
        return str(submission.id), plain


def wrk_post(url: str, headers: dict, connections: int, seconds: float) -> dict:
    """One wrk run posting a new JSON message per request: requests/s, p50 and p99 in ms."""
    argv = ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{seconds:g}s",
            "--timeout", "10s", "--latency"]
    for name, value in (headers | {"Content-Type": "application/json"}).items():
        argv += ["--header", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(POST)
        script.flush()
        output = subprocess.run([*argv, "--script", script.name, url], check=True, capture_output=True,
                                text=True).stdout
    latency = {share: _ms(value, unit) for share, value, unit in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)}
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50_ms": latency["50"], "p99_ms": latency["99"], "errors": 0}


def run(targets: dict, connections: int, seconds: float, logs: dict) -> dict:
    """Warm each target up, then load it; errors are any answer but the one expected (200, or 201 posting)."""
    figures = {}
    for name, (url, headers, mode) in targets.items():
        load = wrk_post if mode == "post" else (lambda u, h, c, s: wrk(u, h, c, s, mode == "fresh"))
        load(url, headers, connections, min(seconds, 2))
        since = logs[name].stat().st_size
        figures[name] = load(url, headers, connections, seconds)
        time.sleep(0.5)  # let the access log reach the file
        expected = "201" if mode == "post" else "200"
        seen = statuses_logged(logs[name], since)
        figures[name]["errors"] += sum(n for status, n in seen.items() if status != expected)
        if set(seen) - {expected}:
            print(f"{name}: answers by status {seen}", file=sys.stderr)
    return figures


def report(figures: dict, connections: int, seconds: float) -> dict:
    base = figures["minimal"]["rps"]
    print(f"machine: {machine()}")
    print(f"wrk: {connections} connections, 2 threads, {seconds:g} s per run")
    print(f"{'what':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}")
    labels = {"minimal": "minimal Flask app, list of 50 items",
              "thread": f"thread fragment (HX-Request), {MESSAGES} messages",
              "thread_rendered": "  the same, every URL new: rendered each time",
              "post": "messages posted through the API (JSON), each committed"}
    result = {"connections": connections, "load": machine()}
    for name, label in labels.items():
        row = figures[name]
        ratio = row["rps"] / base if base else 0.0
        print(f"{label:<52} {row['rps']:>9.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['errors']:>7.0f} "
              f"{ratio:>6.2f}")
        result |= {f"{name}_rps": round(row["rps"], 1), f"{name}_p99_ms": round(row["p99_ms"], 2),
                   f"{name}_errors": int(row["errors"])}
        if name != "minimal":
            result[f"{name}_ratio"] = round(ratio, 3)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per run instead of 10 (checks the bench works)")
    parser.add_argument("--duration", type=float, default=None, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    seconds = args.duration or (3 if args.quick else 10)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (bench/run.py installs it when run as root)")
    gunicorn = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "2", "--threads", "4",
                "--access-logfile", "-", "--timeout", "120", "--no-control-socket"]
    with tempfile.TemporaryDirectory(prefix="statex-bench-thread-") as tmp, database("thread") as db_url, \
            redis_server(Path(tmp)) as redis_url:
        ours, minimal = free_port(), free_port()
        env = environment(Path(tmp) / "var", db_url, redis_url, ours)
        with Processes(env, Path(tmp)) as processes:
            submission_id, token = seed(env)
            processes.start("web", [*gunicorn, "--bind", f"127.0.0.1:{ours}", "bench.conversation_app:create_app()"])
            processes.start("minimal", [*gunicorn, "--bind", f"127.0.0.1:{minimal}", "bench.minimal_app:create_app()"])
            wait_for_http(f"http://127.0.0.1:{ours}/healthz", processes)
            wait_for_http(f"http://127.0.0.1:{minimal}/", processes)
            base = f"http://127.0.0.1:{ours}"
            fragment = {"Cookie": sign_in(base), "HX-Request": "true"}
            thread = f"{base}/portal/submissions/{submission_id}/thread"
            check_page(thread, fragment, 'id="thread-messages"')
            targets = {"minimal": (f"http://127.0.0.1:{minimal}/", {}, "same"),
                       "thread": (thread, fragment, "same"), "thread_rendered": (thread, fragment, "fresh"),
                       "post": (f"{base}/api/v1/submissions/{submission_id}/messages",
                                {"Authorization": f"Bearer {token}"}, "post")}
            logs = {"minimal": Path(tmp) / "minimal.log"} | {name: Path(tmp) / "web.log" for name in targets
                                                             if name != "minimal"}
            figures = run(targets, args.connections, seconds, logs)
            processes.check_alive()
    print_result(report(figures, args.connections, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
