"""Decompression bombs, made on the spot and small on disk: a DOCX of huge XML, PNGs of huge pixels.

Each is written as a stream (zlib fed row by row), so making one never holds what it unpacks to.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import av
import numpy

from tests import samples

MB = 1024 * 1024
PARAGRAPH = (b'<w:p><w:r><w:t xml:space="preserve">' + b"Order 4711, forty pallets of water. " * 8
             + b"</w:t></w:r></w:p>")


def docx(xml_mb: int) -> bytes:
    """A real Word document whose word/document.xml is `xml_mb` MB of paragraphs (it squeezes ~200 times)."""
    source = zipfile.ZipFile(io.BytesIO(samples.docx("Cover page")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, source.read(item))
                continue
            head, _, tail = source.read(item).partition(b"<w:body>")
            with bomb.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                for _ in range(xml_mb * MB // len(PARAGRAPH)):
                    part.write(PARAGRAPH)
                part.write(tail)
    return out.getvalue()


def png(width: int, height: int, mode: str = "P") -> bytes:
    """A PNG of blank pixels: palette ("P", one byte each) or RGBA (four), its rows zlib-compressed."""
    color_type, channels = {"P": (3, 1), "RGBA": (6, 4)}[mode]
    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes(width * channels)  # filter type 0, then the pixels
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0))]
    if mode == "P":
        chunks.append(_chunk(b"PLTE", b"\xff\xff\xff\x00\x00\x00"))
    chunks += [_chunk(b"IDAT", data), _chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def lying_mp3(seconds: int, frames_stated: int = 10) -> bytes:
    """MP3 silence of `seconds`, whose Xing header says it holds `frames_stated` frames (well under a second)."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=8000, layout="mono")
        stream.bit_rate = 8000
        for _ in range(seconds):
            frame = av.AudioFrame.from_ndarray(numpy.zeros((1, 8000), dtype=numpy.int16), format="s16",
                                               layout="mono")
            frame.sample_rate = 8000
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    data = bytearray(out.getvalue())
    tag = max(data.find(b"Info"), data.find(b"Xing"))  # LAME's tag in the first frame
    data[tag:tag + 12] = b"Xing" + struct.pack(">II", 1, frames_stated)  # flags: a frame count, and only that
    return bytes(data)
