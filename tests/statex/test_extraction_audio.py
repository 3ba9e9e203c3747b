"""Speech to text: faster-whisper offline, and an OpenAI-compatible Whisper endpoint on loopback."""

from __future__ import annotations

import io
import wave

import pytest

from statex.config import load_settings
from statex.extraction import ExtractionError, audio, extract, speech
from statex.extraction.result import LOW_CONFIDENCE
from tests.fakes import Whisper
from tests.helpers import free_port
from tests.statex import extraction_samples as samples


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Whatever the developer's shell says, these tests choose the transcriber themselves."""
    for name in ("TRANSCRIBE_URL", "TRANSCRIBE_MODEL", "TRANSCRIBE_API_KEY", "TRANSCRIBE_TIMEOUT",
                 "UPLOAD_MAX_AUDIO_SECONDS", "WHISPER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def wav(tmp_path_factory) -> bytes:
    return samples.speech_wav(tmp_path_factory.mktemp("speech"))


def heard(text: str) -> set[str]:
    return samples.SPEECH_WORDS & set(samples.words(text.replace(".", " ").replace(",", " ")))


def test_wav_is_transcribed_offline_with_timed_scored_segments(wav, settings):
    result = extract(wav, "audio/wav", settings=settings)
    assert result.method == "faster-whisper" and result.machine_made and result.language == "en"
    assert len(heard(result.text)) >= 0.75 * len(samples.SPEECH_WORDS), result.text
    assert result.details and all(s["start"] < s["end"] <= result.audio_seconds + 0.1 for s in result.details)
    assert all(0 < s["confidence"] <= 1 for s in result.details)
    assert " ".join(s["text"] for s in result.details) == result.text
    assert result.confidence > 0.5 and not result.low_confidence
    assert result.audio_seconds == pytest.approx(len(wav) / (22050 * 2), abs=0.05)


def test_browser_recording_webm_opus_is_transcribed(wav, settings):
    result = extract(samples.reencode(wav, "webm", "libopus"), "audio/webm", settings=settings)
    assert result.audio_seconds == pytest.approx(len(wav) / (22050 * 2), abs=0.1)
    assert len(heard(result.text)) >= 0.75 * len(samples.SPEECH_WORDS), result.text


@pytest.mark.parametrize("container, codec", [
    ("webm", "libopus"),  # browsers label it audio/webm or video/webm
    ("ogg", "libopus"),
    ("mp3", "mp3"),
    ("ipod", "aac"),
])
def test_compressed_recordings_decode_to_the_same_length(wav, container, codec):
    pcm = audio.decode(io.BytesIO(samples.reencode(wav, container, codec)))
    assert pcm.seconds == pytest.approx(len(wav) / (22050 * 2), abs=0.1)


def test_german_is_recognised_as_german(tmp_path, settings):
    result = extract(samples.speech_wav(tmp_path, samples.GERMAN, voice="de"), "audio/wav", settings=settings)
    assert result.language == "de"
    said = set(samples.words(samples.GERMAN.replace(",", "").replace(".", "")))
    assert len(said & set(samples.words(result.text.replace(",", " ").replace(".", " ")))) >= len(said) / 2


def test_czech_is_transcribed_as_czech_when_the_client_chose_czech(tmp_path, settings):
    # Whisper base hears espeak-ng's Czech as German (0.36) or Finnish: unsure, so the client's choice wins.
    result = extract(samples.speech_wav(tmp_path, samples.CZECH, voice="cs"), "audio/wav", settings=settings,
                     language_hint="cs")
    assert result.language == "cs" and "firma" in result.text.lower()


def test_clear_speech_keeps_its_language_whatever_the_client_chose(wav, settings):
    result = extract(wav, "audio/wav", settings=settings, language_hint="cs")
    assert result.language == "en" and len(heard(result.text)) >= 0.75 * len(samples.SPEECH_WORDS)


def test_speech_in_noise_is_marked_low_confidence(tmp_path, settings):
    result = extract(samples.mumble_in_noise_wav(tmp_path), "audio/wav", settings=settings)
    assert result.text.strip(), "something was heard"
    assert result.confidence < LOW_CONFIDENCE and result.low_confidence
    assert result.as_dict()["low_confidence"] is True


def test_silence_is_an_honest_empty_transcript(settings):
    result = extract(samples.wav_bytes(b"\0\0" * 16000 * 2), "audio/wav", settings=settings)
    assert result.text == "" and result.details == [] and result.language is None
    assert result.confidence is None and not result.low_confidence
    assert result.warnings == ["No speech was recognised in the recording."]


def test_language_choice_prefers_ours_unless_whisper_is_sure():
    assert speech.choose_language([("fi", 0.51), ("el", 0.08), ("cs", 0.07), ("pl", 0.05)]) == "cs"
    assert speech.choose_language([("de", 0.36), ("es", 0.11), ("pl", 0.09)], hint="cs") == "cs"
    assert speech.choose_language([("de", 0.36), ("es", 0.11), ("pl", 0.09)]) == "de"
    assert speech.choose_language([("de", 0.92), ("en", 0.02)], hint="cs") == "de"
    assert speech.choose_language([("es", 0.95), ("fr", 0.01)]) == "es"  # Spanish beyond doubt stays Spanish


def test_unknown_model_is_a_permanent_error_naming_the_setting(wav, monkeypatch):
    monkeypatch.setenv("WHISPER_MODEL", "no-such-size")
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is False
    assert caught.value.message_for_client == "Recordings cannot be transcribed on this server."
    assert "WHISPER_MODEL='no-such-size'" in caught.value.detail_for_staff


@pytest.mark.parametrize("data", [b"RIFF\x10\x00\x00\x00WAVEfmt broken", b"\x1aE\xdf\xa3 not webm at all"])
def test_broken_recording_is_a_permanent_error(data, settings):
    with pytest.raises(ExtractionError) as caught:
        extract(data, "audio/webm", settings=settings)
    assert caught.value.transient is False
    assert caught.value.message_for_client == "The recording could not be played; the file may be damaged."


@pytest.fixture
def whisper(monkeypatch):
    server = Whisper().start()
    monkeypatch.setenv("TRANSCRIBE_URL", server.url)
    monkeypatch.setenv("TRANSCRIBE_MODEL", "whisper-large-v3")
    monkeypatch.setenv("TRANSCRIBE_API_KEY", "sk-test")
    yield server
    server.stop()


VERBOSE = {"task": "transcribe", "language": "english", "duration": 3.2,
           "text": " Please send me the price of the new website.",
           "segments": [{"id": 0, "start": 0.0, "end": 1.4, "text": " Please send me the price"},
                        {"id": 1, "start": 1.4, "end": 3.1, "text": " of the new website."}]}


def test_whisper_endpoint_transcribes_with_segments_and_language(whisper, wav):
    whisper.answers.append((200, VERBOSE))
    result = extract(samples.reencode(wav, "webm", "libopus"), "audio/webm", settings=load_settings(),
                     language_hint="en")
    assert (result.text, result.method, result.language, result.machine_made) == (
        "Please send me the price of the new website.", "whisper-api", "en", True)
    assert result.details == [{"start": 0.0, "end": 1.4, "text": "Please send me the price"},
                              {"start": 1.4, "end": 3.1, "text": "of the new website."}]
    sent = whisper.requests[0]
    assert sent["path"] == "/v1/audio/transcriptions" and sent["authorization"] == "Bearer sk-test"
    assert sent["fields"]["model"] == b"whisper-large-v3"
    assert sent["fields"]["response_format"] == b"verbose_json"
    assert "language" not in sent["fields"]  # Whisper detects it: a wrong hint would make it translate
    with wave.open(io.BytesIO(sent["fields"]["file"])) as upload:  # 16 kHz mono: any server takes it
        assert (upload.getframerate(), upload.getnchannels(), upload.getsampwidth()) == (16000, 1, 2)
        assert upload.getnframes() / 16000 == pytest.approx(result.audio_seconds, abs=0.01)


def test_whisper_scores_become_confidence(whisper, wav):
    unsure = {**VERBOSE, "segments": [{**VERBOSE["segments"][0], "avg_logprob": -0.2, "no_speech_prob": 0.01},
                                      {**VERBOSE["segments"][1], "avg_logprob": -2.3, "no_speech_prob": 0.4}]}
    whisper.answers.append((200, unsure))
    result = extract(wav, "audio/wav", settings=load_settings())
    assert [s["confidence"] for s in result.details] == [0.811, 0.06]
    assert result.confidence == pytest.approx((1.4 * 0.811 + 1.7 * 0.06) / 3.1, abs=0.001)
    assert result.low_confidence


def test_whisper_gets_flac_when_wav_would_pass_the_25_mb_limit(whisper, monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_AUDIO_SECONDS", "900")
    whisper.answers.append((200, VERBOSE))
    out = io.BytesIO()
    with wave.open(out, "wb") as long:  # 14 minutes: 26.9 MB as 16 kHz WAV
        long.setnchannels(1), long.setsampwidth(2), long.setframerate(16000)
        long.writeframes(b"\x10\x00\xf0\xff" * 8000 * 60 * 14)
    result = extract(out.getvalue(), "audio/wav", settings=load_settings())
    assert result.audio_seconds == 14 * 60
    upload = whisper.requests[0]["fields"]["file"]
    assert upload[:4] == b"fLaC" and len(upload) < 25 * 1024 * 1024


def test_whisper_plain_json_without_segments(whisper, wav):
    whisper.answers.append((200, {"text": "Dobrý den, potřebujeme web."}))
    result = extract(wav, "audio/wav", settings=load_settings())
    assert (result.text, result.language, result.details) == ("Dobrý den, potřebujeme web.", None, [])


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_whisper_overloaded_or_down_is_transient(whisper, wav, status):
    whisper.answers.append((status, {"error": {"message": "overloaded"}}))
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is True
    assert f"answered {status}" in caught.value.detail_for_staff
    # The job retries; what the client reads must stay true after the last try too.
    assert caught.value.message_for_client == "The transcription service was busy or down."


def test_whisper_refusing_the_request_is_permanent(whisper, wav):
    whisper.answers.append((401, {"error": {"message": "Incorrect API key provided"}}))
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is False
    assert "401" in caught.value.detail_for_staff and "Incorrect API key" in caught.value.detail_for_staff


def test_whisper_answer_without_text_is_permanent(whisper, wav):
    whisper.answers.append((200, "<html>gateway page</html>"))
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is False and "without a transcript" in caught.value.detail_for_staff


def test_whisper_too_slow_is_transient(whisper, wav, monkeypatch):
    monkeypatch.setenv("TRANSCRIBE_TIMEOUT", "0.5")
    whisper.stall.set()
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is True and "ReadTimeout" in caught.value.detail_for_staff


def test_whisper_unreachable_is_transient(wav, monkeypatch):
    monkeypatch.setenv("TRANSCRIBE_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ExtractionError) as caught:
        extract(wav, "audio/wav", settings=load_settings())
    assert caught.value.transient is True and "ConnectError" in caught.value.detail_for_staff
    assert "/v1/audio/transcriptions" in caught.value.detail_for_staff
