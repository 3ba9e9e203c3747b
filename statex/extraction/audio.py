"""Speech to text: decoded in-process by PyAV, transcribed by faster-whisper offline or a Whisper endpoint."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from typing import Any, BinaryIO

from statex.extraction import speech
from statex.extraction.result import Extraction, permanent, transient

SAMPLE_RATE = 16_000
BYTES_PER_SECOND = SAMPLE_RATE * 2  # mono, 16-bit
DEFAULT_MAX_SECONDS = 600
CONNECT_TIMEOUT = 10.0
MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # OpenAI's limit for one file; ~13 minutes of 16 kHz WAV
TRANSIENT_STATUSES = {408, 409, 425, 429, 500, 502, 503, 504}
# OpenAI's verbose_json names the language in English words; we keep ISO 639-1 codes.
LANGUAGE_CODES = {"english": "en", "czech": "cs", "german": "de", "french": "fr", "slovak": "sk",
                  "polish": "pl", "spanish": "es", "italian": "it", "russian": "ru", "ukrainian": "uk",
                  "dutch": "nl", "portuguese": "pt", "hungarian": "hu", "chinese": "zh", "japanese": "ja"}


@dataclass
class Pcm:
    """16 kHz mono 16-bit audio, and whether it was cut at the length limit."""

    data: bytes
    truncated: bool = False

    @property
    def seconds(self) -> float:
        return len(self.data) / BYTES_PER_SECOND


def transcribe(stream: BinaryIO, *, settings: Any = None, language_hint: str | None = None) -> Extraction:
    """The words spoken in a recording, with timed segments; Whisper when TRANSCRIBE_URL is set."""
    max_seconds = getattr(settings, "upload_max_audio_seconds", None) or DEFAULT_MAX_SECONDS
    pcm = decode(stream, max_seconds=max_seconds)
    warnings = []
    if pcm.truncated:
        warnings.append(f"The recording is longer than {_duration(max_seconds)}; "
                        f"we transcribed its first {_duration(max_seconds)}.")
    if getattr(settings, "transcribe_url", None):
        result = whisper(pcm, settings)
    else:
        result = offline(pcm, settings, language_hint)
    result.warnings = warnings + result.warnings
    if result.empty:
        result.warnings.append("No speech was recognised in the recording.")
    result.audio_seconds = round(pcm.seconds, 3)
    return result


def _duration(seconds: int) -> str:
    count, unit = (seconds // 60, "minute") if seconds % 60 == 0 else (seconds, "second")
    return f"{count} {unit}" + ("s" if count != 1 else "")


def decode(stream: BinaryIO, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> Pcm:
    """The first audio track as 16 kHz mono PCM, at most `max_seconds` of it (FFmpeg inside PyAV)."""
    import av

    limit = int(max_seconds * BYTES_PER_SECOND)
    chunks, size = [], 0
    try:
        with av.open(stream, mode="r") as container:
            if not container.streams.audio:
                raise permanent("The recording has no sound track.", "no audio stream in the container")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().tobytes())
                    size += len(chunks[-1])
                if size > limit:
                    return Pcm(b"".join(chunks)[:limit], truncated=True)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().tobytes())
    except av.FFmpegError as error:
        raise permanent("The recording could not be played; the file may be damaged.",
                        f"PyAV/FFmpeg: {error}") from error
    data = b"".join(chunks)
    return Pcm(data[:limit], truncated=len(data) > limit)


def upload_file(pcm: Pcm) -> tuple[str, bytes, str]:
    """WAV, which every transcription server takes; FLAC when WAV would pass OpenAI's 25 MB limit."""
    if len(pcm.data) <= MAX_UPLOAD_BYTES - 44:
        return "recording.wav", wav_bytes(pcm), "audio/wav"
    return "recording.flac", flac_bytes(pcm), "audio/flac"


