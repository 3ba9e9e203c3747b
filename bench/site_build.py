"""Benchmark the site build: 1,000 generated articles with our theme and plugins versus bare Pelican.

Prints the build time of each, their ratio (target: ours within 1.5x of bare Pelican), and the time
of a rebuild after one article changes with Pelican's content cache on. Run:
    .venv/bin/python bench/site_build.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli.site.build import CONTENT_DIR, build  # noqa: E402

SENTENCES = [
    "We measured the error of the existing process before changing anything.",
    "The pilot ran on a sample of real documents rather than on templates.",
    "Most of the budget went into integration, not into the model itself.",
    "Uncertain cases were routed to a person with the fields pre-filled.",
    "A simple baseline turned out to be harder to beat than expected.",
    "The team agreed on the metric before the first line of code was written.",
    "Retrieval kept the answers grounded in the client's own manuals.",
    "Monitoring warned us when the forecast error started to drift.",
]
REPEAT = 3
BARE_CONF = r"""
SITENAME = "Bench"
TIMEZONE = "Europe/Prague"
DEFAULT_LANG = "en"
ARTICLE_PATHS = ["blog"]
PAGE_PATHS = ["pages", "services"]
IGNORE_FILES = ["README.md"]
# A setting, not a plugin: our file-name convention for translations (about.cs.md).
PATH_METADATA = r"(?:.*/)?[^/]+\.(?P<lang>[a-z]{2})\.md"
"""


def article(number: int, lang: str, rng: random.Random) -> str:
    """One generated article of about 400 words in Pelican's markdown format."""
    date = datetime(2020, 1, 1, 9) + timedelta(days=number)
    paragraphs = ["\n".join(" ".join(rng.choices(SENTENCES, k=6)) for _ in range(1)) for _ in range(8)]
    body = "\n\n".join(f"## Part {i + 1}\n\n{text}\n\n- {rng.choice(SENTENCES)}\n- {rng.choice(SENTENCES)}"
                       for i, text in enumerate(paragraphs))
    return (f"Title: Bench article {number} ({lang})\nSlug: bench-{number}\nLang: {lang}\n"
            f"Date: {date:%Y-%m-%d %H:%M}\nAuthor: Bench\n"
            f"Summary: Generated article number {number} for the build benchmark, in {lang}.\n\n{body}\n")


def make_content(folder: Path, count: int) -> Path:
    """The real pages and services plus `count` generated articles (half English, half Czech translations)."""
    content = folder / "content"
    shutil.copytree(CONTENT_DIR / "pages", content / "pages")
    shutil.copytree(CONTENT_DIR / "services", content / "services")
    blog = content / "blog"
    blog.mkdir()
    rng = random.Random(7)
    for number in range(count // 2):
        (blog / f"bench-{number}.md").write_text(article(number, "en", rng), encoding="utf-8")
        (blog / f"bench-{number}.cs.md").write_text(article(number, "cs", rng), encoding="utf-8")
    return content


def without_templates(content: Path, target: Path) -> Path:
    """A copy of the content for the default theme, which has none of our page templates."""
    shutil.copytree(content, target)
    for path in target.rglob("*.md"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("Template:")), encoding="utf-8")
    return target


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes (Pelican, Pagefind)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(run) -> tuple[float, float]:
    """Wall and child-process CPU seconds of one call."""
    cpu, start = children_cpu(), time.perf_counter()
    run()
    return time.perf_counter() - start, children_cpu() - cpu


def timed(builds: dict, rounds: int) -> dict[str, dict[str, float]]:
    """Run each build once per round, in turn, each into its own folder; seconds per build.

    For each: the fastest run ("best"; the machine is shared, so the minimum is the signal), the first
    ("clean", into an empty folder; later ones overwrite it) and the least CPU time, which other
    processes inflate less than wall time (Pagefind's threads add up in it). Rounds interleave the
    builds so that a change in the machine's load hits them alike.
    """
    walls, cpus = {name: [] for name in builds}, {name: [] for name in builds}
    for _ in range(rounds):
        for name, run in builds.items():
            wall, cpu = measure(run)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: {"best": min(walls[name]), "clean": walls[name][0], "cpu": min(cpus[name])} for name in builds}


def bare_build(content: Path, output: Path, conf: Path) -> None:
    """Pelican with its default theme and no plugins."""
    subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(conf), "-o", str(output), "-q"],
                   check=True, capture_output=True)


def main() -> None:
    """Generate the articles, run the builds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    count = parser.parse_args().articles
    with tempfile.TemporaryDirectory(prefix="statex-bench-") as name:
        tmp = Path(name)
        content = make_content(tmp, count)
        conf = tmp / "bareconf.py"
        conf.write_text(BARE_CONF)
        bare_content = without_templates(content, tmp / "bare-content")
        runs = timed({
            "bare": lambda: bare_build(bare_content, tmp / "bare", conf),
            "ours": lambda: build(tmp / "ours", content=content),
            "ours_no_search": lambda: build(tmp / "ours-nosearch", content=content, settings={"PAGEFIND": False}),
        }, REPEAT)
        bare, ours, ours_no_search = runs["bare"], runs["ours"], runs["ours_no_search"]
        cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp / "cache")}
        cold, _ = measure(lambda: build(tmp / "cached", content=content, settings=cache))
        changed = content / "blog" / "bench-0.md"
        changed.write_text(changed.read_text() + "\nOne more sentence, added for the rebuild.\n")
        rebuild, _ = measure(lambda: build(tmp / "cached", content=content, settings=cache))
        pages = sum(1 for _ in (tmp / "ours").rglob("*.html"))
    print(f"articles: {count} ({count // 2} English + {count // 2} Czech translations), our output: {pages} HTML pages")
    print(f"best of {REPEAT} builds each, interleaved, into one folder each (the first, clean, into an empty one)")
    print(f"bare Pelican (default theme, no plugins): {report(bare)}")
    print(f"ours (theme + plugins + Pagefind index):  {report(ours, bare)}")
    print(f"ours without the Pagefind index:          {report(ours_no_search, bare)}")
    print(f"ours, content cache on: cold {cold:.2f} s, rebuild after one article changed {rebuild:.2f} s")
    print("RESULT " + json.dumps({
        "articles": count, "bare_s": round(bare["best"], 3), "ours_s": round(ours["best"], 3),
        "ratio": round(ours["best"] / bare["best"], 3), "clean_ratio": round(ours["clean"] / bare["clean"], 3),
        "cpu_ratio": round(ours["cpu"] / bare["cpu"], 3), "rebuild_s": round(rebuild, 3)}))


def report(runs: dict[str, float], baseline: dict[str, float] | None = None) -> str:
    """One line of figures, with the ratios to the baseline's."""
    if baseline is None:
        return f"{runs['best']:.2f} s (clean {runs['clean']:.2f} s, CPU {runs['cpu']:.2f} s)"
    ratios = {key: runs[key] / baseline[key] for key in runs}
    return (f"{runs['best']:.2f} s   ratio {ratios['best']:.2f}x "
            f"(clean {runs['clean']:.2f} s, {ratios['clean']:.2f}x; CPU {runs['cpu']:.2f} s, {ratios['cpu']:.2f}x)")


if __name__ == "__main__":
    main()
