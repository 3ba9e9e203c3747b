"""Run every benchmark in bench/, each in its own process, and print one table of their key figures.

Each bench prints its own report and ends with a line `RESULT {json}`; this collects those lines and
compares the figures with the issues' targets. Run (or `make bench`, which starts the services first):
    .venv/bin/python bench/run.py [--quick] [--only portal pipeline ...]
--quick passes each bench its quick options: a check that they all work, not figures to quote.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# name: (arguments for the quick run, [(figure, what it is, target)]); target None: reported, not judged.
# A bench listed with None instead of figures has every number of its RESULT line shown.
BENCHES = {
    "site_build": (["--articles", "100"], [
        ("ratio", "site build: ours / bare Pelican", ("<=", 1.5)),
        ("cpu_ratio", "site build: ours / bare Pelican, CPU time", None),
        ("clean_ratio", "site build into an empty folder: ours / bare", None),
        ("ours_s", "site build: ours, seconds", None),
        ("rebuild_s", "site rebuild after one article changed, s", None),
    ]),
    "analyse": (["--runs", "2"], [
        ("cpu_s", "local analyser, 5,000 words: CPU s (warm)", ("<", 1.0)),
        ("forked_cpu_s", "same in a forked work horse: CPU s", ("<", 1.0)),
        ("peak_rss_mb", "worker peak memory, MB", ("<", 400)),
    ]),
    "matching": ([], [
        ("top1", "matching: top-1 on the labelled set", (">=", 0.9)),
        ("top3", "matching: top-3", (">=", 0.97)),
        ("abstain", "matching: no service for work we don't sell", (">=", 0.85)),
        ("heldout_top1", "matching: top-1 on the held-out half", None),
        ("heldout_abstain", "matching: abstention on the held-out half", None),
    ]),
    "extract": (["--pages", "5", "--scans", "1", "--speech-seconds", "20"], None),
    "transcribe": (["--quick"], [
        ("wer_en", "speech, espeak-ng voices: word error, EN", ("<=", 0.25)),
        ("wer_de", "speech: word error, DE", ("<=", 0.25)),
        ("wer_cs", "speech: word error, CS", None),
        ("detected_cs", "speech: CS recordings heard as Czech", None),
        ("wer_fr", "speech: word error, FR", None),
        ("wer_en_ratio", "speech: word error EN / PocketSphinx's", None),
        ("speed_x_real_time", "speech: x real time, 2 cores (wall)", (">=", 1.5)),
        ("audio_per_cpu_s", "speech: audio s per CPU s", None),
        ("peak_rss_mb", "speech: transcribing worker peak memory, MB", ("<", 1024)),
    ]),
    "upload": (["--size-mb", "64"], [
        ("memory_mb", "upload: web worker peak memory increase, MB", ("<", 64)),
        ("ratio", "upload: portal / boto3 throughput", (">=", 0.5)),
    ]),
    "portal": (["--quick"], [
        ("minimal_rps", "minimal Flask app: requests/s", None),
        ("dashboard_rps", "dashboard (50 submissions): requests/s", None),
        ("dashboard_ratio", "dashboard / minimal app throughput", (">=", 0.5)),
        ("dashboard_p50_ms", "dashboard p50 latency, ms", None),
        ("dashboard_p99_ms", "dashboard p99 latency, ms", ("<", 100)),
        ("fragment_rps", "status fragment: requests/s", None),
        ("fragment_ratio", "status fragment / minimal app throughput", (">=", 0.5)),
        ("fragment_p50_ms", "status fragment p50 latency, ms", None),
        ("fragment_p99_ms", "status fragment p99 latency, ms", ("<", 100)),
        ("dashboard_rendered_ratio", "dashboard rendered every time / minimal", None),
        ("fragment_rendered_ratio", "status fragment rendered every time / minimal", None),
    ]),
    "conversation": (["--quick"], [
        ("thread_rps", "thread fragment: requests/s", None),
        ("thread_ratio", "thread fragment / minimal app throughput", None),
        ("thread_rendered_ratio", "thread fragment rendered every time / minimal", None),
        ("post_rps", "messages posted through the API: per s", None),
        ("post_ratio", "messages posted / minimal app requests", None),
    ]),
    "pipeline": (["--quick"], [
        ("submissions_per_s", "pipeline: submissions/s, 2 workers", None),
        ("latency_p50_s", "pipeline: end-to-end p50, s", None),
        ("latency_p95_s", "pipeline: end-to-end p95, s", None),
        ("noop_jobs_per_s", "RQ no-op jobs/s, same 2 workers", None),
        ("overhead_noop_jobs", "orchestration overhead, no-op jobs/submission", ("<=", 3)),
        ("overhead_noop_jobs_every_job", "the same, every job counted (notifications too)", None),
    ]),
}
# The full run measures the load-sensitive benches in interleaved rounds and reports the median; the
# pipeline's rounds of 200 submissions (10 s each) spread less than rounds of 100.
FULL = {"portal": ["--rounds", "3"], "pipeline": ["-n", "200", "--rounds", "3"]}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def ensure_wrk() -> None:
    """The portal bench loads the server with wrk (Debian package); install it when missing and we are root."""
    if shutil.which("wrk") or os.geteuid() != 0:
        return
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(install, check=True, capture_output=True)


def run(name: str, args: list[str]) -> tuple[dict | None, float]:
    """Run one bench, echoing its output; its RESULT figures (None if it printed none) and its seconds."""
    print(f"\n=== bench/{name}.py {' '.join(args)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(BENCH / f"{name}.py"), *args], cwd=BENCH.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    result = None
    for line in process.stdout:
        print(line, end="", flush=True)
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
    process.wait()
    return result, time.perf_counter() - started


def rows_of(name: str, result: dict | None, figures: list | None) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, verdict) rows for one bench."""
    if result is None:
        return [(f"{name}: no RESULT line (the bench failed)", "-", "-", "FAILED")]
    if figures is None:
        figures = [(key, f"{name}: {key}", None) for key, value in result.items()
                   if isinstance(value, (int, float)) and not isinstance(value, bool)]
    rows = []
    for key, label, target in figures:
        value = result.get(key)
        if value is None:
            rows.append((label, "-", _target(target), "no figure"))
            continue
        verdict = "" if target is None else ("met" if COMPARE[target[0]](value, target[1]) else "MISSED")
        rows.append((label, f"{value:,.2f}" if isinstance(value, float) else f"{value:,}", _target(target), verdict))
    return rows


def _target(target) -> str:
    return "" if target is None else f"{target[0]} {target[1]:g}"


def table(rows: list[tuple[str, str, str, str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) if i == 0 else cell.rjust(width) if i < 3 else cell
                       for i, (cell, width) in enumerate(zip(row, widths))).rstrip() for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each bench's quick options (checks, not figures)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run only these benches")
    args = parser.parse_args()
    ensure_wrk()
    rows = [("figure", "value", "target", "")]
    failed = False
    load_before = os.getloadavg()
    for name, (quick, figures) in BENCHES.items():
        if args.only and name not in args.only:
            continue
        result, seconds = run(name, quick if args.quick else FULL.get(name, []))
        failed |= result is None
        rows += rows_of(name, result, figures)
        print(f"=== bench/{name}.py took {seconds:.0f} s", flush=True)
    one, five, fifteen = os.getloadavg()
    print(f"\nSummary ({'quick run: checks, not figures to quote' if args.quick else 'full run'}; "
          f"{os.cpu_count()} cores; load average before {load_before[0]:.2f}, after {one:.2f} {five:.2f} "
          f"{fifteen:.2f})")
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