def flac_bytes(pcm: Pcm) -> bytes:
    """The PCM losslessly compressed (about half the size of speech in WAV)."""
    import av
    import numpy

    out = io.BytesIO()
    with av.open(out, "w", format="flac") as target:
        stream = target.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(numpy.frombuffer(pcm.data, dtype="<i2").reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in stream.encode(frame):
            target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out.getvalue()


def wav_bytes(pcm: Pcm) -> bytes:
    """The PCM as a WAV file, the format every transcription server accepts."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.data)
    return out.getvalue()


def offline(pcm: Pcm, settings: Any, language_hint: str | None = None) -> Extraction:
    """Offline transcription by faster-whisper, in whichever of our languages is spoken."""
    import numpy

    samples = numpy.frombuffer(pcm.data, dtype="<i2").astype(numpy.float32) / 32768.0
    return speech.transcribe(samples, settings, language_hint)


def transcription_url(base: str) -> str:
    """TRANSCRIBE_URL may be the API base (…/v1), a bare host, or the endpoint itself."""
    base = base.rstrip("/")
    if base.endswith("/audio/transcriptions"):
        return base
    if base.count("/") <= 2:  # scheme://host[:port] only
        return base + "/v1/audio/transcriptions"
    return base + "/audio/transcriptions"


def whisper(pcm: Pcm, settings: Any) -> Extraction:
    """Transcription by an OpenAI-compatible /v1/audio/transcriptions endpoint (verbose_json)."""
    import httpx

    url = transcription_url(settings.transcribe_url)
    model = getattr(settings, "transcribe_model", None) or "whisper-1"
    # No `language`: the hint comes from the browser's locale, and a wrong one makes Whisper translate
    # instead of transcribe; its own detection is reliable after a few seconds of speech.
    fields = {"model": model, "response_format": "verbose_json", "timestamp_granularities[]": "segment"}
    headers = {}
    if getattr(settings, "transcribe_api_key", None):
        headers["Authorization"] = f"Bearer {settings.transcribe_api_key}"
    timeout = getattr(settings, "transcribe_timeout", None) or 300.0
    try:
        response = httpx.post(url, data=fields, headers=headers,
                              files={"file": upload_file(pcm)},
                              timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)))
    except httpx.TimeoutException as error:
        raise transient("The transcription service did not answer in time.",
                        f"{url}: {type(error).__name__} after {timeout:g} s") from error
    except httpx.TransportError as error:
        raise transient("The transcription service could not be reached.",
                        f"{url}: {type(error).__name__}: {error}") from error
    return _whisper_result(response, url, model)


def _whisper_result(response, url: str, model: str) -> Extraction:
    detail = f"{url} answered {response.status_code}: {response.text[:300]}"
    if response.status_code in TRANSIENT_STATUSES:
        raise transient("The transcription service was busy or down.", detail)
    if response.status_code >= 400:
        raise permanent("The recording could not be transcribed.", detail)
    try:
        body = response.json()
        text = body["text"].strip()
        segments = [{"start": round(float(s["start"]), 2), "end": round(float(s["end"]), 2),
                     "text": str(s["text"]).strip(), **_scored(s)}
                    for s in body.get("segments") or [] if str(s.get("text", "")).strip()]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise permanent("The recording could not be transcribed.",
                        f"{url} answered without a transcript ({type(error).__name__}: {error}): "
                        f"{response.text[:300]}") from error
    scored = all("confidence" in s for s in segments) and segments
    return Extraction(text=text, method="whisper-api", language=_language_code(body.get("language")),
                      details=segments, machine_made=True, warnings=[],
                      confidence=speech.timed_confidence(segments) if scored else None)


def _scored(segment: dict) -> dict:
    """A segment's confidence, when the service sent Whisper's scores (OpenAI's verbose_json does)."""
    if "avg_logprob" not in segment or "no_speech_prob" not in segment:
        return {}
    return {"confidence": speech.segment_confidence(float(segment["avg_logprob"]),
                                                    float(segment["no_speech_prob"]))}


def _language_code(name: str | None) -> str | None:
    if not name:
        return None
    name = str(name).strip().lower()
    return LANGUAGE_CODES.get(name) or (name if len(name) in (2, 3) and name.isalpha() else None)
