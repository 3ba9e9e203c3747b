"""Text in pictures: Tesseract where the system has it, else RapidOCR's bundled model."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from statex.config import OCR_ENGINES
from statex.extraction.result import Extraction, permanent
from statex.vocabulary import LANGUAGES

TESSERACT_LANGUAGES = {code: language.tesseract for code, language in LANGUAGES.items()}
OCR_TIMEOUT = 120  # seconds per image; a page that takes longer is not worth the worker's time
# Judged from the header, before decoding: an A4 page at 600 dpi has 35 million pixels. A 78 KB palette
# PNG of 8900x8900 pixels took 1 GB once flattened to RGB.
MAX_PIXELS = 40_000_000
MAX_DECODED_BYTES = 160 * 1024 * 1024  # the pixels as Pillow holds them, by mode
MAX_SIDE = 6000  # larger images are scaled down before OCR: ~A3 at 400 dpi is plenty
MAX_RENDER_PIXELS = 25_000_000  # a PDF page drawn for OCR: A3 at 300 dpi has 17 million
# Bytes per pixel Pillow keeps for each mode (RGB is padded to 4); unknown modes count as 4.
MODE_BYTES = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "I;16": 2, "I;16B": 2, "I;16L": 2}


@dataclass
class Ocr:
    """What an OCR engine read in one image."""

    text: str
    engine: str
    confidence: float | None = None
    warnings: list[str] = field(default_factory=list)


def read_image(stream: BinaryIO, *, engine: str = "auto", language_hint: str | None = None) -> Extraction:
    """OCR one picture (PNG, JPEG, WebP)."""
    image = open_image(stream)
    found = ocr(image, engine=engine, language_hint=language_hint)
    warnings = list(found.warnings)
    if not found.text.strip():
        warnings.append("No text was found in the image.")
    detail = {"page": 1, "text": found.text, "chars": len(found.text), "confidence": found.confidence}
    return Extraction(text=found.text, method=found.engine, details=[detail], machine_made=True,
                      warnings=warnings, confidence=found.confidence)


def open_image(stream: BinaryIO) -> Image.Image:
    """The picture, upright and decoded, or a permanent error saying it cannot be opened."""
    try:
        image = Image.open(stream)
        _check_size(image)
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, saving memory
        image.load()
    except Image.DecompressionBombError as error:
        raise permanent("The image is too large to read; please send it at a lower resolution.", str(error)) \
            from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise permanent("The image could not be opened; the file may be damaged.",
                        f"{type(error).__name__}: {error}") from error
    image = _bounded(ImageOps.exif_transpose(image))  # scaled down first: flattening copies it twice
    return image if image.mode in ("RGB", "L") else _flatten(image)


def _check_size(image: Image.Image) -> None:
    """Refuse, from its header alone, a picture whose pixels would take too much memory to decode."""
    pixels = image.width * image.height
    decoded = pixels * MODE_BYTES.get(image.mode, 4)
    if pixels > MAX_PIXELS or decoded > MAX_DECODED_BYTES:
        raise permanent("The image is too large to read; please send it at a lower resolution.",
                        f"{image.width}x{image.height} pixels in mode {image.mode} ({decoded / 1024 ** 2:,.0f} MB "
                        f"decoded); at most {MAX_PIXELS:,} pixels and {MAX_DECODED_BYTES // 1024 ** 2} MB")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: OCR engines read transparent text on a transparent background as nothing."""
    rgba = image.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, "white")
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas


def _bounded(image: Image.Image) -> Image.Image:
    if max(image.size) <= MAX_SIDE:
        return image
    image = image.copy()
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def ocr(image: Image.Image, *, engine: str = "auto", language_hint: str | None = None) -> Ocr:
    """The text of `image` by the chosen engine; "auto" prefers Tesseract and falls back to RapidOCR."""
    if engine not in OCR_ENGINES:
        raise permanent("Text in images cannot be read on this server.", f"unknown OCR engine {engine!r}")
    if engine in ("auto", "tesseract") and tesseract_available():
        return _tesseract(image, language_hint)
    if engine == "tesseract":
        raise permanent("Text in images cannot be read on this server.",
                        "OCR_ENGINE=tesseract but the `tesseract` program is not installed "
                        "(Debian: apt-get install tesseract-ocr tesseract-ocr-eng)")
    if not rapidocr_available():
        raise permanent("Text in images cannot be read on this server.",
                        "no OCR engine: install Tesseract (tesseract-ocr) or the rapidocr-onnxruntime package")
    return _rapidocr(image, language_hint)


@functools.cache
def tesseract_available() -> bool:
    import pytesseract

    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


@functools.cache
def tesseract_languages() -> frozenset[str]:
    import pytesseract

    return frozenset(pytesseract.get_languages(config=""))


