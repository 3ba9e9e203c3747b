"""Benchmark the signed-in portal under load against a minimal Flask app served the same way, in one run.

Builds a client with 50 submissions analysed by the real pipeline (a burst `statex worker`) on a PostgreSQL
database and a Redis of the bench's own, serves the portal with `statex web` (gunicorn gthread, 2 workers,
4 threads) and bench/minimal_app.py with gunicorn on the same settings, signs in through the login form,
then loads each with wrk on loopback: the dashboard, the status fragment htmx polls
(GET /portal/submissions/<id> with HX-Request: true), and the minimal app's list of 50 items.
Repeated requests for an unchanged page are conditional GETs (wrk sends back the ETag it got, as a
browser does), which the portal answers 304; each page is loaded again with a new URL for every request
(a query argument the view ignores), so every answer is rendered from the database. Prints requests/s,
p50 and p99 latency and the ratio ours/minimal (each run against the minimal app's runs beside it). Targets
(issue 8): at least 0.5 of the minimal app's throughput, p99 under 100 ms, at 32 connections. Run:
    .venv/bin/python bench/portal.py [--quick] [--duration 10] [--connections 32] [--rounds 1]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (Processes, database, environment, free_port, machine, print_result,  # noqa: E402
                      redis_server, sample_request, wait_for_http)

SUBMISSIONS = 50
EMAIL, PASSWORD = "bench-client@example.com", "bench password for the portal"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def seed(processes: Processes, env: dict) -> str:
    """A verified client with 50 submissions, analysed by a burst ai worker; returns the id of the newest."""
    from statex import accounts, submissions
    from statex.config import load_settings
    from statex.db import session_scope
    from statex.models import Submission
    from statex.queue import connect, dispatch_pending

    settings = load_settings(env)
    with session_scope(settings.database_url) as session:
        user = accounts.create_user(session, EMAIL, PASSWORD, name="Bench client")
        user.email_verified_at = user.created_at
        ids = [submissions.create(session, user, sample_request(n)).id for n in range(SUBMISSIONS)]
    dispatch_pending(settings, connect(settings.redis_url))
    # Only the ai queue: the notifications the pipeline queues do not change what the dashboard shows.
    processes.run("seed-worker", "worker", "ai", "--burst")
    with session_scope(settings.database_url) as session:
        statuses = [session.get(Submission, key).status for key in ids]
    if statuses.count("completed") != SUBMISSIONS:
        raise RuntimeError(f"seeding left submissions unfinished: {sorted(set(statuses))}")
    return str(ids[-1])


def sign_in(base: str) -> str:
    """Sign in through the real form (CSRF token from the page's meta tag); the Cookie header to send."""
    import requests

    browser = requests.Session()
    page = browser.get(f"{base}/portal/login", timeout=30).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = browser.post(f"{base}/portal/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                          timeout=30)
    if answer.status_code != 200 or "My requests" not in answer.text:
        raise RuntimeError(f"signing in failed: {answer.status_code} at {answer.url}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.cookies)


def check_page(url: str, headers: dict, must_contain: str) -> int:
    """Fetch once as wrk will; the body's size in bytes, after making sure it is the page we mean."""
    import requests

    answer = requests.get(url, headers=headers, allow_redirects=False, timeout=30)
    if answer.status_code != 200 or must_contain not in answer.text:
        raise RuntimeError(f"{url} answered {answer.status_code} without {must_contain!r}")
    return len(answer.content)


# wrk behaves as a browser does: it sends back the cookie the server last set (the portal renews its
# session cookie every 30 s of activity), and asks again for the page it holds with the ETag it got
# (If-None-Match, as a browser revalidates a `no-cache` page); with the argument "fresh", every
# request's URL is new (?fresh=<thread>-<n>, which the views ignore): nothing is held, all is rendered.
BROWSER = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) n = 0; fresh = args[1] == "fresh" end
function request()
  n = n + 1
  if fresh then return wrk.format(nil, wrk.path .. "?fresh=" .. id .. "-" .. n) end
  return wrk.format(nil, wrk.path)
end
function response(status, headers, body)
  local cookie = headers["Set-Cookie"]
  if cookie then wrk.headers["Cookie"] = cookie:match("^[^;]+") end
  if not fresh and headers["ETag"] then wrk.headers["If-None-Match"] = headers["ETag"] end
end
"""


def wrk(url: str, headers: dict, connections: int, seconds: float, fresh: bool = False) -> dict:
    """One wrk run: requests/s, p50 and p99 in ms, and the errors wrk saw; `fresh` makes every URL unique."""
    argv = ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{seconds:g}s",
            "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(BROWSER)
        script.flush()
        output = subprocess.run([*argv, "--script", script.name, url, *(["--", "fresh"] if fresh else [])],
                                check=True, capture_output=True, text=True).stdout
    latency = {share: _ms(value, unit) for share, value, unit in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1])
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50_ms": latency["50"], "p99_ms": latency["99"], "errors": errors}


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def statuses_logged(log: Path, since: int) -> dict[str, int]:
    """HTTP statuses in gunicorn's access log after byte `since`: proof that wrk got the pages, not redirects."""
    counts: dict[str, int] = {}
    with log.open("rb") as lines:
        lines.seek(since)
        for status in re.findall(rb'HTTP/1\.1" (\d{3}) ', lines.read()):
            counts[status.decode()] = counts.get(status.decode(), 0) + 1
    return counts


def held_tag(url: str, headers: dict) -> dict:
    """What a browser that holds the page sends with its next request for it: If-None-Match, with its ETag."""
    import requests

    tag = requests.get(url, headers=headers, allow_redirects=False, timeout=30).headers.get("ETag")
    return {"If-None-Match": tag} if tag else {}


def measure(targets: dict, connections: int, seconds: float, rounds: int, logs: dict) -> dict:
    """Warm every target up, then load each page in turn, `rounds` times; the median of each figure.

    The minimal app is loaded between the pages (before the first, after each), and a page's ratio is its
    requests/s over the mean of the two minimal runs beside it: on a shared machine the load moves within
    a minute, and a ratio of runs seconds apart moves less than one of the whole run's medians.
    """
    for url, headers, fresh in targets.values():
        wrk(url, headers, connections, min(seconds, 2), fresh)
    pages = {name: target for name, target in targets.items() if name != "minimal"}
    runs: dict[str, list[dict]] = {name: [] for name in targets}
    runs["minimal"].append(_load("minimal", targets["minimal"], connections, seconds, logs))
    for _ in range(rounds):
        for name, target in pages.items():
            figures = _load(name, target, connections, seconds, logs)
            runs["minimal"].append(_load("minimal", targets["minimal"], connections, seconds, logs))
            beside = (runs["minimal"][-2]["rps"] + runs["minimal"][-1]["rps"]) / 2
            runs[name].append(figures | {"ratio": figures["rps"] / beside if beside else 0.0})
    return {name: {key: statistics.median(run[key] for run in found) for key in found[0]}
            for name, found in runs.items()}


def _load(name: str, target: tuple, connections: int, seconds: float, logs: dict) -> dict:
    """One wrk run of a target, checked against the access log: wrk got the pages, not redirects."""
    url, headers, fresh = target
    held = headers if fresh or name == "minimal" else headers | held_tag(url, headers)
    since = logs[name].stat().st_size
    figures = wrk(url, held, connections, seconds, fresh)
    time.sleep(0.5)  # let the access log reach the file
    seen = statuses_logged(logs[name], since)
    # An unchanged page held by the client is a 304; a rendered one must be a 200.
    answered = ("200",) if fresh or name == "minimal" else ("200", "304")
    figures["errors"] += sum(count for status, count in seen.items() if status not in answered)
    # The development access log leaves out htmx requests: -1 where nothing was logged.
    figures["not_modified"] = seen.get("304", 0) / sum(seen.values()) if seen else -1.0
    return figures


def report(figures: dict, sizes: dict, connections: int, seconds: float, rounds: int) -> dict:
    """Print the table and the verdicts; the figures for the RESULT line."""
    print(f"machine: {machine()}")
    print(f"wrk: {connections} connections, 2 threads, {seconds:g} s per run, median of {rounds} run(s); "
          f"each ratio against the minimal app loaded just before and after it")
    print(f"{'page':<46} {'bytes':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>6}")
    labels = {"minimal": "minimal Flask app, list of 50 items",
              "dashboard": f"dashboard, signed in, {SUBMISSIONS} submissions",
              "fragment": "status fragment (HX-Request), completed",
              "dashboard_rendered": "  the same, every URL new: rendered each time",
              "fragment_rendered": "  the same, every URL new: rendered each time"}
    result = {"connections": connections, "load": machine()}
    for name, label in labels.items():
        row = figures[name]
        ratio = row.get("ratio", 1.0)
        print(f"{label:<46} {sizes[name]:>7} {row['rps']:>9.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
              f"{row['errors']:>7.0f} {ratio:>6.2f}")
        result |= {f"{name}_rps": round(row["rps"], 1), f"{name}_p50_ms": round(row["p50_ms"], 2),
                   f"{name}_p99_ms": round(row["p99_ms"], 2), f"{name}_errors": int(row["errors"])}
        if name != "minimal":
            result[f"{name}_ratio"] = round(ratio, 3)
        if name in ("dashboard", "fragment"):  # the pages the targets are for
            result[f"{name}_not_modified"] = round(row["not_modified"], 3)
            share = f"{row['not_modified']:.0%}" if row["not_modified"] >= 0 else "not logged (htmx)"
            print(f"  {name}: answered 304 Not Modified: {share}")
            print(f"  {name}: ratio {ratio:.2f} (target >= 0.50: {'ok' if ratio >= 0.5 else 'MISSED'}), "
                  f"p99 {row['p99_ms']:.1f} ms (target < 100 ms: {'ok' if row['p99_ms'] < 100 else 'MISSED'})")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per run instead of 10 (checks the bench works)")
    parser.add_argument("--duration", type=float, default=None, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1, help="runs of each page; the median is reported")
    args = parser.parse_args()
    seconds = args.duration or (3 if args.quick else 10)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (bench/run.py installs it when run as root)")

    with tempfile.TemporaryDirectory(prefix="statex-bench-portal-") as tmp, database("portal") as db_url, \
            redis_server(Path(tmp)) as redis_url:
        ours, minimal = free_port(), free_port()
        env = environment(Path(tmp) / "var", db_url, redis_url, ours)
        with Processes(env, Path(tmp)) as processes:
            started = time.perf_counter()
            newest = seed(processes, env)
            print(f"seeded {SUBMISSIONS} submissions through the pipeline in {time.perf_counter() - started:.1f} s")
            processes.statex("web", "web", "--port", str(ours))
            processes.start("minimal", [sys.executable, "-m", "gunicorn", "--worker-class", "gthread",
                                        "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{minimal}",
                                        "--access-logfile", "-", "--timeout", "120", "--no-control-socket",
                                        "bench.minimal_app:create_app()"])
            wait_for_http(f"http://127.0.0.1:{ours}/healthz", processes)
            wait_for_http(f"http://127.0.0.1:{minimal}/", processes)
            cookie = {"Cookie": sign_in(f"http://127.0.0.1:{ours}")}
            fragment = cookie | {"HX-Request": "true"}
            dashboard, status = f"http://127.0.0.1:{ours}/portal/", f"http://127.0.0.1:{ours}/portal/submissions/{newest}"
            targets = {"minimal": (f"http://127.0.0.1:{minimal}/", {}, False),
                       "dashboard": (dashboard, cookie, False), "fragment": (status, fragment, False),
                       "dashboard_rendered": (dashboard, cookie, True), "fragment_rendered": (status, fragment, True)}
            sizes = {"minimal": check_page(targets["minimal"][0], {}, "item-list__item"),
                     "dashboard": check_page(dashboard, cookie, "submission-list__item"),
                     "fragment": check_page(status, fragment, 'id="status"')}
            sizes |= {"dashboard_rendered": sizes["dashboard"], "fragment_rendered": sizes["fragment"]}
            web_log = Path(tmp) / "web.log"
            logs = {"minimal": Path(tmp) / "minimal.log"} | {name: web_log for name in targets if name != "minimal"}
            figures = measure(targets, args.connections, seconds, args.rounds, logs)
            processes.check_alive()
    result = report(figures, sizes, args.connections, seconds, args.rounds)
    print_result(result)
    met = all(result[f"{n}_ratio"] >= 0.5 and result[f"{n}_p99_ms"] < 100 for n in ("dashboard", "fragment"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
