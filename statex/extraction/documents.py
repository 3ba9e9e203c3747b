"""Text from documents: plain text and Markdown, PDF page by page (OCR where a page is a scan), DOCX."""

from __future__ import annotations

import io
from typing import BinaryIO, Iterator

from statex.extraction import images
from statex.extraction.result import Extraction, permanent, weighted_confidence

OCR_DPI = 300
MAX_OCR_PAGES = 50  # a scanned book would hold a worker for an hour; the client is told where we stopped
# A scan with a stamped page number or header still needs OCR: a page with pictures and less text
# than this is read from its picture; a page without pictures is always taken as its text layer says.
SCAN_TEXT_CHARS = 40
MB = 1024 * 1024
# A DOCX is a zip of XML: judged from its directory before anything is unpacked. 17 MB of XML took
# python-docx 324 MB and 38 s; a long report holds 2 to 5 MB, squeezed 5 to 15 times.
DOCX_MAX_XML = 10 * MB
DOCX_MAX_UNPACKED = 200 * MB  # pictures and all
DOCX_MAX_RATIO = 100  # for parts over a megabyte unpacked


def read_text(stream: BinaryIO) -> Extraction:
    """Plain text or Markdown in whatever encoding it came in."""
    from charset_normalizer import from_bytes

    data = stream.read()
    if not data.strip():
        return Extraction(text="", method="plain", warnings=["The file is empty."])
    best = from_bytes(data).best()
    if best is None:
        raise permanent("The file does not look like text.", "charset-normalizer found no text encoding")
    text = str(best).lstrip("\ufeff").replace("\r\n", "\n")
    warnings = []
    if best.encoding not in ("utf_8", "ascii"):
        warnings.append(f"The text was decoded as {best.encoding}.")
    return Extraction(text=text, method="plain", warnings=warnings)


def read_pdf(stream: BinaryIO, *, ocr_engine: str = "auto", language_hint: str | None = None) -> Extraction:
    """Each page's text layer by pypdf; pages without one are rendered and read by OCR."""
    data = stream.read()
    reader = _open_pdf(io.BytesIO(data))
    details, warnings, methods = [], [], set()
    with _Renderer(data) as renderer:
        for number, page in enumerate(reader.pages, start=1):
            text = _page_text(page, number)
            if text.strip() and not (len(text.strip()) < SCAN_TEXT_CHARS and _has_images(page)):
                methods.add("pypdf")
                details.append({"page": number, "text": text, "chars": len(text), "method": "pypdf"})
                continue
            if renderer.rendered == MAX_OCR_PAGES:
                warnings.append(f"Pages {number} to {len(reader.pages)} have no text layer and were not read: "
                                f"we read at most {MAX_OCR_PAGES} scanned pages per document.")
                break
            found = images.ocr(renderer.render(number), engine=ocr_engine, language_hint=language_hint)
            methods.add("pdf-ocr")
            warnings += [w for w in found.warnings if w not in warnings]
            why = "had no text layer" if not text.strip() else "is a scan with little text on it"
            warnings.append(f"Page {number} {why} and was read by OCR ({found.engine}).")
            details.append({"page": number, "text": found.text, "chars": len(found.text), "method": found.engine,
                            "confidence": found.confidence})
    text = "\n\n".join(page["text"].strip() for page in details if page["text"].strip())
    if not text:
        warnings.append("No text was found in the document.")
    method = "+".join(sorted(methods, key=["pypdf", "pdf-ocr"].index)) or "pypdf"
    # Pages read from their text layer are exact; scanned ones count by how sure OCR was of them.
    confidence = weighted_confidence([(page["chars"], page.get("confidence")) for page in details]) \
        if "pdf-ocr" in methods else None
    return Extraction(text=text, method=method, details=details, machine_made="pdf-ocr" in methods,
                      warnings=warnings, confidence=confidence)


def _open_pdf(stream: BinaryIO):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError, PyPdfError

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise permanent("The PDF is protected by a password; please send it without one.",
                            "pypdf: encrypted with a user password")
        len(reader.pages)  # reads the page tree: a broken file fails here rather than midway
    except DependencyError as error:
        raise permanent("The PDF is encrypted in a way we cannot read.", f"pypdf: {error}") from error
    except (PdfReadError, PyPdfError) as error:
        raise permanent("The PDF could not be read; the file may be damaged.", f"pypdf: {error}") from error
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        raise permanent("The PDF could not be read; the file may be damaged.",
                        f"pypdf: {type(error).__name__}: {error}") from error
    return reader


def _has_images(page) -> bool:
    """Whether the page draws any picture (looked up in its resources, nothing decoded)."""
    try:
        xobjects = page["/Resources"].get_object().get("/XObject")
        return any(ref.get_object().get("/Subtype") == "/Image"
                   for ref in (xobjects.get_object().values() if xobjects else ()))
    except (KeyError, AttributeError, TypeError, ValueError):
        return False


def _page_text(page, number: int) -> str:
    try:
        return page.extract_text() or ""
    except Exception as error:  # pypdf raises many types on malformed content streams
        raise permanent(f"Page {number} of the PDF could not be read; the file may be damaged.",
                        f"pypdf page {number}: {type(error).__name__}: {error}") from error


