"""The rules for what a client may send, on real files made in the test."""

import io
import zipfile

import pytest

from statex import uploads, vocabulary
from statex.config import load_settings
from statex.uploads import Limits, Upload
from tests import samples

DOCX = vocabulary.DOCX
DEFAULT_LIMITS = Limits()


def _check(*files, limits=DEFAULT_LIMITS):
    return uploads.check_files([Upload(field, name, io.BytesIO(data)) for field, name, data in files], limits)


@pytest.mark.parametrize("make, expected", [
    (samples.pdf, "application/pdf"),
    (samples.docx, DOCX),
    (lambda: "Zadání: čtení faktur.\n".encode(), "text/plain"),
    (lambda: b"# Our needs\n\n* read invoices\n* check totals\n", "text/plain"),
    (lambda: samples.image("PNG"), "image/png"),
    (lambda: samples.image("JPEG"), "image/jpeg"),
    (lambda: samples.image("WEBP"), "image/webp"),
])
def test_documents_are_recognised_by_their_content(make, expected):
    checked = _check(("files", "upload.bin", make()))
    assert checked.errors == {}
    assert [f.content_type for f in checked.files] == [expected]


@pytest.mark.parametrize("kind, expected", [("webm", "audio/webm"), ("ogg", "audio/ogg"), ("mp3", "audio/mpeg"),
                                            ("wav", "audio/wav"), ("m4a", "audio/mp4")])
def test_spoken_audio_in_every_accepted_codec_is_a_voice_message(kind, expected):
    checked = _check(("voice", f"voice.{kind}", samples.speech(kind)))
    assert checked.errors == {}
    (voice,) = checked.files
    assert (voice.kind, voice.content_type) == ("voice", expected)
    assert 2 < voice.seconds < 10


def test_the_name_does_not_decide_the_type():
    checked = _check(("files", "photo.png", samples.pdf()), ("files", "report.pdf", b"MZ\x90\x00" + bytes(500)))
    assert [f.content_type for f in checked.files] == ["application/pdf"]
    (message,) = checked.errors["files"]
    assert "“report.pdf”" in message and "we do not accept" in message


def test_archives_and_videos_are_refused_with_the_file_named():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "hello")
    checked = _check(("files", "stuff.zip", archive.getvalue()), ("voice", "clip.webm", samples.video_webm()))
    assert checked.files == []
    assert "“stuff.zip”" in checked.errors["files"][0]
    assert "“clip.webm”" in checked.errors["voice"][0]


def test_a_document_is_not_a_voice_message():
    checked = _check(("voice", "notes.pdf", samples.pdf()))
    assert checked.errors == {"voice": ["“notes.pdf” is not an audio recording."]}


def test_limits_on_count_size_total_and_audio():
    limits = Limits(max_files=2, max_file_bytes=4000, max_total_bytes=5000, max_audio_seconds=60)
    too_many = _check(*[("files", f"{n}.txt", b"hello") for n in range(3)], limits=limits)
    assert too_many.errors["files"] == ["Send at most 2 files; you sent 3."]

    big = _check(("files", "big.txt", b"a" * 4001), limits=limits)
    assert "“big.txt” is " in big.errors["files"][0] and "up to" in big.errors["files"][0]

    total = _check(("files", "a.txt", b"a" * 3000), ("files", "b.txt", b"b" * 3000), limits=limits)
    assert "All files together" in total.errors["files"][0]

    long = _check(("voice", "long.wav", samples.silence_wav(61)), limits=Limits(max_audio_seconds=60))
    assert long.errors["voice"] == ["The audio lasts longer than the 1:00 min we take per request."]


def test_audio_is_as_long_as_it_decodes_to_not_as_its_header_says():
    """An MP3 whose Xing header states 10 frames (0.72 s) plays for 700 s: refused, and measuring it
    stopped at the limit rather than decoding it all."""
    from statex import audio
    from tests.statex.bombs import lying_mp3

    mp3 = lying_mp3(700)
    checked = _check(("voice", "short.mp3", mp3), limits=Limits(max_audio_seconds=600))
    assert checked.files and checked.errors == {"voice": ["The audio lasts longer than the 10:00 min we take "
                                                          "per request."]}
    assert 600 < checked.files[0].seconds < 601
    assert audio.duration(io.BytesIO(mp3)) == pytest.approx(700, abs=1)


def test_empty_file_inputs_are_ignored_but_empty_files_refused():
    assert _check(("files", "", b"")).errors == {}
    assert _check(("files", "empty.txt", b"")).errors == {"files": ["“empty.txt” is empty."]}


def test_names_are_cleaned_for_display():
    assert uploads.clean_name("../../etc/passwd") == "passwd"
    assert uploads.clean_name("C:\\Users\\ann\\Zpráva o fakturách.pdf") == "Zpráva o fakturách.pdf"
    assert uploads.clean_name("evil\x00\x1b[31m.txt") == "evil[31m.txt"
    assert uploads.clean_name("  ...  ") == "file"
    assert len(uploads.clean_name("a" * 400 + ".pdf")) <= 200
    assert uploads.clean_name("a" * 400 + ".pdf").endswith(".pdf")


def test_fields_need_a_description_or_a_voice_message():
    limits = Limits()
    _draft, errors = uploads.check_fields({"description": "  "}, limits)
    assert errors == {"description": ["Describe what you need. Or record a voice message instead."]}
    _draft, errors = uploads.check_fields({"description": ""}, limits, has_voice=True)
    assert errors == {}


def test_fields_are_checked_one_by_one():
    draft, errors = uploads.check_fields({"description": "x" * 21, "language": "xx", "category": "nope",
                                          "contact_channel": "fax", "contact": 5}, Limits(max_text_chars=20))
    assert set(errors) == {"description", "language", "category", "contact_channel", "contact"}
    assert errors["description"] == ["Your text has 21 characters, 1 over the limit of 20. Shorten it, or attach "
                                     "the long part as a file (text, Word or PDF)."]


@pytest.mark.parametrize("channel, contact, expected", [
    ("email", "Ann@Example.com", "Ann@example.com"),
    ("telegram", "statex_ann", "@statex_ann"),
    ("whatsapp", "+420 601 123 456", "+420601123456"),
    ("phone", "(601) 123-456", "601123456"),
    ("", "", None),
])
def test_contacts_are_normalised(channel, contact, expected):
    draft, errors = uploads.check_fields({"description": "hi", "contact_channel": channel, "contact": contact},
                                         Limits())
    assert errors == {}
    assert draft.contact == expected


@pytest.mark.parametrize("channel, contact", [("email", "not-an-email"), ("telegram", "@x"),
                                              ("phone", "call me"), ("whatsapp", "")])
def test_bad_contacts_are_refused(channel, contact):
    _draft, errors = uploads.check_fields({"description": "hi", "contact_channel": channel, "contact": contact},
                                          Limits())
    assert list(errors) == ["contact"]


def test_limits_come_from_the_environment(environment, monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_FILES", "3")
    monkeypatch.setenv("UPLOAD_MAX_FILE_MB", "2")
    limits = Limits.from_settings(load_settings())
    assert (limits.max_files, limits.max_file_bytes, limits.max_total_bytes) == (3, 2 * 1024 * 1024,
                                                                                 100 * 1024 * 1024)
