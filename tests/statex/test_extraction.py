"""Documents and pictures to text: statex.extraction.extract on real files made by the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from statex.config import load_settings
from statex.extraction import DOCX, Extraction, ExtractionError, extract, supports
from statex.extraction.result import LOW_CONFIDENCE
from tests.statex import extraction_samples as samples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def png() -> bytes:
    return samples.text_png()


def test_pdf_text_is_read_page_by_page():
    pdf = samples.text_pdf(["Our budget is 5000 EUR.", "The deadline is the end of March."])
    result = extract(pdf, "application/pdf")
    assert result.method == "pypdf" and not result.machine_made and result.warnings == []
    assert [(page["page"], page["text"]) for page in result.details] == [
        (1, "Our budget is 5000 EUR."), (2, "The deadline is the end of March.")]
    assert result.details[0]["chars"] == len("Our budget is 5000 EUR.")
    assert result.text == "Our budget is 5000 EUR.\n\nThe deadline is the end of March."
    assert result.duration_ms >= 0


def test_docx_header_paragraphs_tables_and_footer_keep_document_order():
    result = extract(samples.table_docx(), DOCX)
    assert result.method == "python-docx"
    assert result.text.splitlines() == [
        "ACME Logistics s.r.o., Brno",  # the header, as it prints above the text
        "We would like an offer for these items.",
        "Item | Quantity | Price",
        "Scanner | 2 | 450 EUR",
        "Licence | 5 | 90 EUR",
        "Total | 1350 EUR",  # the merged cell counts once
        "Delivery to Brno, please.",
        "VAT CZ12345678",
    ]
    assert result.details == [{"table": 1, "rows": 4, "columns": 3}]


def test_png_is_read_exactly_by_tesseract(png):
    result = extract(png, "image/png", language_hint="en")
    assert result.method == "tesseract" and result.machine_made
    assert result.text.splitlines() == list(samples.IMAGE_LINES)
    assert result.details[0]["confidence"] > 0.8
    assert result.confidence == result.details[0]["confidence"] and not result.low_confidence


def test_blurred_photo_is_marked_low_confidence():
    result = extract(samples.blurred_png(), "image/png", language_hint="en")
    assert result.text.strip() and result.text.splitlines() != list(samples.IMAGE_LINES)
    assert result.confidence < LOW_CONFIDENCE and result.low_confidence
    assert result.as_dict()["low_confidence"] is True


def test_pdf_confidence_counts_scanned_pages_only_by_their_ocr(png):
    assert extract(samples.text_pdf(["Order 1234"]), "application/pdf").confidence is None  # exact text
    mixed = extract(samples.mixed_pdf("Order 1234: forty pallets of mineral water", samples.blurred_png()),
                    "application/pdf")
    text_page, scan = mixed.details
    assert scan["confidence"] < LOW_CONFIDENCE
    assert scan["confidence"] < mixed.confidence < 1
    assert mixed.confidence == pytest.approx((text_page["chars"] + scan["chars"] * scan["confidence"])
                                             / (text_page["chars"] + scan["chars"]), abs=0.001)


@pytest.mark.parametrize("format, content_type", [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_jpeg_and_webp_are_read(png, format, content_type):
    from PIL import Image
    import io

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).save(out, format, quality=95)
    assert samples.words(extract(out.getvalue(), content_type).text) == samples.words(" ".join(samples.IMAGE_LINES))


def test_language_hint_picks_the_tesseract_language():
    lines = ("Potřebujeme účetní systém", "Dodání do Brna v pátek", "Cena bude upřesněna")
    png = samples.text_png(lines)
    assert extract(png, "image/png", language_hint="cs").text.splitlines() == list(lines)
    # A language we have no Tesseract data for: English, and a note saying so.
    polish = extract(png, "image/png", language_hint="pl")
    assert polish.warnings == ["Tesseract has no data for the language 'pl'; the image was read as 'eng'."]
    assert polish.text.splitlines()[1] == "Dodani do Brna v patek"


def test_scanned_pdf_is_read_by_ocr(png):
    result = extract(samples.scanned_pdf(png), "application/pdf")
    assert result.method == "pdf-ocr" and result.machine_made
    assert result.text.splitlines() == list(samples.IMAGE_LINES)
    assert result.warnings == ["Page 1 had no text layer and was read by OCR (tesseract)."]


def test_pdf_with_one_scanned_page_mixes_both(png):
    result = extract(samples.mixed_pdf("Budget 5000 EUR.", png), "application/pdf")
    assert result.method == "pypdf+pdf-ocr"
    assert [page["method"] for page in result.details] == ["pypdf", "tesseract"]
    assert result.text.splitlines() == ["Budget 5000 EUR.", "", *samples.IMAGE_LINES]
    assert result.warnings == ["Page 2 had no text layer and was read by OCR (tesseract)."]


def test_scan_with_a_stamped_page_number_is_still_read_by_ocr(png):
    result = extract(samples.stamped_scan_pdf(png, "Page 1"), "application/pdf")
    assert result.method == "pdf-ocr"
    assert samples.words(result.text)[:7] == samples.words(" ".join(samples.IMAGE_LINES))
    assert result.warnings == ["Page 1 is a scan with little text on it and was read by OCR (tesseract)."]


def test_bundled_ocr_engine_reads_the_image_without_tesseract(png, monkeypatch):
    monkeypatch.setenv("OCR_ENGINE", "rapidocr")
    result = extract(png, "image/png", settings=load_settings())
    assert result.method == "rapidocr" and result.machine_made
    assert result.text.splitlines() == list(samples.IMAGE_LINES)


def test_missing_tesseract_is_a_permanent_error_not_a_fake_text(png, tmp_path):
    (tmp_path / "image.png").write_bytes(png)
    script = ("import sys\nfrom statex.config import load_settings\nfrom statex.extraction import extract\n"
              "try:\n    extract(sys.argv[1], 'image/png', settings=load_settings())\n"
              "except Exception as e:\n    print(type(e).__name__, e.transient, e.message_for_client, "
              "e.detail_for_staff, sep='|')\n")
    env = {"PATH": str(tmp_path), "OCR_ENGINE": "tesseract", "STATEX_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "image.png")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    name, is_transient, message, detail = out.stdout.strip().split("|")
    assert (name, is_transient) == ("ExtractionError", "False")
    assert message == "Text in images cannot be read on this server."
    assert "tesseract" in detail and "not installed" in detail


@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown", "text/plain; charset=utf-8"])
def test_text_and_markdown_are_taken_as_written(content_type):
    text = "# Our request\n\nWe need *a chatbot* for our e-shop – in Czech: „Dobrý den“.\n"
    result = extract(text.encode(), content_type)
    assert (result.text, result.method, result.machine_made, result.warnings) == (text, "plain", False, [])


def test_legacy_encoding_is_detected():
    text = ("Dobrý den, potřebujeme automatizovat zpracování faktur. Každý měsíc přijde přes tisíc "
            "dokladů a účetní je přepisuje ručně. Příliš žluťoučký kůň úpěl ďábelské ódy.")
    result = extract(text.encode("cp1250"), "text/plain")
    assert result.text == text
    assert result.warnings == ["The text was decoded as cp1250."]


def test_empty_file_is_an_honest_empty_result():
    result = extract(b"", "text/plain")
    assert result.text == "" and result.empty and result.warnings == ["The file is empty."]


def test_blank_image_is_an_honest_empty_result():
    from PIL import Image
    import io

    out = io.BytesIO()
    Image.new("RGB", (400, 200), "white").save(out, "PNG")
    result = extract(out.getvalue(), "image/png")
    assert result.text == "" and result.warnings == ["No text was found in the image."]


def test_a_path_and_a_stream_read_the_same(tmp_path):
    pdf = samples.text_pdf(["Read from disk."])
    (tmp_path / "a.pdf").write_bytes(pdf)
    with (tmp_path / "a.pdf").open("rb") as handle:
        assert extract(handle, "application/pdf").text == extract(tmp_path / "a.pdf", "application/pdf").text \
            == "Read from disk."


@pytest.mark.parametrize("content_type, data, message", [
    ("application/pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "The PDF could not be read; the file may be damaged."),
    ("application/pdf", b"this is not a pdf", "The PDF could not be read; the file may be damaged."),
    (DOCX, b"PK\x03\x04 broken zip", "The Word document could not be read; the file may be damaged."),
    ("image/png", b"\x89PNG\r\n\x1a\n broken", "The image could not be opened; the file may be damaged."),
    ("text/plain", bytes(range(256)) * 8, "The file does not look like text."),
    ("application/zip", b"PK\x03\x04", "We cannot read files of this type."),
])
def test_broken_or_unknown_files_are_permanent_errors(content_type, data, message):
    with pytest.raises(ExtractionError) as caught:
        extract(data, content_type)
    assert caught.value.message_for_client == message
    assert caught.value.transient is False
    assert caught.value.detail_for_staff  # the technical reason, for staff


def test_password_protected_pdf_says_so():
    from pypdf import PdfReader, PdfWriter
    import io

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.text_pdf(["secret"]))))
    writer.encrypt(user_password="open sesame", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ExtractionError, match="protected by a password") as caught:
        extract(out.getvalue(), "application/pdf")
    assert caught.value.transient is False


def test_every_type_uploads_accept_can_be_read():
    from statex import uploads

    for sniffed, stored in {**uploads.DOCUMENT_TYPES, **uploads.AUDIO_TYPES}.items():
        assert supports(sniffed) and supports(stored), (sniffed, stored)


def test_pdf_restricted_by_an_owner_password_only_is_read():
    from pypdf import PdfReader, PdfWriter
    import io

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.text_pdf(["Bank statement for March."]))))
    writer.encrypt(user_password="", owner_password="no printing", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert extract(out.getvalue(), "application/pdf").text == "Bank statement for March."


def test_supports_names_what_extract_reads():
    assert supports("audio/webm;codecs=opus") and supports("video/webm") and supports(DOCX)
    assert not supports("application/zip") and not supports("")


def test_result_is_json_ready():
    import json

    result = extract(b"hello", "text/plain")
    assert isinstance(result, Extraction)
    assert json.loads(json.dumps(result.as_dict()))["text"] == "hello"


def test_heavy_engines_load_at_first_use_not_at_import():
    script = ("import sys, statex.extraction, statex.extraction.audio, statex.extraction.images, "
              "statex.extraction.documents, statex.extraction.speech\n"
              "print(sorted(m for m in ('av', 'faster_whisper', 'ctranslate2', 'rapidocr_onnxruntime', 'onnxruntime', "
              "'cv2', 'pypdf', 'pypdfium2', 'docx', 'pytesseract', 'httpx', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.stdout.strip() == "[]", out.stderr


def test_capabilities_name_the_engines_in_use(monkeypatch):
    from statex.extraction import capabilities

    for name in ("OCR_ENGINE", "TRANSCRIBE_URL"):
        monkeypatch.delenv(name, raising=False)
    found = capabilities(load_settings())
    assert (found["ocr"], found["speech"], found["speech_languages"]) == (
        "tesseract", "faster-whisper", ["en", "cs", "de", "fr"])
    assert {"ces", "eng"} <= set(found["ocr_languages"])  # what services.sh installs
    monkeypatch.setenv("OCR_ENGINE", "rapidocr")
    monkeypatch.setenv("TRANSCRIBE_URL", "http://127.0.0.1:9/v1")
    assert capabilities(load_settings()) == {"ocr": "rapidocr", "ocr_languages": [],
                                             "speech": "whisper-api", "speech_languages": None}


def test_oversized_image_is_refused_before_decoding():
    from PIL import Image
    import io

    out = io.BytesIO()
    Image.new("1", (9_500, 9_000), 1).save(out, "PNG")  # 85.5 megapixels in a few kilobytes
    with pytest.raises(ExtractionError, match="too large") as caught:
        extract(out.getvalue(), "image/png")
    assert caught.value.transient is False and "9500x9000" in caught.value.detail_for_staff