class _Renderer:
    """Pages as pictures at OCR resolution (pypdfium2 needs no system tools); opened at the first scan."""

    def __init__(self, data: bytes):
        self.data, self.document, self.rendered = data, None, 0

    def __enter__(self) -> "_Renderer":
        return self

    def __exit__(self, *exc) -> None:
        if self.document is not None:
            self.document.close()

    def render(self, number: int):
        import pypdfium2

        self.rendered += 1
        try:
            if self.document is None:
                self.document = pypdfium2.PdfDocument(self.data)
            page = self.document[number - 1]
            width, height = page.get_size()
            # The page's size is the PDF's word: bound the picture's pixels before pdfium draws it.
            scale = min(OCR_DPI / 72, images.MAX_SIDE / max(width, height, 1),
                        (images.MAX_RENDER_PIXELS / max(width * height, 1)) ** 0.5)
            return page.render(scale=scale, grayscale=True).to_pil()
        except pypdfium2.PdfiumError as error:
            raise permanent(f"Page {number} of the PDF could not be rendered for OCR.",
                            f"pypdfium2 page {number}: {error}") from error


def read_docx(stream: BinaryIO) -> Extraction:
    """A Word document's paragraphs and tables, in the order they appear."""
    document = _open_docx(stream)
    blocks, details = [], []
    for block in [*_margins(document, "header"), *_blocks(document), *_margins(document, "footer")]:
        if isinstance(block, str):
            blocks.append(block)
        else:
            rows = list(_table_rows(block))
            details.append({"table": len(details) + 1, "rows": len(rows),
                            "columns": max((len(row) for row in rows), default=0)})
            blocks.append("\n".join(" | ".join(row) for row in rows))
    text = "\n".join(block for block in blocks if block.strip())
    warnings = [] if text.strip() else ["No text was found in the document."]
    return Extraction(text=text, method="python-docx", details=details, warnings=warnings)


def _open_docx(stream: BinaryIO):
    import docx

    _check_package(stream)
    try:
        return docx.Document(stream)
    except Exception as error:  # a bad zip, a missing part, lxml's XML errors: all mean a damaged file
        raise permanent("The Word document could not be read; the file may be damaged.",
                        f"python-docx: {type(error).__name__}: {error}") from error


def _check_package(stream: BinaryIO) -> None:
    """Refuse a DOCX that would unpack to far more than any document needs, from the zip's directory alone.

    The sizes it states are the ones zipfile holds each part to when python-docx unpacks it.
    """
    import zipfile

    try:
        with zipfile.ZipFile(stream) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise permanent("The Word document could not be read; the file may be damaged.",
                        f"zip: {type(error).__name__}: {error}") from error
    finally:
        stream.seek(0)
    unpacked = sum(part.file_size for part in parts)
    xml = sum(part.file_size for part in parts if part.filename.endswith((".xml", ".rels")))
    squeezed = [part for part in parts
                if part.file_size > MB and part.file_size > DOCX_MAX_RATIO * max(part.compress_size, 1)]
    if xml > DOCX_MAX_XML or unpacked > DOCX_MAX_UNPACKED or squeezed:
        why = (f"its parts unpack to {unpacked / MB:.1f} MB, {xml / MB:.1f} MB of it XML (at most "
               f"{DOCX_MAX_UNPACKED // MB} MB, {DOCX_MAX_XML // MB} MB of XML)")
        if squeezed:
            ratio = squeezed[0].file_size // max(squeezed[0].compress_size, 1)
            why += f"; {squeezed[0].filename} unpacks to {ratio} times its size (at most {DOCX_MAX_RATIO})"
        raise permanent("The Word document is too large to read once unpacked (it may be a decompression "
                        "bomb); please send it as a PDF, or in parts.", f"DOCX refused before parsing: {why}")


def _margins(document, kind: str) -> list:
    """Each section's own header or footer (a letterhead, a company's address), once each."""
    seen, blocks = set(), []
    for section in document.sections:
        part = getattr(section, kind)
        if part.is_linked_to_previous:
            continue
        for block in _blocks(part):
            key = block if isinstance(block, str) else id(block._tbl)
            if key not in seen:
                seen.add(key)
                blocks.append(block)
    return blocks


def _blocks(container) -> Iterator:
    """Paragraph texts and tables of a document or cell, in document order."""
    from docx.table import Table

    for item in container.iter_inner_content():
        yield item if isinstance(item, Table) else item.text


def _table_rows(table) -> Iterator[list[str]]:
    """Each row's cell texts; a merged cell counts once; nested tables are flattened into their cell."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if cell._tc in seen:  # python-docx repeats a horizontally merged cell
                continue
            seen.add(cell._tc)
            parts = [b if isinstance(b, str) else "; ".join(" | ".join(r) for r in _table_rows(b))
                     for b in _blocks(cell)]
            cells.append(" ".join(part.strip() for part in parts if part.strip()))
        if any(cells):
            yield cells
