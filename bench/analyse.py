"""Benchmark of the local analyser on a 5,000-word request: CPU time, wall time and peak memory.

Run: .venv/bin/python bench/analyse.py [--words 5000] [--runs 3]
The text is made of the site's own English and Czech pages (real prose), cut to the word count.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sample_text(words: int) -> str:
    """Real prose from content/: blog posts and service pages, repeated until `words` long."""
    pages = sorted((ROOT / "content").glob("*/*.md"))
    bodies = [path.read_text(encoding="utf-8").split("\n\n", 1)[-1] for path in pages if ".cs." not in path.name]
    pool = " ".join(bodies).split()
    request = ("We are Acme Logistics s.r.o. from Brno. We need our supplier invoices read automatically "
               "by March 2027; our budget is 450 000 Kč. Contact: jana@acme.example, +420 603 123 456. ")
    return request + " ".join((pool * (words // len(pool) + 1))[:words - len(request.split())])


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from statex.analysis import catalogue, local
    from statex.config import ROOT as PROJECT

    text = sample_text(args.words)
    print(f"text: {len(text.split())} words, {len(text)} characters; start: {peak_rss_mb():.0f} MB peak RSS")
    for run in range(1, args.runs + 1):
        cpu, wall = time.process_time(), time.perf_counter()
        result = local.analyse(text, catalogue.load(PROJECT / "content", "http://127.0.0.1:8000"))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        label = "cold (imports and models loaded on first use)" if run == 1 else "warm"
        print(f"run {run}: {cpu:.3f} s CPU, {wall:.3f} s wall, peak RSS {peak_rss_mb():.0f} MB — {label}")
    print("steps (ms, last run):", result.provenance.durations_ms)
    print("found:", result.language, result.category, [s.slug for s in result.recommended_services],
          result.facts.model_dump(exclude_none=True))


if __name__ == "__main__":
    main()
