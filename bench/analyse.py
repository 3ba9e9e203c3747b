"""Benchmark of the local analyser on a 5,000-word request: CPU time, wall time and peak memory.

Run: .venv/bin/python bench/analyse.py [--words 5000] [--runs 3]
The text is made of the site's own English pages (real prose), cut to the word count. RQ runs each job
in a forked work horse, so the benchmark also measures a forked child, with and without the parent
having called statex.analysis.warm_up() first. Targets (issue 5): under 1 s of CPU, worker under 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "http://127.0.0.1:8000"
CACHE = ROOT / "var" / "cache"  # the catalogue's embeddings, kept between processes as statex up keeps them


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


def measure(text: str, parts: int = 1):
    """(CPU s, wall s, result) of one local analysis, the text given as one description or in `parts` sources."""
    from statex.analysis import catalogue, local

    sources = as_sources(text, parts)
    cpu, wall = time.process_time(), time.perf_counter()
    result = local.analyse_sources(sources, catalogue.load(ROOT / "content", SITE_URL), cache_dir=CACHE)
    return time.process_time() - cpu, time.perf_counter() - wall, result


def as_sources(text: str, parts: int):
    """The text as a description and `parts - 1` files of equal length, given a second apart."""
    import datetime as dt

    from statex.analysis.sources import Source

    words = text.split()
    size = len(words) // parts + 1
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    return [Source("description" if i == 0 else "file", " ".join(words[i * size:(i + 1) * size]),
                   start + dt.timedelta(seconds=i), name="" if i == 0 else f"brief-{i}.docx") for i in range(parts)]


def in_fork(text: str) -> dict:
    """Measure one analysis in a forked child, as RQ's work horse runs a job."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        cpu, wall, _result = measure(text)
        os.write(write, json.dumps({"cpu": cpu, "wall": wall, "rss": peak_rss_mb()}).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        figures = json.loads(pipe.read())
    os.waitpid(pid, 0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    text = sample_text(args.words)
    print(f"text: {len(text.split())} words, {len(text)} characters; start: {peak_rss_mb():.0f} MB peak RSS")
    child = in_fork(text)
    print(f"forked child, nothing preloaded: {child['cpu']:.3f} s CPU, {child['wall']:.3f} s wall, "
          f"peak RSS {child['rss']:.0f} MB")
    # As a worker does before it forks: the lexical models only (a child hangs once its parent has encoded).
    from statex.analysis import catalogue, local

    local.warm_up(catalogue.load(ROOT / "content", SITE_URL))
    child = in_fork(text)
    print(f"forked child after the parent warmed up: {child['cpu']:.3f} s CPU, {child['wall']:.3f} s wall, "
          f"peak RSS {child['rss']:.0f} MB")
    for run in range(1, args.runs + 1):
        cpu, wall, result = measure(text)
        label = "cold: the embedding model loaded on first use" if run == 1 else "warm"
        print(f"run {run}: {cpu:.3f} s CPU, {wall:.3f} s wall, peak RSS {peak_rss_mb():.0f} MB ({label})")
    print("steps (ms, last run):", result.provenance.durations_ms)
    cpu_parts, _wall, _result = measure(text, parts=4)
    print(f"the same words as a description and three files: {cpu_parts:.3f} s CPU (warm)")
    print("found:", result.language, result.category, [s.slug for s in result.recommended_services],
          result.facts.model_dump(mode="json", exclude_none=True))
    import jobs.analyse  # noqa: F401  (what an ai worker process holds besides the analyser)
    import jobs.worker  # noqa: F401

    print(f"peak RSS with the worker's own modules imported too: {peak_rss_mb():.0f} MB")
    print("RESULT " + json.dumps({"words": args.words, "cpu_s": round(cpu, 3), "forked_cpu_s": round(child["cpu"], 3),
                                  "four_sources_cpu_s": round(cpu_parts, 3),
                                  "peak_rss_mb": round(max(peak_rss_mb(), child["rss"]))}))


if __name__ == "__main__":
    main()
