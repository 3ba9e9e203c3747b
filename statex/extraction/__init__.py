"""Every attachment read: documents, pictures and recordings to text, offline by default."""

from __future__ import annotations

import io
import time
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

from statex.extraction.bounded import run_bounded
from statex.extraction.result import Extraction, ExtractionError, permanent

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
AUDIO_TYPES = frozenset({"audio/webm", "audio/ogg", "application/ogg", "audio/opus", "audio/mpeg",
                         "audio/mp3", "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave",
                         "audio/mp4", "audio/x-m4a", "audio/m4a", "video/webm", "video/mp4"})
SUPPORTED_TYPES = TEXT_TYPES | IMAGE_TYPES | AUDIO_TYPES | {"application/pdf", DOCX}

__all__ = ["Extraction", "ExtractionError", "SUPPORTED_TYPES", "capabilities", "extract", "supports"]


def supports(content_type: str) -> bool:
    """Whether `extract` knows how to read this (sniffed) type."""
    return _base_type(content_type) in SUPPORTED_TYPES


def extract(source: BinaryIO | str | PathLike | bytes, content_type: str, *, settings: Any = None,
            language_hint: str | None = None) -> Extraction:
    """The text of one file, chosen by its sniffed content type; raises ExtractionError."""
    kind = _base_type(content_type)
    if kind not in SUPPORTED_TYPES:
        raise permanent("We cannot read files of this type.", f"no extractor for {content_type!r}")
    started = time.perf_counter()
    memory_mb = getattr(settings, "extract_audio_memory_mb" if kind in AUDIO_TYPES else "extract_memory_mb", 0)
    with _seekable(source) as stream:
        if memory_mb:
            result = run_bounded(_dispatch, stream, kind, settings, language_hint, memory_mb=memory_mb)
        else:
            result = _dispatch(stream, kind, settings, language_hint)
    result.duration_ms = round((time.perf_counter() - started) * 1000)
    return result


def capabilities(settings: Any = None) -> dict[str, Any]:
    """What this machine can read with: the OCR engine and languages, the transcriber (for staff and logs)."""
    from statex.extraction import images, speech
    from statex.vocabulary import LANGUAGES

    engine = getattr(settings, "ocr_engine", None) or "auto"
    tesseract = images.tesseract_available()
    if engine == "auto":
        engine = "tesseract" if tesseract else "rapidocr" if images.rapidocr_available() else None
    elif engine == "tesseract" and not tesseract or engine == "rapidocr" and not images.rapidocr_available():
        engine = None
    transcribe_url = getattr(settings, "transcribe_url", None)
    offline = speech.available()
    return {
        "ocr": engine,
        "ocr_languages": sorted(images.tesseract_languages() - {"osd"}) if engine == "tesseract" else [],
        "speech": "whisper-api" if transcribe_url else "faster-whisper" if offline else None,
        # None: whatever the transcription service knows.
        "speech_languages": None if transcribe_url else list(LANGUAGES) if offline else [],
    }


def _dispatch(stream: BinaryIO, kind: str, settings: Any, language_hint: str | None) -> Extraction:
    from statex.extraction import audio, documents, images

    ocr_engine = getattr(settings, "ocr_engine", None) or "auto"
    if kind in TEXT_TYPES:
        return documents.read_text(stream)
    if kind == "application/pdf":
        return documents.read_pdf(stream, ocr_engine=ocr_engine, language_hint=language_hint)
    if kind == DOCX:
        return documents.read_docx(stream)
    if kind in IMAGE_TYPES:
        return images.read_image(stream, engine=ocr_engine, language_hint=language_hint)
    return audio.transcribe(stream, settings=settings, language_hint=language_hint)


def _base_type(content_type: str) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


class _seekable:
    """A seekable binary stream over a path, bytes or any readable (S3 bodies cannot seek)."""

    def __init__(self, source):
        self.source, self.opened = source, None

    def __enter__(self) -> BinaryIO:
        source = self.source
        if isinstance(source, (bytes, bytearray, memoryview)):
            return io.BytesIO(bytes(source))
        if isinstance(source, (str, PathLike)):
            self.opened = Path(source).open("rb")
            return self.opened
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)
            return source
        return io.BytesIO(source.read())

    def __exit__(self, *exc) -> None:
        if self.opened is not None:
            self.opened.close()
