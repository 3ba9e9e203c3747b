"""Real files made on the spot: PDF, DOCX, images, and speech from espeak-ng in several codecs."""

from __future__ import annotations

import io
import subprocess
import wave

import av
from docx import Document
from fpdf import FPDF
from PIL import Image

SPEECH = "We would like our invoices to be read automatically and checked before import."


def pdf(text: str = "Invoice 2026-001. Total 1200 CZK.") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.multi_cell(0, 10, text=text)
    return bytes(document.output())


def docx(text: str = "Our process today: two people retype invoices.") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def image(fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 60)).save(out, format=fmt)
    return out.getvalue()


def speech_wav(text: str = SPEECH) -> bytes:
    """A spoken sentence, synthesised by espeak-ng."""
    return subprocess.run(["espeak-ng", "--stdout", text], check=True, capture_output=True).stdout


def silence_wav(seconds: float, rate: int = 8000) -> bytes:
    """Silence of any length, small: 8 kHz, 8-bit mono."""
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(rate)
        writer.writeframes(b"\x80" * int(seconds * rate))
    return out.getvalue()


# (container format, codec) for each audio type the rules accept.
CODECS = {"webm": ("webm", "libopus"), "ogg": ("ogg", "libopus"), "mp3": ("mp3", "libmp3lame"),
          "m4a": ("ipod", "aac")}


def speech(kind: str = "webm", text: str = SPEECH) -> bytes:
    """espeak-ng's speech encoded as WebM/Opus, Ogg/Opus, MP3 or M4A (AAC) with FFmpeg (PyAV)."""
    source = speech_wav(text)
    if kind == "wav":
        return source
    fmt, codec = CODECS[kind]
    out = io.BytesIO()
    with av.open(io.BytesIO(source)) as inp, av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=48000)
        for frame in inp.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def video_webm() -> bytes:
    """A tiny WebM with a video track: not a voice recording."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=5)
        stream.width, stream.height = 32, 32
        stream.pix_fmt = "yuv420p"
        for _ in range(3):
            frame = av.VideoFrame.from_image(Image.new("RGB", (32, 32)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()