def tesseract_language(language_hint: str | None) -> tuple[str, list[str]]:
    """The installed Tesseract language for the hint (ISO 639-1), English otherwise, and why."""
    wanted = TESSERACT_LANGUAGES.get((language_hint or "en").lower()[:2])
    installed = sorted(tesseract_languages() - {"osd"})
    if wanted in installed:
        return wanted, []
    if not installed:
        raise permanent("Text in images cannot be read on this server.",
                        "Tesseract has no language data (Debian: apt-get install tesseract-ocr-eng)")
    fallback = "eng" if "eng" in installed else installed[0]
    return fallback, [f"Tesseract has no data for the language {language_hint!r}; "
                      f"the image was read as {fallback!r}."]


def _tesseract(image: Image.Image, language_hint: str | None) -> Ocr:
    import pytesseract

    language, warnings = tesseract_language(language_hint)
    try:
        data = pytesseract.image_to_data(image, lang=language, output_type=pytesseract.Output.DICT,
                                         timeout=OCR_TIMEOUT)
    except RuntimeError as error:  # pytesseract's timeout
        raise permanent("The image took too long to read.", f"tesseract: {error} after {OCR_TIMEOUT} s") \
            from error
    except pytesseract.TesseractError as error:
        raise permanent("The image could not be read.", f"tesseract failed: {error}") from error
    text, confidence = _tesseract_text(data)
    return Ocr(text=text, engine="tesseract", confidence=confidence, warnings=warnings)


def _tesseract_text(data: dict[str, list[Any]]) -> tuple[str, float | None]:
    """Words back into lines and paragraphs, as Tesseract laid them out; their mean confidence."""
    paragraphs: dict[tuple, dict[int, list[str]]] = {}
    confidences = []
    for index, word in enumerate(data["text"]):
        if not word.strip():
            continue
        paragraph = (data["page_num"][index], data["block_num"][index], data["par_num"][index])
        paragraphs.setdefault(paragraph, {}).setdefault(data["line_num"][index], []).append(word.strip())
        if float(data["conf"][index]) >= 0:
            confidences.append(float(data["conf"][index]) / 100)
    text = "\n\n".join("\n".join(" ".join(words) for words in lines.values())
                       for lines in paragraphs.values())
    return text, (round(sum(confidences) / len(confidences), 3) if confidences else None)


def rapidocr_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@functools.cache
def _rapidocr_engine():
    """Loaded once per process, at first use: its models take a few seconds and ~250 MB."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except (ImportError, OSError) as error:  # OpenCV needs libGL.so.1 (Debian: libgl1)
        raise permanent("Text in images cannot be read on this server.",
                        f"rapidocr-onnxruntime cannot load: {error}") from error
    # The default scales the short side *up* to 736 px, which costs ~0.5 GB on a wide image; cap the long side.
    return RapidOCR(det_limit_type="max", det_limit_side_len=960)


def _rapidocr(image: Image.Image, language_hint: str | None) -> Ocr:
    import numpy

    warnings = []
    if language_hint and language_hint.lower()[:2] not in ("en", "zh"):
        warnings.append("Read by the bundled OCR model, which knows Latin letters without accents; "
                        "install Tesseract with this language for better results.")
    engine = _rapidocr_engine()
    try:
        lines, _elapsed = engine(numpy.asarray(_padded(image.convert("RGB")))[:, :, ::-1])
    except Exception as error:  # onnxruntime and OpenCV raise their own, undocumented types
        raise permanent("The image could not be read.", f"rapidocr failed: {type(error).__name__}: {error}") \
            from error
    boxes = [box for box in lines or [] if str(box[1]).strip()]
    text = "\n".join(" ".join(str(box[1]).strip() for box in row) for row in _rows(boxes))
    scores = [float(box[2]) for box in boxes]
    confidence = round(sum(scores) / len(scores), 3) if scores else None
    return Ocr(text=text, engine="rapidocr", confidence=confidence, warnings=warnings)


def _padded(image: Image.Image) -> Image.Image:
    """A margin in the background's colour: RapidOCR's detector splits words of text near the edges."""
    margin = max(32, max(image.size) // 10)
    return ImageOps.expand(image, border=margin, fill=image.getpixel((0, 0)))


def _rows(boxes: list) -> list[list]:
    """RapidOCR's text boxes grouped into lines: a box whose middle lies within a line's height joins it."""
    rows: list[tuple[float, float, list]] = []
    for box in sorted(boxes, key=lambda box: min(y for _x, y in box[0])):
        top, bottom = min(y for _x, y in box[0]), max(y for _x, y in box[0])
        middle = (top + bottom) / 2
        for row_top, row_bottom, row in rows:
            if row_top <= middle <= row_bottom:
                row.append(box)
                break
        else:
            rows.append((top, bottom, [box]))
    return [sorted(row, key=lambda box: min(x for x, _y in box[0])) for _top, _bottom, row in rows]
