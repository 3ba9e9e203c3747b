"""A request's short title, made from its analysis: its first stated need that is short enough.

Offline and plain: every word of a title comes from the request itself (the analyser's sentences
and phrases are the client's own words), so it is in the request's language and never made up.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from statex.analysis.summary import is_lead

MAX_CHARS = 70
KEY_PHRASES = 3
_END = re.compile(r"[\s.!?…:;,]+$")
# statex.pipeline.analysis_input heads each file's text "File <name>:" or "Voice recording:".
_LABEL = re.compile(r"^(?:Voice recording|File .+?):\s+")


def make(data: Mapping[str, Any]) -> str | None:
    """The title for an analysis result (the stored JSON), or None when it holds no words to make one.

    The first stated need, shortened if it must be; else the summary's first sentence of the client's own
    words that fits, or its first shortened; else the key phrases.
    """
    summary = [s for s in _sentences(str(data.get("summary") or "")) if not is_lead(s)]
    for sentences in (data.get("requirements") or [], summary):
        cleaned = [_cleaned(str(s)) for s in sentences]
        cleaned = [s for s in cleaned if len(s) >= 3]
        fitting = [s for s in cleaned if len(s) <= MAX_CHARS]
        if fitting or cleaned:
            return _capitalised(fitting[0] if fitting else shorten(cleaned[0], MAX_CHARS))
    return _capitalised(_phrases([str(k) for k in data.get("keywords") or []])) or None


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    cut = cut.rstrip(" ,;:-")
    # Cut just after a sentence: that sentence is whole, and needs no ellipsis.
    return cut[:-1] if cut.endswith((".", "!", "?")) else cut + "…"


def _phrases(keywords: list[str]) -> str:
    """Up to three key phrases, most relevant first, as long as they fit."""
    kept: list[str] = []
    for phrase in (" ".join(k.split()) for k in keywords):
        if phrase and len(", ".join([*kept, phrase])) <= MAX_CHARS:
            kept.append(phrase)
        if len(kept) == KEY_PHRASES:
            break
    return ", ".join(kept)


def _sentences(summary: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", summary.strip()) if part]


def _cleaned(sentence: str) -> str:
    """One line, without the label the pipeline puts before each file's text, nor the closing stop."""
    return _END.sub("", _LABEL.sub("", " ".join(sentence.split())))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
