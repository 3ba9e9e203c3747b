"""Benchmark of service matching on a labelled set of requests in the clients' own words.

Run: .venv/bin/python bench/matching.py [--data bench/data/matching.jsonl] [--show-misses]
Each line of the set is a request (EN, CS, DE, FR) labelled with the one service it asks for, or
null for work we do not sell. Every request goes through the offline analyser as a job would, and the
figures are counted from its recommendations: top-1 and top-3 over the requests we serve, abstention
over those we don't. The set is split in two by line number (odd, even): the matcher's thresholds were
chosen on the odd lines (`calibration`), the even lines (`held-out`) show how well that carries over.
Targets (issue 19): top-1 >= 90 %, top-3 >= 97 %, no recommendation for >= 85 % of out-of-scope requests.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "http://127.0.0.1:8000"
CACHE = ROOT / "var" / "cache"  # the catalogue's embeddings, as statex up keeps them


def load_set(path: Path) -> list[dict]:
    """The labelled requests, each with its line number."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [dict(row, line=number) for number, row in enumerate(rows, start=1)]


def recommend(rows: list[dict]) -> list[list[str]]:
    """The analyser's recommended service slugs for each request, best first."""
    from statex.analysis import catalogue, local

    services = catalogue.load(ROOT / "content", SITE_URL)
    return [[s.slug for s in local.analyse(row["text"], services, row["lang"], cache_dir=CACHE).recommended_services]
            for row in rows]


def score(rows: list[dict], found: list[list[str]]) -> dict:
    """Top-1, top-3 and abstention, as fractions, with the counts they come from."""
    served = [(row, slugs) for row, slugs in zip(rows, found) if row["service"]]
    unserved = [slugs for row, slugs in zip(rows, found) if not row["service"]]
    top1 = sum(bool(slugs) and slugs[0] == row["service"] for row, slugs in served)
    top3 = sum(row["service"] in slugs[:3] for row, slugs in served)
    abstained = sum(not slugs for slugs in unserved)
    return {"served": len(served), "unserved": len(unserved),
            "top1": round(top1 / max(len(served), 1), 3), "top3": round(top3 / max(len(served), 1), 3),
            "abstain": round(abstained / max(len(unserved), 1), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "data" / "matching.jsonl")
    parser.add_argument("--show-misses", action="store_true", help="print every request the matcher got wrong")
    args = parser.parse_args()

    rows = load_set(args.data)
    cpu, wall = time.process_time(), time.perf_counter()
    found = recommend(rows)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    halves = {"all": (rows, found)}
    for name, parity in (("calibration", 1), ("held-out", 0)):
        picked = [i for i, row in enumerate(rows) if row["line"] % 2 == parity]
        halves[name] = ([rows[i] for i in picked], [found[i] for i in picked])
    figures = {name: score(*half) for name, half in halves.items()}
    languages = sorted({row["lang"] for row in rows})
    by_language = {lang: score([r for r in rows if r["lang"] == lang],
                               [f for r, f in zip(rows, found) if r["lang"] == lang]) for lang in languages}

    print(f"{len(rows)} requests: {figures['all']['served']} for services we sell, "
          f"{figures['all']['unserved']} for work we don't; {cpu / len(rows) * 1000:.1f} ms CPU per request "
          f"({wall:.1f} s wall in all)")
    print(f"{'part':<12} {'top-1':>7} {'top-3':>7} {'abstain':>8}")
    for name, part in [*figures.items(), *by_language.items()]:
        print(f"{name:<12} {part['top1']:>7.1%} {part['top3']:>7.1%} {part['abstain']:>8.1%}")
    if args.show_misses:
        for row, slugs in zip(rows, found):
            if (slugs[:1] or [None])[0] != row["service"]:
                print(f"miss line {row['line']} [{row['lang']}] want {row['service']}, got {slugs}: {row['text'][:80]}")
    everything = figures["all"]
    print("RESULT " + json.dumps({"top1": everything["top1"], "top3": everything["top3"],
                                  "abstain": everything["abstain"], "heldout_top1": figures["held-out"]["top1"],
                                  "heldout_abstain": figures["held-out"]["abstain"],
                                  "cpu_ms_per_request": round(cpu / len(rows) * 1000, 1),
                                  "pid": os.getpid()}))


if __name__ == "__main__":
    main()
