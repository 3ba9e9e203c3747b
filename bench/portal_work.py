"""Count the instructions the portal runs to render a page, against the minimal Flask app, under valgrind.

bench/portal.py measures requests per second, which on a shared machine moves by a third within minutes;
a count of instructions does not move. This seeds the same client with 50 analysed submissions (through
bench/portal.py's seed), then runs itself under callgrind: the portal and bench/minimal_app.py in one
process, Flask's test client, each page warmed up, then `--requests` renders of each page with a new URL
every time. Only those renders are counted (callgrind collects inside one functools.reduce call per page
and writes a profile as each ends). Prints instructions per request and the ratio minimal/ours.

Instructions are work, not time: the portal's code and data are larger than the minimal app's, so each of
its instructions waits longer on memory, and its share of wall-clock time is lower than this ratio
(bench/README). Needs valgrind (apt-get install -y valgrind). Run:
    .venv/bin/python bench/portal_work.py [--requests 10]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import ROOT, Processes, database, environment, machine, print_result, redis_server  # noqa: E402

PAGES = ("minimal", "dashboard", "fragment")


def bench_portal():
    """bench/portal.py as a module (its name is the portal package's, so it is loaded from its path)."""
    spec = importlib.util.spec_from_file_location("bench_portal", Path(__file__).with_name("portal.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render(requests: int) -> None:
    """Under callgrind: warm each page up, then render it `requests` times inside one functools.reduce call."""
    from bench.minimal_app import create_app as minimal_app
    from portal import create_app
    from statex import accounts, submissions
    from statex.db import session_scope

    seeded = bench_portal()
    portal = create_app().test_client()
    login = portal.get("/portal/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
    portal.post("/portal/login", data={"email": seeded.EMAIL, "password": seeded.PASSWORD, "csrf_token": token})
    with session_scope(os.environ["DATABASE_URL"]) as session:
        newest = submissions.listed_page(session, accounts.find_user(session, seeded.EMAIL))[0][0].id
    minimal = minimal_app().test_client()
    pages = {"minimal": lambda n: minimal.get(f"/?fresh={n}"),
             "dashboard": lambda n: portal.get(f"/portal/?fresh={n}"),
             "fragment": lambda n: portal.get(f"/portal/submissions/{newest}?fresh={n}", headers={"HX-Request": "true"})}
    for name, page in pages.items():
        for n in range(30):
            answer = page(n)
            if answer.status_code != 200:
                raise RuntimeError(f"{name} answered {answer.status_code}")
    for page in pages.values():
        functools.reduce(lambda _, n: page(1000 + n), range(requests), None)


def count(env: dict, requests: int, workdir: Path) -> dict[str, float]:
    """Run render() under callgrind; instructions per request of each page."""
    subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
                    "--dump-after=functools_reduce", f"--callgrind-out-file={workdir}/callgrind.%p",
                    sys.executable, __file__, "--render", str(requests)],
                   cwd=ROOT, env=env | {"PYTHONMALLOC": "malloc"}, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    # The last dumps are the three pages' reduce calls, in order (an earlier one may come from imports).
    dumps = sorted(workdir.glob("callgrind.*.*"), key=lambda path: int(path.suffix[1:]))[-len(PAGES):]
    totals = [int(re.search(r"^summary: (\d+)", path.read_text(), re.MULTILINE).group(1)) for path in dumps]
    return {name: total / requests for name, total in zip(PAGES, totals)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10, help="renders of each page counted")
    parser.add_argument("--render", type=int, default=None, help=argparse.SUPPRESS)  # the run under callgrind
    args = parser.parse_args()
    if args.render is not None:
        render(args.render)
        return 0
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: apt-get install -y valgrind")

    with tempfile.TemporaryDirectory(prefix="statex-bench-work-") as tmp, database("work") as db_url, \
            redis_server(Path(tmp)) as redis_url:
        env = environment(Path(tmp) / "var", db_url, redis_url, 0)
        with Processes(env, Path(tmp)) as processes:
            bench_portal().seed(processes, env)
        per_request = count(env, args.requests, Path(tmp))
    print(f"machine: {machine()}")
    print(f"callgrind: {args.requests} renders of each page, every URL new")
    print(f"{'page':<40} {'instructions/request':>22} {'ratio':>6}")
    base = per_request["minimal"]
    result = {"requests": args.requests}
    for name, label in (("minimal", "minimal Flask app, list of 50 items"),
                        ("dashboard", "dashboard, signed in, 50 submissions"),
                        ("fragment", "status fragment (HX-Request), completed")):
        ratio = base / per_request[name]
        print(f"{label:<40} {per_request[name] / 1e6:>20.2f} M {ratio:>6.2f}")
        result |= {f"{name}_minstructions": round(per_request[name] / 1e6, 3)}
        if name != "minimal":
            result[f"{name}_ratio"] = round(ratio, 3)
    print_result(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
