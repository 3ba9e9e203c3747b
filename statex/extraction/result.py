"""What an extraction gives back, and how it fails."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Below this (0 to 1), text read by a machine is marked as uncertain: to people, and to the analysis.
LOW_CONFIDENCE = 0.5


@dataclass
class Extraction:
    """The text read from one file, how it was read, and what the reader wants people to know."""

    text: str
    method: str
    language: str | None = None
    duration_ms: int = 0
    # Per page ({"page", "text", "chars", ...}) or per segment ({"start", "end", "text"}).
    details: list[dict[str, Any]] = field(default_factory=list)
    machine_made: bool = False
    warnings: list[str] = field(default_factory=list)
    audio_seconds: float | None = None
    # How sure the recogniser or OCR engine is of the text, 0 to 1; None when the text is exact.
    confidence: float | None = None

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def low_confidence(self) -> bool:
        return is_low(self.confidence) and not self.empty

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, as jobs store it and the API shows it."""
        return asdict(self) | {"low_confidence": self.low_confidence}


def is_low(confidence: float | None) -> bool:
    """Whether a machine's confidence in what it read is too low to take the text as said."""
    return confidence is not None and confidence < LOW_CONFIDENCE


def weighted_confidence(parts: list[tuple[float, float | None]]) -> float | None:
    """The mean confidence of (weight, confidence) parts, an exact part (None) counting as 1."""
    parts = [(weight, 1.0 if value is None else value) for weight, value in parts if weight > 0]
    total = sum(weight for weight, _ in parts)
    return round(sum(weight * value for weight, value in parts) / total, 3) if total else None


class ExtractionError(Exception):
    """A file could not be read; `transient` says whether trying again later may help."""

    def __init__(self, message_for_client: str, detail_for_staff: str = "", transient: bool = False):
        super().__init__(message_for_client)
        self.message_for_client = message_for_client
        self.detail_for_staff = detail_for_staff or message_for_client
        self.transient = transient

    def __str__(self) -> str:
        return f"{self.message_for_client} ({self.detail_for_staff})" \
            if self.detail_for_staff != self.message_for_client else self.message_for_client


def permanent(message: str, detail: str = "") -> ExtractionError:
    """An error that will happen again however often we try: a broken file, a missing tool."""
    return ExtractionError(message, detail, transient=False)


def transient(message: str, detail: str = "") -> ExtractionError:
    """An error that may pass: a peer that is down, slow or overloaded."""
    return ExtractionError(message, detail, transient=True)
