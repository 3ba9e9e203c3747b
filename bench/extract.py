"""Benchmark of the extractors on generated inputs: time per page or per minute of speech, and memory.

Wall time depends on what else runs on the machine; CPU time (this process and Tesseract) much less.

Run: .venv/bin/python bench/extract.py [--pages 20] [--scans 3] [--speech-seconds 60] [--rapidocr]
Inputs are made on the spot: a text PDF (fpdf2), scanned A4 pages at 300 dpi (Pillow), a DOCX with a
table (python-docx), a minute of speech by espeak-ng as WAV and as WebM/Opus (PyAV).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from statex.extraction import DOCX, extract  # noqa: E402
from tests.statex import extraction_samples as samples  # noqa: E402

FIGURES: dict[str, float] = {}  # for the RESULT line bench/run.py reads: ms of wall time per unit
PARAGRAPH = ("We would like to automate the processing of supplier invoices. Every month about one thousand "
             "documents arrive by email and two people retype them into the accounting system. ")
SPEECH = ("Hello. We are a small company and we need a new website. Please send me the price of the new "
          "website. We would also like to automate our customer support. ")


def memory_mb() -> tuple[int, int]:
    """Resident and peak resident memory of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    return tuple(int(re.search(rf"{name}:\s+(\d+)", status).group(1)) // 1024 for name in ("VmRSS", "VmHWM"))


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (Tesseract runs as one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(label: str, data: bytes, content_type: str, unit: str, units: float, **options) -> None:
    """Extract once to warm up (models load at first use), then time a second run: wall and CPU."""
    extract(data, content_type, **options)
    started, cpu = time.perf_counter(), cpu_seconds()
    result = extract(data, content_type, **options)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    rss, peak = memory_mb()
    print(f"{label:<34} {result.method:<14} {seconds:6.2f} s {cpu:6.2f} s"
          f" {seconds / units * 1000:7.0f} ms/{unit:<6} {cpu / units * 1000:7.0f} ms/{unit:<6}"
          f" {len(result.text):6}  {rss:4} MB {peak:5} MB")
    FIGURES[f"{label.split(',')[0]} ({result.method}), ms/{unit}"] = round(seconds / units * 1000)


def scanned_pages(count: int) -> bytes:
    """A4 pages at 300 dpi with 12 pt text, saved as an image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(samples.FONT), 50)
    pages = []
    for _ in range(count):
        page = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(page)
        words, line, y = PARAGRAPH.split() * 6, "", 250
        for word in words:
            if draw.textlength(line + " " + word, font=font) > 2000:
                draw.text((240, y), line, font=font, fill=0)
                line, y = word, y + 75
            else:
                line = f"{line} {word}".strip()
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    return out.getvalue()


def long_docx(paragraphs: int) -> bytes:
    import docx

    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(PARAGRAPH)
    table = document.add_table(rows=50, cols=4)
    for row in table.rows:
        for column, cell in enumerate(row.cells):
            cell.text = f"value {column}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="pages of the text PDF")
    parser.add_argument("--scans", type=int, default=3, help="scanned pages to OCR")
    parser.add_argument("--speech-seconds", type=int, default=60)
    parser.add_argument("--rapidocr", action="store_true", help="also time the bundled OCR engine")
    args = parser.parse_args()
    print(f"{'input':<34} {'method':<14} {'wall':>8} {'cpu':>8} {'wall per unit':>17} {'cpu per unit':>17}"
          f" {'chars':>6} {'rss':>7} {'peak':>8}")
    run(f"text PDF, {args.pages} pages", samples.text_pdf([PARAGRAPH * 8] * args.pages),
        "application/pdf", "page", args.pages)
    run("DOCX, 300 paragraphs + table", long_docx(300), DOCX, "doc", 1)
    run("PNG, two lines", samples.text_png(), "image/png", "image", 1)
    scans = scanned_pages(args.scans)
    run(f"scanned PDF, {args.scans} A4 pages", scans, "application/pdf", "page", args.scans)
    with tempfile.TemporaryDirectory() as tmp:
        repeats = max(1, round(args.speech_seconds / 10))
        wav = samples.speech_wav(Path(tmp), SPEECH * repeats)
    minutes = len(wav) / (22050 * 2) / 60
    run(f"speech WAV, {minutes * 60:.0f} s", wav, "audio/wav", "minute", minutes)
    run(f"speech WebM/Opus, {minutes * 60:.0f} s", samples.reencode(wav, "webm", "libopus"), "audio/webm",
        "minute", minutes)
    if args.rapidocr:
        from statex.config import load_settings

        settings = load_settings({"OCR_ENGINE": "rapidocr", "SECRET_KEY": "bench", "STATEX_VAR_DIR": tmp})
        run("PNG, two lines (rapidocr)", samples.text_png(), "image/png", "image", 1, settings=settings)
        run(f"scanned PDF, {args.scans} pages (rapidocr)", scans, "application/pdf", "page", args.scans,
            settings=settings)
    print("RESULT " + json.dumps(FIGURES | {"peak_rss_mb": memory_mb()[1]}))


if __name__ == "__main__":
    main()
