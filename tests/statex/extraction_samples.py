"""Real files for the extraction tests, made on the spot with the tools people make them with."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
IMAGE_LINES = ("Invoice number 4711", "Please automate our orders")
SPEECH = "Please send me the price of the new website"
SPEECH_WORDS = {"please", "send", "me", "the", "price", "of", "new", "website"}
VOICE = "en"  # espeak-ng's default English voice
GERMAN = "Guten Tag, wir sind eine kleine Firma und brauchen eine neue Webseite."
CZECH = "Dobrý den, jsme malá firma a potřebujeme nové webové stránky."


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with a text layer, one page per string (fpdf2, as invoicing tools write them)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def text_png(lines=IMAGE_LINES) -> bytes:
    """Black DejaVu Sans on white, like a screenshot of a document."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 40)
    image = Image.new("RGB", (1000, 80 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((40, 40 + 70 * row), line, font=font, fill="black")
    return _save(image, "PNG")


def blurred_png(lines=IMAGE_LINES) -> bytes:
    """The same text out of focus, on grainy paper: a phone photo OCR can barely make out."""
    import numpy
    from PIL import Image, ImageFilter

    image = Image.open(io.BytesIO(text_png(lines))).convert("L").filter(ImageFilter.GaussianBlur(4))
    grain = numpy.random.default_rng(3).normal(0, 10, (image.height, image.width))
    return _save(Image.fromarray((numpy.asarray(image) + grain).clip(0, 255).astype("uint8")), "PNG")


def scanned_pdf(png: bytes) -> bytes:
    """An image-only PDF, as a scanner makes: no text layer at all."""
    from PIL import Image

    return _save(Image.open(io.BytesIO(png)).convert("RGB"), "PDF", resolution=150)


def stamped_scan_pdf(png: bytes, stamp: str = "Page 1") -> bytes:
    """A scan with a short text layer on top (a page number a copier stamps), as fpdf2 writes it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png), x=10, y=20, w=190)
    pdf.set_font("helvetica", size=9)
    pdf.text(x=100, y=290, text=stamp)
    return bytes(pdf.output())


def mixed_pdf(text: str, png: bytes) -> bytes:
    """Page 1 with a text layer, page 2 a scan (pypdf joins them)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(io.BytesIO(text_pdf([text])))
    writer.append(io.BytesIO(scanned_pdf(png)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def table_docx() -> bytes:
    """A Word document: a letterhead, a paragraph, a price table with a merged cell, a closing paragraph."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ACME Logistics s.r.o., Brno"
    document.sections[0].footer.paragraphs[0].text = "VAT CZ12345678"
    document.add_paragraph("We would like an offer for these items.")
    table = document.add_table(rows=4, cols=3)
    for row, values in enumerate([("Item", "Quantity", "Price"), ("Scanner", "2", "450 EUR"),
                                  ("Licence", "5", "90 EUR"), ("Total", "", "")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    table.cell(3, 1).merge(table.cell(3, 2)).text = "1350 EUR"
    document.add_paragraph("Delivery to Brno, please.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def brief_docx(budget: str = "9,000 EUR") -> bytes:
    """A project brief as people write one in Word: a heading, paragraphs without full stops, a table."""
    import docx

    document = docx.Document()
    document.add_heading("Project brief", level=1)
    document.add_paragraph("We need the assistant to answer customer emails in Czech and German")
    document.add_paragraph("Every answer must be checked by a person before it is sent")
    table = document.add_table(rows=3, cols=2)
    for row, values in enumerate([("Item", "Detail"), ("Budget", budget), ("Shop system", "Shoptet")]):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    document.add_paragraph("The assistant should learn from the answers our team wrote in the last two years")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def speech_wav(tmp: Path, text: str = SPEECH, voice: str = VOICE, speed: int = 140) -> bytes:
    """`text` spoken by espeak-ng, as a WAV file (22.05 kHz: the decoder must resample it)."""
    espeak = shutil.which("espeak-ng")
    assert espeak, "espeak-ng is missing: deploy/local/services.sh installs it"
    path = tmp / f"speech-{voice}-{speed}.wav"
    subprocess.run([espeak, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True, timeout=60)
    return path.read_bytes()


def mumble_in_noise_wav(tmp: Path, snr_db: float = -5.0) -> bytes:
    """A sentence said fast, under white noise louder than the voice: what a bad phone line sounds like."""
    import numpy

    with wave.open(io.BytesIO(speech_wav(tmp, speed=300))) as spoken:
        rate = spoken.getframerate()
        voice = numpy.frombuffer(spoken.readframes(spoken.getnframes()), "<i2").astype(numpy.float32)
    voice = numpy.concatenate([numpy.zeros(rate // 2, numpy.float32), voice, numpy.zeros(rate // 2, numpy.float32)])
    noise = numpy.random.default_rng(7).standard_normal(len(voice)).astype(numpy.float32)
    noise *= numpy.sqrt(numpy.mean(voice ** 2) / 10 ** (snr_db / 10))
    return wav_bytes((voice + noise).clip(-32768, 32767).astype("<i2").tobytes(), rate)


def wav_bytes(pcm: bytes, rate: int = 16_000) -> bytes:
    """16-bit mono PCM as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1), target.setsampwidth(2), target.setframerate(rate)
        target.writeframes(pcm)
    return out.getvalue()


def reencode(wav: bytes, container: str, codec: str, rate: int = 48_000) -> bytes:
    """The same speech in another container and codec, as a browser or phone would send it (PyAV)."""
    import av

    out = io.BytesIO()
    with av.open(io.BytesIO(wav)) as source, av.open(out, "w", format=container) as target:
        stream = target.add_stream(codec, rate=rate, layout="mono")
        resampler = av.AudioResampler(format=stream.codec_context.format or "s16", layout="mono", rate=rate)
        for frame in source.decode(audio=0):
            for piece in resampler.resample(frame):
                target.mux(stream.encode(piece))
        for piece in resampler.resample(None):
            target.mux(stream.encode(piece))
        target.mux(stream.encode(None))
    return out.getvalue()


def words(text: str) -> list[str]:
    return text.lower().replace("\n", " ").split()


def _save(image, format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()
