"""PDF files as admins download them from HMICFRS, turned into the text the layouts read.

Database-free: bytes in, text out, with limits on size and pages and a clear ReportImportError for a
file that is not a PDF, is damaged, is encrypted, or is scanned (pages with no text to read).
pypdf is pure Python (no system libraries to install on the servers) and well kept.
"""

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from reports.importers.document import ReportImportError

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
# Fewer letters than this per page, on average, is a scan (images of pages), not a text PDF.
MIN_LETTERS_PER_PAGE = 40
PDF_MAGIC = b"%PDF-"


def pdf_text_extract(*, data: bytes, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES) -> str:
    """The text of a PDF file's pages, one page after another (a form feed between pages, which
    the layouts read as a blank line); ReportImportError naming the problem otherwise."""
    if len(data) > max_bytes:
        raise ReportImportError(f"the PDF is {len(data) / 1024 / 1024:.1f} MB; the limit is {max_bytes / 1024 / 1024:.0f} MB")
    if not data.lstrip()[:5].startswith(PDF_MAGIC):
        raise ReportImportError("the file is not a PDF (it does not start with '%PDF-'); upload the report's PDF or its text")
    # pypdf logs every recoverable oddity of a damaged file as a warning; the outcome is reported here instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportImportError("the PDF is encrypted (password-protected): download it again, or paste its text")
        count = len(reader.pages)
        if count > max_pages:
            raise ReportImportError(f"the PDF has {count} pages; the limit is {max_pages}")
        texts = [page.extract_text() or "" for page in reader.pages]
    except ReportImportError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ReportImportError(f"the PDF cannot be read (damaged or incomplete): {error}") from None
    if count == 0:
        raise ReportImportError("the PDF has no pages")
    letters = sum(character.isalpha() for text in texts for character in text)
    if letters < MIN_LETTERS_PER_PAGE * count:
        raise ReportImportError(
            f"the PDF's {count} page(s) hold almost no text ({letters} letters): it looks scanned; "
            "find the report's text version or its web page"
        )
    return "\n\f\n".join(text.replace("\r\n", "\n") for text in texts)
