"""Benchmark of offer PDFs (statex/offers/pdf.py): render time per offer and memory while rendering.

Run: .venv/bin/python bench/offers.py [--runs 10] [--lines 5]
Each offer is rendered as a send renders it (WeasyPrint, DejaVu Sans embedded, the theme's tokens), in
a forked child as a worker's work horse would, so its peak memory is the render's and nothing else's.
The baseline, in the same run, is WeasyPrint rendering a one-paragraph page with the same font.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def offer(lines: int, language: str):
    """An offer as sent, in memory (no database): `lines` lines with Czech or English words."""
    from statex.models import Offer, OfferLine
    from statex.models.base import utcnow
    from statex.offers.editing import recompute

    title = "Vytěžování dat z dokumentů – příliš žluťoučký kůň" if language == "cs" else "Document data extraction"
    made = Offer(number="2026-0001", version=1, language=language, currency="CZK" if language == "cs" else "EUR",
                 vat_rate=Decimal("21"), valid_days=30, cover_text="Děkujeme za poptávku.\n" * 3,
                 payment_terms="Splatnost faktur je 14 dní. " * 4, client_name="Pekárna Novák s.r.o.",
                 sent_at=utcnow(), valid_until=dt.date(2027, 1, 1),
                 lines=[OfferLine(title=f"{title} {i + 1}", description="Výstup\n" * 5, timeline="4–6 týdnů",
                                  quantity=Decimal("1.5"), unit_price=Decimal("12345.67"), discount=Decimal("5"))
                        for i in range(lines)])
    recompute(made)
    return made


def timed(render, runs: int) -> tuple[float, float, list[float]]:
    """(first render s, median of the rest s, every time) in this process."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:] or times), times


def in_fork(render) -> dict:
    """One render in a forked child: its wall time and the child's peak memory."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        start = time.perf_counter()
        size = len(render())
        os.write(write, json.dumps({"s": time.perf_counter() - start, "rss": peak_rss_mb(), "bytes": size}).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        figures = json.loads(pipe.read())
    os.waitpid(pid, 0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--lines", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("STATEX_VAR_DIR", tempfile.mkdtemp(prefix="statex-bench-offers-"))
    from weasyprint import HTML

    from statex.config import load_settings
    from statex.offers import pdf

    settings = load_settings()
    baseline = lambda: HTML(string='<p style="font-family: DejaVu Sans">Nabídka č. 1: žluťoučký kůň</p>').write_pdf()  # noqa: E731
    before = peak_rss_mb()
    print(f"start: {before:.0f} MB peak RSS (WeasyPrint imported)")
    base_first, base_s, _ = timed(baseline, args.runs)
    print(f"baseline, one paragraph: first {base_first * 1000:.0f} ms, then median {base_s * 1000:.0f} ms")
    figures = {}
    for language, lines in (("en", args.lines), ("cs", args.lines), ("cs", 40)):
        made = offer(lines, language)
        child = in_fork(lambda made=made: pdf.render(made, settings))
        first, median, _ = timed(lambda made=made: pdf.render(made, settings), args.runs)
        key = f"{language}_{lines}"
        figures[key] = {"first_ms": round(first * 1000), "median_ms": round(median * 1000),
                        "forked_ms": round(child["s"] * 1000), "forked_peak_rss_mb": round(child["rss"]),
                        "pdf_kb": round(child["bytes"] / 1024, 1)}
        print(f"offer {language}, {lines} lines: first {first * 1000:.0f} ms, median {median * 1000:.0f} ms, "
              f"in a forked child {child['s'] * 1000:.0f} ms with peak RSS {child['rss']:.0f} MB, "
              f"PDF {child['bytes'] / 1024:.1f} KB")
    main_figures = figures[f"cs_{args.lines}"]
    print(f"peak RSS of this process after every render: {peak_rss_mb():.0f} MB")
    print("RESULT " + json.dumps({"render_ms": main_figures["median_ms"], "ratio": round(
        main_figures["median_ms"] / (base_s * 1000), 2), "render_40_lines_ms": figures["cs_40"]["median_ms"],
        "peak_rss_mb": max(f["forked_peak_rss_mb"] for f in figures.values()), "start_rss_mb": round(before)}))


if __name__ == "__main__":
    main()
